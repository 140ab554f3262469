"""Payment fixtures: orders placed through the real cart and checkout pages, and Stripe switched
on with test keys (what the tests read back is in tests/payments/helpers.py)."""

from __future__ import annotations

import pytest

from tests.checkout_helpers import Placed, place_order
from tests.payments.helpers import STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET


@pytest.fixture
def stripe_on(app, monkeypatch):
    """Stripe Checkout configured with test keys (card payment and the webhook are on)."""
    monkeypatch.setitem(app.config, "STRIPE_SECRET_KEY", STRIPE_SECRET_KEY)
    monkeypatch.setitem(app.config, "STRIPE_WEBHOOK_SECRET", STRIPE_WEBHOOK_SECRET)
    return app


@pytest.fixture
def checkout(client, app_ctx):
    """checkout(product, quantity=1, method="bank_transfer", **fields) -> Placed: the order placed
    through the cart and checkout pages (tests/checkout_helpers.place_order)."""

    def place(product, quantity: int = 1, method: str = "bank_transfer", **fields) -> Placed:
        return place_order(client, product, quantity, method, **fields)

    return place
