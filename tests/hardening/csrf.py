"""What the CSRF and fuzz tests share: the routes that change something, the ones exempt from the
token (with why), the shop's refusal title, and a valid token as the shop's pages embed it."""

from __future__ import annotations

import secrets

from itsdangerous import URLSafeTimedSerializer

from tests.collection_app import collection_app

CHANGING_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# The only routes that take a POST without a token, each with what authenticates it instead.
EXEMPT = {
    "payments.stripe_webhook": "Stripe calls it, not a browser; its Stripe-Signature header is "
    "checked against STRIPE_WEBHOOK_SECRET (tests/payments/test_stripe.py)",
    "payments.sepay_webhook": "SePay calls it; its Authorization: Apikey header is checked "
    "against SEPAY_WEBHOOK_API_KEY (tests/payments/test_bank_webhooks.py)",
    "payments.casso_webhook": "Casso calls it; its X-Casso-Signature (HMAC-SHA512) is checked "
    "against CASSO_WEBHOOK_CHECKSUM_KEY (tests/payments/test_bank_webhooks.py)",
}
CSRF_TITLE = "Không thể nhận biểu mẫu này"  # "The form could not be accepted", in Vietnamese


def changing_endpoints(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if rule.methods & CHANGING_METHODS}


def checked_routes() -> list[str]:
    """Every route that changes something but the exempt ones (read when tests are collected)."""
    return sorted(changing_endpoints(collection_app()) - set(EXEMPT))


def valid_token(client, app) -> str:
    """A token as the shop's pages embed it: signed, bound to this client's session."""
    raw = secrets.token_hex(20)
    with client.session_transaction() as session:
        session["csrf_token"] = raw
    return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)
