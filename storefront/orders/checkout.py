"""From a cart and a checked checkout form to what place_order needs: where the goods
go (or which showroom they are collected from), and where each line's units are reserved."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, OperationalError

from storefront.cart import services as cart_services
from storefront.catalog import regions as region_rules
from storefront.collation import by_name
from storefront.domain import Refused
from storefront.extensions import db
from storefront.inventory import services as stock
from storefront.orders import expiry, notifications, placing
from storefront.orders.models import Fulfilment, Order, PaymentMethod
from storefront.orders.placing import OrderDraft, PlacedLine
from storefront.orders.services import SoldOut
from storefront.register.models import Region, Showroom

COMMUNE_KINDS = ("commune", "ward", "town")
log = logging.getLogger(__name__)


class CheckoutError(Refused):
    """Field errors for the form: {field name: message} ("cart" for the cart's)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class CheckoutFields:
    """What the buyer filled in, each field checked (orders.forms.CheckoutForm)."""

    fulfilment: str
    payment_method: str
    contact_name: str
    contact_phone: str
    contact_email: str | None
    note: str | None
    province: str = ""
    commune: str = ""
    address: str = ""
    showroom: str = ""
    age_confirmed: bool = False  # "I am 18 or older", asked when a line is for adults only


@dataclass
class ProvinceOption:
    region: Region
    communes: list[Region] = field(default_factory=list)


def payment_methods(fulfilment: str | None = None) -> list[str]:
    """The ways to pay that work here: transfer always, cash by fulfilment, card when Stripe is
    configured."""
    methods: list[str] = [PaymentMethod.BANK_TRANSFER]
    if fulfilment in (None, Fulfilment.DELIVERY):
        methods.append(PaymentMethod.CASH_ON_DELIVERY)
    if fulfilment in (None, Fulfilment.PICKUP):
        methods.append(PaymentMethod.CASH_AT_PICKUP)
    if stripe_enabled():
        methods.append(PaymentMethod.CARD)
    return methods


def stripe_enabled() -> bool:
    config = current_app.config
    return bool(config.get("STRIPE_SECRET_KEY") and config.get("STRIPE_WEBHOOK_SECRET"))


def delivery_places(today: date) -> list[ProvinceOption]:
    """Today's provinces, each with today's communes and wards (units merged into the province
    by the 2025 reform included)."""
    regions = region_rules.all_regions()
    options = []
    for province in regions:
        if province.kind != "province" or not province.is_current(today):
            continue
        covered = region_rules.covered_region_ids(regions, province.code)
        communes = [
            r
            for r in regions
            if r.id in covered and r.kind in COMMUNE_KINDS and r.is_current(today)
        ]
        options.append(ProvinceOption(province, by_name(communes, lambda r: r.name)))
    return by_name(options, lambda o: o.region.name)


def place(
    cart: cart_services.Cart,
    fields: CheckoutFields,
    today: date,
    *,
    customer_id: int | None,
    idempotency_digest: str,
) -> tuple[Order, str | None]:
    """Check the checkout and commit, in one transaction, the order, its reservations, its
    e-mails (the outbox sends them after the commit) and the emptied cart: all of it or nothing.

    A dropped database connection is tried once more before it reaches the buyer; the second try
    finds the order if the first commit did reach the database (the form's digest), so nothing is
    placed or announced twice. Returns (order, secret) as ``place_order`` does; raises
    CheckoutError or OrderError (nothing kept), or the database error of the second try.
    """
    items = cart.items()
    attempt = partial(_place_once, cart, items, fields, today, customer_id, idempotency_digest)
    try:
        return attempt()
    except DBAPIError as error:
        if not is_lost_connection(error):
            raise
        log.warning("Checkout: database error, trying once more: %s", error)
        return attempt()


def _place_once(
    cart: cart_services.Cart,
    items: dict[int, int],
    fields: CheckoutFields,
    today: date,
    customer_id: int | None,
    idempotency_digest: str,
) -> tuple[Order, str | None]:
    try:
        # Units held by unpaid orders past their time are for sale again to this buyer.
        expiry.expire_due_orders()
        draft, lines = prepare(items, fields, today)
        order, secret = placing.place_order(
            draft, lines, customer_id=customer_id, idempotency_digest=idempotency_digest
        )
        if secret is not None:  # a new order, not the first one of a double submission
            notifications.order_placed(order, secret)
            cart.clear()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        cart.restore(items)
        raise
    return order, secret


def is_lost_connection(error: DBAPIError) -> bool:
    """A database error worth one more try: the connection dropped, or the database was busy."""
    return error.connection_invalidated or isinstance(error, OperationalError)


def prepare(
    items: dict[int, int], fields: CheckoutFields, today: date
) -> tuple[OrderDraft, list[PlacedLine]]:
    """The domain's checks of a checkout whose fields are valid (CheckoutForm): the place of
    delivery or the showroom exists, the cart can be bought, the stock is there. Raises
    CheckoutError naming each field that is wrong. Prices come from the database later, never
    from the form."""
    draft, showroom, view, errors = _check(items, fields, today)
    if errors:
        raise CheckoutError(errors)
    placed = [_placed_line(line, showroom, errors) for line in view.lines]
    if errors:
        raise CheckoutError(errors)
    return draft, placed


def refusals(items: dict[int, int], fields: CheckoutFields, today: date) -> CheckoutError:
    """What the domain says of the place and the cart when the form itself is refused, so the
    page names every wrong field at once (no errors when there is nothing to say)."""
    return CheckoutError(_check(items, fields, today)[3])


def _check(
    items: dict[int, int], fields: CheckoutFields, today: date
) -> tuple[OrderDraft, Showroom | None, cart_services.CartView, dict[str, str]]:
    """The draft, the pick-up showroom, the cart as it stands, and the errors so far."""
    draft = OrderDraft(
        fulfilment=fields.fulfilment,
        payment_method=fields.payment_method,
        contact_name=fields.contact_name,
        contact_phone=fields.contact_phone,
        contact_email=fields.contact_email,
        note=fields.note,
        age_confirmed=fields.age_confirmed,
    )
    errors: dict[str, str] = {}
    showroom = None
    if fields.fulfilment == Fulfilment.DELIVERY:
        _delivery_address(fields, draft, errors, today)
    elif fields.fulfilment == Fulfilment.PICKUP:
        showroom = _pickup_showroom(fields, draft, errors)
    view = cart_services.view(items, today)
    _cart_problems(view, errors)
    if view.adults_only and not fields.age_confirmed:
        errors["age_confirmed"] = _(
            "%(name)s is not sold to persons under 18: confirm that you are 18 or older.",
            name=view.adults_only[0].product.name,
        )
    return draft, showroom, view, errors


def _delivery_address(fields: CheckoutFields, draft: OrderDraft, errors: dict, today: date) -> None:
    places = {str(o.region.id): o for o in delivery_places(today)}
    province = places.get(fields.province)
    if province is None:
        errors["province"] = _("Choose the province.")
        return
    communes = {str(c.id): c for c in province.communes}
    commune = communes.get(fields.commune)
    if commune is None:
        errors["commune"] = _(
            "Choose the commune or ward in %(province)s.", province=province.region.name
        )
    draft.province_id = province.region.id
    draft.commune_id = commune.id if commune else None
    draft.address_line = fields.address


def _pickup_showroom(fields: CheckoutFields, draft: OrderDraft, errors: dict) -> Showroom | None:
    showroom = db.session.scalar(
        select(Showroom).where(Showroom.code == fields.showroom, Showroom.active.is_(True))
    )
    if showroom is None:
        errors["showroom"] = _("Choose the showroom where you collect the order.")
    else:
        draft.pickup_showroom_id = showroom.id
    return showroom


def _cart_problems(view: cart_services.CartView, errors: dict) -> None:
    if not view.lines:
        errors["cart"] = _("Your cart is empty.")
    for line in view.lines:
        if line.problem:
            errors["cart"] = _(
                "%(name)s: %(problem)s Remove it from the cart to go on.",
                name=line.product.name,
                problem=line.problem,
            )


def _placed_line(
    line: cart_services.CartLine, showroom: Showroom | None, errors: dict[str, str]
) -> PlacedLine:
    """Where the line's units are reserved: at the pick-up showroom (which must hold them) or in
    the producer's warehouse (which must have them for sale online)."""
    if showroom is not None:
        location_id = stock.showroom_location(showroom.id).id
        if stock.available(line.product.id, location_id) < line.quantity:
            errors["showroom"] = _(
                "%(showroom)s does not have %(n)d × %(name)s. Choose another showroom or delivery.",
                showroom=showroom.name,
                n=line.quantity,
                name=line.product.name,
            )
    else:
        location_id = stock.warehouse_of(line.product.producer_id).id
        if line.available_online <= 0:
            errors["cart"] = SoldOut(line.product.name).args[0]
        elif line.available_online < line.quantity:
            errors["cart"] = _(
                "Only %(n)d × %(name)s can be delivered now.",
                n=line.available_online,
                name=line.product.name,
            )
    return PlacedLine(line.product, line.quantity, location_id, line.notices)
