"""From a cart and a checked checkout form to what place_order needs: where the goods
go (or which showroom they are collected from), and where each line's units are reserved."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from functools import partial

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, OperationalError

from storefront.cart import services as cart_services
from storefront.delivery import addresses, fees, places
from storefront.domain import Refused
from storefront.extensions import db
from storefront.inventory import services as stock
from storefront.orders import expiry, notifications, placing
from storefront.orders.models import Fulfilment, Order, PaymentMethod
from storefront.orders.placing import OrderDraft, PlacedLine
from storefront.orders.services import SoldOut
from storefront.register.models import Region, Showroom

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


def parcel_quotes(
    view: cart_services.CartView, fulfilment: str, province: Region | None
) -> list[fees.ParcelQuote]:
    """Each producer's parcel with its fee and days (none for pick-up)."""
    if fulfilment == Fulfilment.PICKUP:
        return []
    return fees.parcels(((line.product, line.quantity) for line in view.lines), province)


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
            _keep_address(order, customer_id)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        cart.restore(items)
        raise
    return order, secret


def _keep_address(order: Order, customer_id: int | None) -> None:
    """A signed-in customer's delivery address is offered at the next checkout."""
    if customer_id is None or order.fulfilment != Fulfilment.DELIVERY:
        return
    if order.province_id is None or order.commune_id is None or not order.address_line:
        return
    addresses.remember(
        customer_id,
        contact_name=order.contact_name,
        contact_phone=order.contact_phone,
        province_id=order.province_id,
        commune_id=order.commune_id,
        address_line=order.address_line,
    )


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
    province = db.session.get(Region, draft.province_id) if draft.province_id else None
    draft.parcels = {
        p.producer.id: p.quote for p in parcel_quotes(view, draft.fulfilment, province)
    }
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
    province = places.province(fields.province, today)
    if province is None:
        errors["province"] = _("Choose the province.")
        return
    commune = places.find_commune(province, fields.commune, today)
    if commune is None:
        errors["commune"] = _("Choose the commune or ward in %(province)s.", province=province.name)
    draft.province_id = province.id
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


@dataclass(frozen=True)
class PickupOption:
    """A showroom offered for pick-up: its distinguishing words first, and what it lacks of the
    cart (nothing: it can be chosen)."""

    showroom: Showroom
    short_name: str
    missing: list[str]

    @property
    def holds_everything(self) -> bool:
        return not self.missing


def short_names(names: list[str]) -> list[str]:
    """What tells each name apart on a phone: the words every name starts with are dropped
    ("Điểm giới thiệu … OCOP tỉnh Kon Tum" → "Tỉnh Kon Tum")."""
    if len(names) < 2:
        return names
    split = [name.split() for name in names]
    shared = 0
    while all(len(words) > shared + 1 for words in split) and len({w[shared] for w in split}) == 1:
        shared += 1
    shortened = [" ".join(words[shared:]) for words in split]
    return [s[:1].upper() + s[1:] if shared else s for s in shortened]


def pickup_options(view: cart_services.CartView, showrooms: list[Showroom]) -> list[PickupOption]:
    """Every open showroom, those holding every line of the cart first; for the others, what
    they lack ("2 × Sâm dây")."""
    units = stock.available_at_showrooms(line.product.id for line in view.lines)
    options = []
    for showroom, short in zip(showrooms, short_names([s.name for s in showrooms]), strict=True):
        missing = [
            f"{line.quantity} × {line.product.name}"
            for line in view.lines
            if units.get((showroom.id, line.product.id), 0) < line.quantity
        ]
        options.append(PickupOption(showroom, short, missing))
    return sorted(options, key=lambda o: not o.holds_everything)
