"""What the payment tests read: an order as stored (never the ORM objects a request left behind),
payments to review, the stock, Stripe events, and text as the shop shows it."""

from __future__ import annotations

import html
from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import func, select

import storefront.catalog  # noqa: F401  (load catalog before inventory: see tests/inventory)
from storefront.extensions import db
from storefront.inventory import services as inventory
from storefront.inventory.models import StockLevel, StockLocation
from storefront.orders.models import Order, OrderEvent
from storefront.payments.models import Payment, StripeEvent

STRIPE_SECRET_KEY = "sk_test_ocop"
STRIPE_WEBHOOK_SECRET = "whsec_test_ocop"


@dataclass(frozen=True)
class OrderState:
    """An order as stored, with what hangs off it."""

    status: str
    total_vnd: int
    paid: bool
    events: int
    payments: int
    stripe_session_id: str | None


def order_state(number: str) -> OrderState:
    db.session.expire_all()
    order = db.session.scalar(select(Order).where(Order.number == number))
    events = db.session.scalar(select(func.count()).where(OrderEvent.order_id == order.id))
    payments = db.session.scalar(  # money that paid the order; late or odd amounts are apart
        select(func.count()).where(Payment.order_id == order.id, Payment.needs_review.is_(False))
    )
    return OrderState(
        order.status,
        order.total_vnd,
        order.paid_at is not None,
        events,
        payments,
        order.stripe_session_id,
    )


def payments_to_review(number: str) -> int:
    db.session.expire_all()
    return db.session.scalar(
        select(func.count())
        .select_from(Payment)
        .join(Order, Order.id == Payment.order_id)
        .where(Order.number == number, Payment.needs_review.is_(True))
    )


def stock_state(product) -> tuple[int, int, int]:
    """(quantity, reserved, ledger sum) at the product's producer's warehouse."""
    location_id = db.session.scalar(
        select(StockLocation.id).filter_by(producer_id=product.producer_id)
    )
    row = db.session.execute(
        select(StockLevel.quantity, StockLevel.reserved).filter_by(
            product_id=product.id, location_id=location_id
        )
    ).one()
    return row.quantity, row.reserved, inventory.ledger_sum(product.id, location_id)


def stripe_event_count() -> int:
    return db.session.scalar(select(func.count()).select_from(StripeEvent))


def translated(app, message: str, **values) -> str:
    """``message`` as the shop shows it to a visitor (Vietnamese first), whatever the catalogue
    holds today."""
    with app.test_request_context("/"):
        return gettext(message, **values)


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))
