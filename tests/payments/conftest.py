"""Payment fixtures: orders placed through the real cart and checkout pages, Stripe switched on
with test keys, and fresh reads of what the database holds (never the ORM objects a request left
behind)."""

from __future__ import annotations

import html
from dataclasses import dataclass

import pytest
from flask_babel import gettext
from sqlalchemy import func, select

import storefront.catalog  # noqa: F401  (load catalog before inventory: see tests/inventory)
from storefront.extensions import db
from storefront.inventory import services as inventory
from storefront.inventory.models import StockLevel, StockLocation
from storefront.orders.models import Order, OrderEvent
from storefront.payments.models import Payment, StripeEvent
from tests.checkout_helpers import Placed, place_order

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


@pytest.fixture()
def stripe_on(app, monkeypatch):
    """Stripe Checkout configured with test keys (card payment and the webhook are on)."""
    monkeypatch.setitem(app.config, "STRIPE_SECRET_KEY", STRIPE_SECRET_KEY)
    monkeypatch.setitem(app.config, "STRIPE_WEBHOOK_SECRET", STRIPE_WEBHOOK_SECRET)
    return app


@pytest.fixture()
def checkout(client, app_ctx):
    """checkout(product, quantity=1, method="bank_transfer", **fields) -> Placed: the order placed
    through the cart and checkout pages (tests/checkout_helpers.place_order)."""

    def place(product, quantity: int = 1, method: str = "bank_transfer", **fields) -> Placed:
        return place_order(client, product, quantity, method, **fields)

    return place


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
