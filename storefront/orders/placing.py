"""Placing an order: what checkout collected becomes an order with its lines, one part per
producer, its totals and its reserved units, in the caller's transaction (callers commit).
A form's key makes a double submission one order."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from storefront.catalog.models import Product
from storefront.clock import utcnow
from storefront.delivery.fees import Quote
from storefront.extensions import db
from storefront.inventory import services as stock
from storefront.orders.models import (
    Fulfilment,
    Order,
    OrderEvent,
    OrderLine,
    OrderPart,
    OrderStatus,
    PartStatus,
    PaymentMethod,
)
from storefront.orders.services import OrderError, SoldOut, access_digest
from storefront.register.codes import CODE_ALPHABET


@dataclass
class PlacedLine:
    product: Product
    quantity: int
    location_id: int
    notices: list[str] = field(default_factory=list)  # kept on the order line (the receipt)


@dataclass
class OrderDraft:
    """What checkout collected; prices and totals are never taken from here."""

    fulfilment: str
    payment_method: str
    contact_name: str
    contact_phone: str
    contact_email: str | None
    province_id: int | None = None
    commune_id: int | None = None
    address_line: str | None = None
    pickup_showroom_id: int | None = None
    note: str | None = None
    age_confirmed: bool = False
    # Each producer's parcel: its fee and days (storefront.delivery.fees), by producer id.
    parcels: dict[int, Quote] = field(default_factory=dict)


def new_order_number() -> str:
    return "DH" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def new_pickup_code() -> str:
    """Six characters only the buyer sees; the showroom checks them at hand-over."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def _charge_parcel(draft: OrderDraft, part: OrderPart) -> None:
    """Each producer ships its own parcel at the fee quoted at checkout; pick-up costs nothing.
    A delivery without a quote (a caller that did not ask) pays the flat SHIPPING_FEE_VND."""
    if draft.fulfilment == Fulfilment.PICKUP:
        part.shipping_vnd = 0
        return
    quote = draft.parcels.get(part.producer_id)
    if quote is None:
        part.shipping_vnd = current_app.config["SHIPPING_FEE_VND"]
        return
    part.shipping_vnd, part.days_min, part.days_max = quote.fee_vnd, quote.days_min, quote.days_max


def idempotency_digest(key: str, session_binding: str) -> str:
    """What an order keeps of its checkout form's key: a hash bound to the browser session the
    form was given to, so a key replayed from another session finds no order."""
    return hashlib.sha256(f"{session_binding}:{key}".encode()).hexdigest()


def order_for_form(digest: str) -> Order | None:
    return db.session.scalar(select(Order).where(Order.idempotency_digest == digest))


def place_order(
    draft: OrderDraft,
    lines: list[PlacedLine],
    *,
    customer_id: int | None,
    idempotency_digest: str,
) -> tuple[Order, str | None]:
    """Create the order and reserve every line's units in the caller's transaction.

    Returns (order, secret): the secret for the guest's link, or None when this form had already
    made its order (a double submission gives back the first order). Raises SoldOut when any line
    cannot be reserved; the caller rolls back and nothing is kept.
    """
    existing = order_for_form(idempotency_digest)
    if existing is not None:
        return existing, None
    if not lines:
        raise OrderError(_("Your cart is empty."))

    secret = secrets.token_urlsafe(18)
    order = Order(
        number=new_order_number(),
        idempotency_digest=idempotency_digest,
        access_digest=access_digest(secret),
        customer_id=customer_id,
        fulfilment=draft.fulfilment,
        payment_method=draft.payment_method,
        contact_name=draft.contact_name,
        contact_phone=draft.contact_phone,
        contact_email=draft.contact_email,
        province_id=draft.province_id,
        commune_id=draft.commune_id,
        address_line=draft.address_line,
        pickup_showroom_id=draft.pickup_showroom_id,
        note=draft.note,
        age_confirmed=draft.age_confirmed,
        pickup_code=new_pickup_code() if draft.fulfilment == Fulfilment.PICKUP else None,
        subtotal_vnd=0,
        total_vnd=0,
        status=_first_status(draft.payment_method),
    )
    parts: dict[int, OrderPart] = {}
    for line in lines:
        product = line.product
        part = parts.get(product.producer_id)
        if part is None:
            part = parts[product.producer_id] = OrderPart(
                producer_id=product.producer_id, status=PartStatus.PENDING
            )
            order.parts.append(part)
        order_line = OrderLine(
            product_id=product.id,
            location_id=line.location_id,
            product_code=product.code,
            product_name=product.name,
            unit=product.unit,
            producer_name=product.producer.name,
            unit_price_vnd=product.price_vnd,
            quantity=line.quantity,
            line_total_vnd=product.price_vnd * line.quantity,
            notices=" ".join(line.notices),
        )
        order.lines.append(order_line)
        part.lines.append(order_line)
    order.subtotal_vnd = sum(line.line_total_vnd for line in order.lines)
    for part in parts.values():
        _charge_parcel(draft, part)
    order.shipping_vnd = sum(part.shipping_vnd for part in parts.values())
    order.total_vnd = order.subtotal_vnd + order.shipping_vnd
    if order.status == OrderStatus.AWAITING_PAYMENT:
        order.pay_by = utcnow() + _payment_window(draft.payment_method)
    order.events.append(
        OrderEvent(
            from_status=None,
            to_status=order.status,
            actor_id=customer_id,
            actor_name=draft.contact_name,
        )
    )
    db.session.add(order)
    try:
        db.session.flush()
    except IntegrityError:
        # The same form, submitted twice at the same moment: the other request made the order.
        db.session.rollback()
        first = order_for_form(idempotency_digest)
        if first is None:
            raise
        return first, None
    for line in order.lines:
        try:
            stock.reserve(line.product_id, line.location_id, line.quantity, reference=order.number)
        except stock.OutOfStock as error:
            raise SoldOut(line.product_name) from error
    return order, secret


def _first_status(payment_method: str) -> str:
    if payment_method in (PaymentMethod.BANK_TRANSFER, PaymentMethod.CARD):
        return OrderStatus.AWAITING_PAYMENT
    return OrderStatus.PLACED


def _payment_window(payment_method: str) -> timedelta:
    hours = (
        current_app.config["CARD_PAYMENT_TTL_HOURS"]
        if payment_method == PaymentMethod.CARD
        else current_app.config["TRANSFER_PAYMENT_TTL_HOURS"]
    )
    return timedelta(hours=hours)
