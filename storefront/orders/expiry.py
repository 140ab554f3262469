"""Unpaid orders past their pay-by time: the job that expires them and frees their units (run
from cron as `flask --app wsgi orders expire`; placing an order runs it too, so units held by
expired orders are for sale to the buyer). Pages never run it: they read an overdue order as
expired (Order.state_on)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storefront.clock import utcnow
from storefront.extensions import db
from storefront.orders.models import Order, OrderPart, OrderStatus
from storefront.orders.services import SYSTEM, InvalidTransition, change_status


def expire_due_orders(now: datetime | None = None) -> int:
    """Expire unpaid orders past their time and release their units. Safe to run anywhere, any
    number of times (from `flask orders expire`, and when an order is placed)."""
    now = now or utcnow()
    due = db.session.scalars(
        select(Order)
        .where(Order.status == OrderStatus.AWAITING_PAYMENT, Order.pay_by < now)
        .options(selectinload(Order.parts).selectinload(OrderPart.lines))
    ).all()
    expired = 0
    for order in due:
        try:
            change_status(order, OrderStatus.EXPIRED, SYSTEM, note="Quá hạn thanh toán")
        except InvalidTransition:
            continue  # paid or cancelled by someone else in the meantime
        expired += 1
    return expired
