"""Orders that customers collect at a showroom: the list, "ready" (the customer is told), and
the hand-over after checking the pick-up code, with cash at pick-up recorded as a payment.

Staff see and change only their own showroom's orders; callers commit."""

from __future__ import annotations

import hmac

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storefront.accounts.models import User
from storefront.extensions import db
from storefront.formatting import format_vnd
from storefront.orders import notifications
from storefront.orders import services as orders
from storefront.orders.models import Fulfilment, Order, OrderStatus, PaymentMethod
from storefront.orders.payment_panels import OPEN
from storefront.payments import services as payments
from storefront.showrooms.errors import NotFound, ShowroomError
from storefront.showrooms.scans import PICKUP_PASS_RE
from storefront.showrooms.staff import own_showroom_id


def pickup_orders(actor: User, *, include_closed: bool = False) -> list[Order]:
    """This showroom's pick-up orders: open ones (oldest first), then the last 30 closed."""
    showroom_id = own_showroom_id(actor)
    base = (
        select(Order)
        .where(Order.fulfilment == Fulfilment.PICKUP, Order.pickup_showroom_id == showroom_id)
        .options(selectinload(Order.lines))
    )
    open_orders = list(
        db.session.scalars(base.where(Order.status.in_(OPEN)).order_by(Order.created_at))
    )
    if not include_closed:
        return open_orders
    closed = db.session.scalars(
        base.where(Order.status.not_in(OPEN)).order_by(Order.created_at.desc()).limit(30)
    )
    return open_orders + list(closed)


def get_pickup(actor: User, number: str) -> Order:
    """A pick-up order of this showroom, else NotFound."""
    showroom_id = own_showroom_id(actor)
    order = orders.get_order((number or "")[:40])
    if order is None or order.pickup_showroom_id != showroom_id:
        raise NotFound(_("No such pick-up order at this showroom."))
    return order


def find_by_scan(actor: User, text: str) -> Order:
    """The order a scanned pass or a typed order number names (this showroom's only)."""
    match = PICKUP_PASS_RE.search((text or "").strip().upper()[:100])
    if match is None:
        raise ShowroomError(_("That is not an order number or a pick-up pass."))
    return get_pickup(actor, match.group(1))


def mark_ready(actor: User, number: str) -> Order:
    """The goods are set aside: the order is ready and the customer is told (e-mail or SMS)."""
    order = get_pickup(actor, number)
    _change(order, OrderStatus.READY_FOR_PICKUP, actor)
    notifications.pickup_ready(order)  # by e-mail, or SMS when the order has no address
    return order


def code_matches(order: Order, typed_or_scanned: str) -> bool:
    """The pick-up code typed, or the order page's QR scanned (number-code)."""
    text = (typed_or_scanned or "").strip().upper()[:100]
    if order.pickup_code is None:  # no code was ever given: the order number is the proof
        return hmac.compare_digest(text, order.number)
    if match := PICKUP_PASS_RE.fullmatch(text):
        if match.group(1) != order.number or match.group(2) is None:
            return False
        text = match.group(2)
    return hmac.compare_digest(text, order.pickup_code)


def hand_over(actor: User, number: str, code: str, *, cash_received: bool) -> Order:
    """Give the order to its buyer: the pick-up code must match; an order paid in cash at
    pick-up needs the cash taken (recorded as a payment, in the same transaction). The reserved
    units leave the showroom as sold."""
    order = get_pickup(actor, number)
    if order.status != OrderStatus.READY_FOR_PICKUP:
        raise ShowroomError(_("Order %(number)s is not ready for pick-up.", number=order.number))
    if not code_matches(order, code):
        raise ShowroomError(_("The pick-up code does not match this order. Do not hand it over."))
    if order.payment_method == PaymentMethod.CASH_AT_PICKUP and order.paid_at is None:
        if not cash_received:
            raise ShowroomError(
                _(
                    "Take the cash (%(amount)s) and tick “cash received” first.",
                    amount=format_vnd(order.total_vnd),
                )
            )
        try:
            payments.record_cash_at_pickup(order, recorded_by=actor.display_name)
        except payments.PaymentError as error:
            raise ShowroomError(str(error)) from error
    elif order.paid_at is None:
        raise ShowroomError(_("Order %(number)s is not paid yet.", number=order.number))
    _change(order, OrderStatus.COLLECTED, actor)
    return order


def _change(order: Order, to_status: str, actor: User) -> None:
    try:
        orders.change_status(order, to_status, orders.Actor.of(actor, "staff"))
    except orders.InvalidTransition as error:
        raise ShowroomError(str(error)) from error
