"""From a cart and a checkout form to what place_order needs: validated contact, where the goods
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

from storefront.accounts.services import normalise_email, normalise_mobile
from storefront.cart import services as cart_services
from storefront.catalog import regions as region_rules
from storefront.domain import Refused
from storefront.extensions import db
from storefront.inventory import services as stock
from storefront.orders import notifications
from storefront.orders import services as orders
from storefront.orders.models import Fulfilment, Order, PaymentMethod
from storefront.orders.services import OrderDraft, PlacedLine, SoldOut
from storefront.register.models import Region, Showroom

COMMUNE_KINDS = ("commune", "ward", "town")
log = logging.getLogger(__name__)


class CheckoutError(Refused):
    """Field errors for the form: {field name: message}."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


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
        options.append(ProvinceOption(province, sorted(communes, key=lambda r: r.name)))
    return sorted(options, key=lambda o: o.region.name)


def place(
    cart: cart_services.Cart,
    form: dict,
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
    attempt = partial(_place_once, cart, items, form, today, customer_id, idempotency_digest)
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
    form: dict,
    today: date,
    customer_id: int | None,
    idempotency_digest: str,
) -> tuple[Order, str | None]:
    try:
        draft, lines = prepare(items, form, today)
        order, secret = orders.place_order(
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


def prepare(items: dict[int, int], form: dict, today: date) -> tuple[OrderDraft, list[PlacedLine]]:  # noqa: C901
    """Check everything the buyer sent and the cart's lines; raise CheckoutError naming each
    field that is wrong. Prices come from the database later, never from the form."""
    errors: dict[str, str] = {}
    name = (form.get("name") or "").strip()
    if not 2 <= len(name) <= 200:
        errors["name"] = _("Enter the name of the person who receives the order.")
    phone = normalise_mobile(form.get("phone") or "")
    if phone is None:
        errors["phone"] = _("Enter a Vietnamese mobile number, e.g. 0912345678.")
    email = None
    if (form.get("email") or "").strip():
        email = normalise_email(form["email"])
        if email is None:
            errors["email"] = _("This is not an e-mail address.")
    fulfilment = form.get("fulfilment")
    if fulfilment not in set(Fulfilment):
        errors["fulfilment"] = _("Choose delivery or pick-up at a showroom.")
    method = form.get("payment_method")
    if method not in payment_methods(fulfilment if fulfilment in set(Fulfilment) else None):
        errors["payment_method"] = _("Choose a way to pay that fits how you get the goods.")
    note = (form.get("note") or "").strip()[:500] or None

    draft = OrderDraft(
        fulfilment=fulfilment,
        payment_method=method,
        contact_name=name,
        contact_phone=phone or "",
        contact_email=email,
        note=note,
    )
    showroom = None
    if fulfilment == Fulfilment.DELIVERY:
        _delivery_address(form, draft, errors, today)
    elif fulfilment == Fulfilment.PICKUP:
        showroom = db.session.scalar(
            select(Showroom).where(
                Showroom.code == (form.get("showroom") or ""), Showroom.active.is_(True)
            )
        )
        if showroom is None:
            errors["showroom"] = _("Choose the showroom where you collect the order.")
        else:
            draft.pickup_showroom_id = showroom.id

    view = cart_services.view(items, today)
    if not view.lines:
        errors["cart"] = _("Your cart is empty.")
    for line in view.lines:
        if line.problem:
            errors["cart"] = _(
                "%(name)s: %(problem)s Remove it from the cart to go on.",
                name=line.product.name,
                problem=line.problem,
            )
    if errors:
        raise CheckoutError(errors)

    placed = []
    for line in view.lines:
        if showroom is not None:
            location_id = stock.showroom_location(showroom.id).id
            if stock.available(line.product.id, location_id) < line.quantity:
                errors["showroom"] = _(
                    "%(showroom)s does not have %(n)d × %(name)s. Choose another "
                    "showroom or delivery.",
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
        placed.append(PlacedLine(line.product, line.quantity, location_id))
    if errors:
        raise CheckoutError(errors)
    return draft, placed


def _delivery_address(form: dict, draft: OrderDraft, errors: dict, today: date) -> None:
    places = {str(o.region.id): o for o in delivery_places(today)}
    province = places.get(str(form.get("province") or ""))
    if province is None:
        errors["province"] = _("Choose the province.")
        return
    communes = {str(c.id): c for c in province.communes}
    commune = communes.get(str(form.get("commune") or ""))
    if commune is None:
        errors["commune"] = _(
            "Choose the commune or ward in %(province)s.", province=province.region.name
        )
    address = (form.get("address") or "").strip()
    if not 5 <= len(address) <= 300:
        errors["address"] = _("Enter the house number and street or village.")
    draft.province_id = province.region.id
    draft.commune_id = commune.id if commune else None
    draft.address_line = address
