"""Card payment by Stripe Checkout: the session the shop asks Stripe for (HTTP intercepted by
`responses`, the real SDK underneath), and the webhook with real signatures, however often and in
whatever order Stripe delivers it. An order is marked paid by the signed webhook alone."""

from __future__ import annotations

import itertools
import json
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
import stripe
from sqlalchemy import select, update

from storefront.clock import utcnow
from storefront.extensions import db
from storefront.orders import expiry
from storefront.orders.models import Order
from storefront.payments import services as payments
from storefront.payments import stripe_checkout
from storefront.payments.models import Payment
from tests.factories import make_product
from tests.payments.helpers import (
    STRIPE_WEBHOOK_SECRET,
    order_state,
    page_text,
    payments_to_review,
    stock_state,
    stripe_event_count,
    translated,
)

SESSIONS_URL = "https://api.stripe.com/v1/checkout/sessions"
WEBHOOK = "/payments/stripe/webhook"
PRICE = 450_000  # đồng
SHIPPING = 30_000  # one producer's parcel (SHIPPING_FEE_VND)
_ids = itertools.count(1)


@pytest.fixture
def stripe_api(stripe_on, monkeypatch):
    """Stripe's API, intercepted. No real request leaves the machine and retries do not sleep."""
    monkeypatch.setattr(stripe._http_client.HTTPClient, "_sleep_time_seconds", lambda *a: 0)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def session_created(mock, session_id="cs_test_a1", url=None):
    url = url or f"https://checkout.stripe.com/c/pay/{session_id}"
    mock.post(SESSIONS_URL, json={"id": session_id, "object": "checkout.session", "url": url})
    return url


@pytest.fixture
def card_order(app_ctx, stripe_on, checkout):
    """A card order for 2 × a 450.000 đ product with 5 units in stock: (product, placed)."""
    product = make_product(name="Trà Shan tuyết", price_vnd=PRICE, stock=5)
    placed = checkout(product, quantity=2, method="card")
    return product, placed


@pytest.fixture
def paying_order(card_order):
    """The card order after the buyer pressed "pay by card": it knows its Stripe session
    (cs_test_a1, as start_checkout keeps it)."""
    _product, placed = card_order
    db.session.execute(
        update(Order).where(Order.number == placed.number).values(stripe_session_id="cs_test_a1")
    )
    db.session.commit()
    return card_order


# --- starting the payment ---------------------------------------------------------------------


def test_card_payment_sends_the_buyer_to_the_stripe_session_in_whole_dong(
    client, card_order, stripe_api
):
    _product, placed = card_order
    url = session_created(stripe_api)
    before = utcnow()

    response = client.post(f"/don-hang/{placed.number}/the")

    assert response.status_code == 303
    assert response.headers["Location"] == url
    assert len(stripe_api.calls) == 1
    request = stripe_api.calls[0].request
    assert request.headers["Idempotency-Key"] == f"checkout-{placed.number}"
    assert request.headers["Authorization"] == "Bearer sk_test_ocop"
    body = {k: v[0] if len(v) == 1 else v for k, v in parse_qs(request.body).items()}
    assert body["mode"] == "payment"
    assert body["currency"] == "vnd"
    # VND has no minor unit: 450.000 đ is 450000, never 45000000.
    assert body["line_items[0][price_data][currency]"] == "vnd"
    assert body["line_items[0][price_data][unit_amount]"] == "450000"
    assert body["line_items[0][quantity]"] == "2"
    assert body["line_items[0][price_data][product_data][name]"] == "Trà Shan tuyết"
    assert body["line_items[1][price_data][unit_amount]"] == str(SHIPPING)
    assert body["line_items[1][quantity]"] == "1"
    line_total = sum(
        int(body[f"line_items[{i}][price_data][unit_amount]"])
        * int(body[f"line_items[{i}][quantity]"])
        for i in range(2)
    )
    assert line_total == order_state(placed.number).total_vnd == 2 * PRICE + SHIPPING
    assert body["metadata[order_number]"] == placed.number
    assert body["payment_intent_data[metadata][order_number]"] == placed.number
    assert body["client_reference_id"] == placed.number
    assert body["customer_email"] == "lan@example.vn"
    for name in ("success_url", "cancel_url"):
        parts = urlsplit(body[name])
        assert (parts.scheme, parts.netloc) == ("http", "shop.test")
        assert parts.path == f"/don-hang/{placed.number}/the/xong"
    assert "cancelled=1" in body["cancel_url"]
    assert "cancelled" not in body["success_url"]
    # Stripe wants the session to live 30 minutes to 24 hours; the card order waits as long.
    expires_at = datetime.fromtimestamp(int(body["expires_at"]), UTC)
    assert before + timedelta(minutes=30) - timedelta(seconds=5) <= expires_at
    assert expires_at <= before + timedelta(hours=24)
    state = order_state(placed.number)
    assert state.status == "awaiting_payment"
    assert not state.paid
    assert state.payments == 0
    assert state.stripe_session_id == "cs_test_a1"


def test_a_second_click_asks_stripe_with_the_same_key_and_parameters(
    client, card_order, stripe_api
):
    _product, placed = card_order
    session_created(stripe_api)

    client.post(f"/don-hang/{placed.number}/the")
    client.post(f"/don-hang/{placed.number}/the")

    first, second = (call.request for call in stripe_api.calls)
    assert first.headers["Idempotency-Key"] == second.headers["Idempotency-Key"]
    assert parse_qs(first.body) == parse_qs(second.body)  # Stripe refuses a reused key otherwise


def test_a_late_second_click_still_asks_with_the_same_parameters(
    client, card_order, stripe_api, monkeypatch
):
    """The buyer opens the payment page when less than 30 minutes are left, leaves it, and
    clicks again a few minutes later: Stripe must get exactly the first request again."""
    _product, placed = card_order
    start = utcnow()
    db.session.execute(
        update(Order)
        .where(Order.number == placed.number)
        .values(pay_by=start + timedelta(minutes=5))
    )
    db.session.commit()
    session_created(stripe_api)
    monkeypatch.setattr(stripe_checkout, "utcnow", lambda: start)
    client.post(f"/don-hang/{placed.number}/the")
    monkeypatch.setattr(stripe_checkout, "utcnow", lambda: start + timedelta(minutes=3))

    response = client.post(f"/don-hang/{placed.number}/the")

    assert response.status_code == 303
    first, second = (call.request for call in stripe_api.calls)
    assert parse_qs(first.body) == parse_qs(second.body)


def test_a_card_order_waits_as_long_as_its_stripe_session_can_be_paid(
    client, card_order, stripe_api
):
    """The buyer opens the payment page late: the order must not expire (and give its units
    away) while Stripe can still take the money."""
    _product, placed = card_order
    db.session.execute(
        update(Order)
        .where(Order.number == placed.number)
        .values(pay_by=utcnow() + timedelta(minutes=5))
    )
    db.session.commit()
    session_created(stripe_api)

    client.post(f"/don-hang/{placed.number}/the")

    body = parse_qs(stripe_api.calls[0].request.body)
    expires_at = datetime.fromtimestamp(int(body["expires_at"][0]), UTC)
    assert expires_at >= utcnow() + timedelta(minutes=29)
    assert expiry.expire_due_orders(now=utcnow() + timedelta(minutes=10)) == 0
    db.session.commit()
    assert order_state(placed.number).status == "awaiting_payment"
    assert expiry.expire_due_orders(now=expires_at + timedelta(seconds=1)) == 1


@pytest.mark.parametrize(
    "failure",
    [
        {"status": 500, "json": {"error": {"type": "api_error", "message": "boom"}}},
        {"body": requests.ConnectionError("connection refused")},
    ],
    ids=["stripe-500", "connection-error"],
)
def test_when_stripe_fails_the_buyer_gets_a_clear_message_and_the_order_is_unchanged(
    app, client, card_order, stripe_api, failure
):
    product, placed = card_order
    stripe_api.post(SESSIONS_URL, **failure)
    before, stock_before = order_state(placed.number), stock_state(product)

    response = client.post(f"/don-hang/{placed.number}/the", follow_redirects=True)

    assert response.status_code == 200
    assert response.request.path == f"/don-hang/{placed.number}"
    assert translated(
        app,
        "The card payment service does not answer. Try again in a minute, or pay by bank transfer.",
    ) in page_text(response)
    assert len(stripe_api.calls) == 3  # the SDK retried twice, with the same idempotency key
    assert {c.request.headers["Idempotency-Key"] for c in stripe_api.calls} == {
        f"checkout-{placed.number}"
    }
    assert order_state(placed.number) == before
    assert before.stripe_session_id is None
    assert stock_state(product) == stock_before


def test_only_a_card_order_waiting_for_payment_can_start_a_card_payment(
    client, app_ctx, stripe_api, checkout
):
    product = make_product(price_vnd=PRICE, stock=5)
    placed = checkout(product, method="bank_transfer")

    response = client.post(f"/don-hang/{placed.number}/the")

    assert response.status_code == 409
    assert not stripe_api.calls


def test_without_stripe_keys_there_is_no_card_payment(app, client, app_ctx, checkout, monkeypatch):
    product = make_product(price_vnd=PRICE, stock=5)
    placed = checkout(product, method="bank_transfer")
    monkeypatch.setitem(app.config, "STRIPE_SECRET_KEY", None)

    assert client.post(f"/don-hang/{placed.number}/the").status_code == 400
    assert client.post(WEBHOOK, data=b"{}").status_code == 404


def test_someone_elses_order_cannot_start_a_card_payment(app, card_order, stripe_api):
    _product, placed = card_order

    assert app.test_client().post(f"/don-hang/{placed.number}/the").status_code == 404
    assert not stripe_api.calls


# --- the webhook --------------------------------------------------------------------------------


def event(kind: str, obj: dict, event_id: str | None = None) -> bytes:
    return json.dumps(
        {
            "id": event_id or f"evt_test_{next(_ids)}",
            "object": "event",
            "api_version": "2025-10-29.clover",
            "created": int(time.time()),
            "livemode": False,
            "pending_webhooks": 1,
            "type": kind,
            "data": {"object": obj},
        }
    ).encode()


def checkout_session(number: str, amount: int, payment_status: str = "paid", **extra) -> dict:
    return {
        "id": "cs_test_a1",
        "object": "checkout.session",
        "amount_total": amount,
        "currency": "vnd",
        "client_reference_id": number,
        "metadata": {"order_number": number},
        "mode": "payment",
        "payment_intent": "pi_test_a1",
        "payment_status": payment_status,
        "status": "complete" if payment_status == "paid" else "open",
        **extra,
    }


def signed(payload: bytes, secret: str = STRIPE_WEBHOOK_SECRET, timestamp: int | None = None):
    header = stripe.WebhookSignature.generate_signature_header(
        payload.decode(), secret, timestamp=timestamp
    )
    return {"Stripe-Signature": header}


def deliver(client, payload: bytes, headers=None):
    return client.post(
        WEBHOOK,
        data=payload,
        headers=signed(payload) if headers is None else headers,
        content_type="application/json",
    )


def total_of(number: str) -> int:
    return order_state(number).total_vnd


def test_a_paid_session_marks_the_order_paid_exactly_once_however_often_it_arrives(
    client, paying_order
):
    product, placed = paying_order
    total = total_of(placed.number)
    payload = event("checkout.session.completed", checkout_session(placed.number, total))
    before = order_state(placed.number)

    answers = [deliver(client, payload) for _ in range(10)]

    assert [a.status_code for a in answers] == [200] * 10
    assert answers[0].get_json() == {"status": "paid"}
    assert {a.get_json()["status"] for a in answers[1:]} == {"duplicate"}
    after = order_state(placed.number)
    assert after.status == "paid"
    assert after.paid
    assert after.events == before.events + 1  # one change of state in the history
    assert after.payments == 1
    assert stripe_event_count() == 1
    assert stock_state(product) == (5, 2, 5)  # still reserved: the producer ships them


def test_the_payment_is_recorded_with_its_amount_and_payment_intent(client, paying_order):
    _product, placed = paying_order
    total = total_of(placed.number)

    deliver(client, event("checkout.session.completed", checkout_session(placed.number, total)))

    payment = db.session.scalar(select(Payment))
    assert (payment.method, payment.amount_vnd, payment.reference) == ("card", total, "pi_test_a1")


def test_the_same_session_announced_by_two_events_is_paid_once(client, paying_order):
    _product, placed = paying_order
    total = total_of(placed.number)
    session = checkout_session(placed.number, total)

    deliver(client, event("checkout.session.completed", session))
    again = deliver(client, event("checkout.session.async_payment_succeeded", session))

    assert again.status_code == 200
    state = order_state(placed.number)
    assert state.status == "paid"
    assert state.payments == 1


def test_an_unpaid_completed_session_changes_nothing_until_the_async_payment_succeeds(
    client, paying_order
):
    _product, placed = paying_order
    total = total_of(placed.number)
    before = order_state(placed.number)

    waiting = deliver(
        client,
        event("checkout.session.completed", checkout_session(placed.number, total, "unpaid")),
    )

    assert waiting.status_code == 200
    assert order_state(placed.number) == before

    paid = deliver(
        client,
        event("checkout.session.async_payment_succeeded", checkout_session(placed.number, total)),
    )

    assert paid.status_code == 200
    assert paid.get_json() == {"status": "paid"}
    after = order_state(placed.number)
    assert after.status == "paid"
    assert after.payments == 1
    assert after.events == before.events + 1


def test_a_failed_async_payment_ends_the_order_and_gives_the_units_back(client, paying_order):
    product, placed = paying_order
    total = total_of(placed.number)

    for _ in range(3):
        deliver(
            client,
            event(
                "checkout.session.async_payment_failed",
                checkout_session(placed.number, total, "unpaid"),
            ),
        )

    state = order_state(placed.number)
    assert state.status == "expired"
    assert not state.paid
    assert state.payments == 0
    assert stock_state(product) == (5, 0, 5)


def test_a_paid_session_with_another_amount_does_not_mark_the_order_paid(client, paying_order):
    _product, placed = paying_order
    total = total_of(placed.number)
    before = order_state(placed.number)

    for wrong in (total * 100, total - 1):  # ×100 as if VND had cents; a partial amount
        response = deliver(
            client, event("checkout.session.completed", checkout_session(placed.number, wrong))
        )
        assert response.status_code == 200  # taken in (so Stripe stops retrying), not applied

    assert order_state(placed.number) == before
    assert payments_to_review(placed.number) == 2  # kept for the office, never lost


def test_expiry_after_payment_never_moves_a_paid_order_back(client, paying_order):
    product, placed = paying_order
    total = total_of(placed.number)
    deliver(client, event("checkout.session.completed", checkout_session(placed.number, total)))
    paid = order_state(placed.number)

    late = deliver(
        client,
        event("checkout.session.expired", checkout_session(placed.number, total, "unpaid")),
    )
    failed = deliver(
        client,
        event(
            "checkout.session.async_payment_failed",
            checkout_session(placed.number, total, "unpaid"),
        ),
    )

    assert late.status_code == failed.status_code == 200
    assert order_state(placed.number) == paid
    assert stock_state(product) == (5, 2, 5)  # the paid order keeps its units


def test_payment_news_after_expiry_neither_pays_nor_releases_again(client, paying_order):
    product, placed = paying_order
    total = total_of(placed.number)
    expired = event("checkout.session.expired", checkout_session(placed.number, total, "unpaid"))

    deliver(client, expired)
    after_expiry = order_state(placed.number)
    late = [
        deliver(
            client, event("checkout.session.completed", checkout_session(placed.number, total))
        ),
        deliver(
            client,
            event(
                "checkout.session.async_payment_succeeded", checkout_session(placed.number, total)
            ),
        ),
        deliver(client, expired),
        deliver(
            client,
            event("checkout.session.expired", checkout_session(placed.number, total, "unpaid")),
        ),
    ]

    assert [r.status_code for r in late] == [200] * 4
    assert after_expiry.status == "expired"
    assert order_state(placed.number) == after_expiry
    assert after_expiry.payments == 0
    # The money that came late waits for the office, once though two events announce it.
    assert payments_to_review(placed.number) == 1
    assert stock_state(product) == (5, 0, 5)


def test_an_expired_session_gives_the_reserved_units_back_exactly_once(client, paying_order):
    product, placed = paying_order
    total = total_of(placed.number)
    assert stock_state(product) == (5, 2, 5)
    before = order_state(placed.number)

    for _ in range(3):
        deliver(
            client,
            event(
                "checkout.session.expired",
                checkout_session(placed.number, total, "unpaid"),
                event_id="evt_expired_once",
            ),
        )
    deliver(
        client, event("checkout.session.expired", checkout_session(placed.number, total, "unpaid"))
    )
    assert expiry.expire_due_orders(now=utcnow() + timedelta(days=2)) == 0
    db.session.commit()

    after = order_state(placed.number)
    assert after.status == "expired"
    assert after.events == before.events + 1
    assert stock_state(product) == (5, 0, 5)  # all five on sale again


def test_a_full_refund_found_by_payment_intent_marks_the_order_refunded(client, paying_order):
    product, placed = paying_order
    total = total_of(placed.number)
    deliver(client, event("checkout.session.completed", checkout_session(placed.number, total)))
    charge = {
        "id": "ch_test_a1",
        "object": "charge",
        "amount": total,
        "amount_refunded": total,
        "currency": "vnd",
        "metadata": {},  # a charge does not carry the session's metadata
        "payment_intent": "pi_test_a1",
        "refunded": True,
    }
    refund = event("charge.refunded", charge)

    answers = [deliver(client, refund) for _ in range(3)]

    assert answers[0].get_json() == {"status": "refunded"}
    assert [a.status_code for a in answers] == [200] * 3
    state = order_state(placed.number)
    assert state.status == "refunded"
    assert state.payments == 1
    assert stock_state(product) == (5, 0, 5)  # the units were never shipped: back on sale


def test_a_partial_refund_is_left_to_the_office(client, paying_order):
    _product, placed = paying_order
    total = total_of(placed.number)
    deliver(client, event("checkout.session.completed", checkout_session(placed.number, total)))
    charge = {
        "id": "ch_test_a2",
        "object": "charge",
        "amount": total,
        "amount_refunded": 1000,
        "metadata": {},
        "payment_intent": "pi_test_a1",
        "refunded": False,
    }

    response = deliver(client, event("charge.refunded", charge))

    assert response.status_code == 200
    assert order_state(placed.number).status == "paid"


def test_events_for_unknown_orders_and_other_types_are_acknowledged(client, paying_order):
    _product, placed = paying_order

    unknown = deliver(
        client, event("checkout.session.completed", checkout_session("DHZZZZZZZZ", 1000))
    )
    other = deliver(client, event("customer.created", {"id": "cus_1", "object": "customer"}))

    assert unknown.status_code == other.status_code == 200
    assert order_state(placed.number).status == "awaiting_payment"


def test_a_webhook_that_failed_half_way_is_applied_when_stripe_retries(
    client, paying_order, monkeypatch
):
    """An error while applying an event must not leave the event marked as seen, or Stripe's
    retry would be dropped as a duplicate and the paid order never marked paid."""
    _product, placed = paying_order
    total = total_of(placed.number)
    payload = event("checkout.session.completed", checkout_session(placed.number, total))
    real = payments.record_payment
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(payments, "record_payment", flaky)

    first = deliver(client, payload)
    assert first.status_code == 500  # Stripe retries a 5xx
    assert stripe_event_count() == 0
    assert order_state(placed.number).status == "awaiting_payment"

    retry = deliver(client, payload)

    assert retry.status_code == 200
    assert retry.get_json() == {"status": "paid"}
    state = order_state(placed.number)
    assert state.status == "paid"
    assert state.payments == 1


def bad_deliveries(number: str, total: int):
    payload = event("checkout.session.completed", checkout_session(number, total))
    tampered = payload.replace(b'"amount_total": %d' % total, b'"amount_total": 1')
    assert tampered != payload
    old = int(time.time()) - 3600
    return {
        "missing header": (payload, {}),
        "empty header": (payload, {"Stripe-Signature": ""}),
        "garbage header": (payload, {"Stripe-Signature": "t=1,v1=deadbeef"}),
        "wrong secret": (payload, signed(payload, secret="whsec_someone_else")),
        "tampered body": (tampered, signed(payload)),
        "too old": (payload, signed(payload, timestamp=old)),
        "not utf-8": (b"\xff\xfe" + payload, signed(payload)),
    }


CASES = [
    "missing header",
    "empty header",
    "garbage header",
    "wrong secret",
    "tampered body",
    "too old",
    "not utf-8",
]


@pytest.mark.parametrize("case", CASES)
def test_a_webhook_without_a_valid_signature_is_refused_and_changes_nothing(
    client, paying_order, case
):
    product, placed = paying_order
    payload, headers = bad_deliveries(placed.number, total_of(placed.number))[case]
    before, stock_before = order_state(placed.number), stock_state(product)

    response = client.post(WEBHOOK, data=payload, headers=headers, content_type="application/json")

    assert response.status_code == 400
    assert "error" in response.get_json()
    assert order_state(placed.number) == before
    assert stock_state(product) == stock_before
    assert stripe_event_count() == 0


def test_a_signed_body_that_is_not_json_is_refused(client, paying_order):
    payload = b"not json at all"

    response = deliver(client, payload)

    assert response.status_code == 400
    assert stripe_event_count() == 0


# --- the return page --------------------------------------------------------------------------


def test_the_return_page_waits_for_the_webhook_and_never_marks_paid_itself(
    app, client, paying_order
):
    _product, placed = paying_order
    waiting = translated(app, "Waiting for confirmation")
    received = translated(app, "Payment received")
    before = order_state(placed.number)

    for _ in range(3):
        page = client.get(f"/don-hang/{placed.number}/the/xong?session_id=cs_test_a1")
        assert page.status_code == 200
        assert waiting in page_text(page)
        assert received not in page_text(page)
    assert order_state(placed.number) == before

    deliver(
        client,
        event("checkout.session.completed", checkout_session(placed.number, before.total_vnd)),
    )
    page = client.get(f"/don-hang/{placed.number}/the/xong")

    assert received in page_text(page)
    assert waiting not in page_text(page)
    assert order_state(placed.number).payments == 1


def test_the_cancel_return_says_the_payment_was_not_finished(app, client, paying_order):
    _product, placed = paying_order

    page = client.get(f"/don-hang/{placed.number}/the/xong?cancelled=1")

    assert page.status_code == 200
    assert translated(app, "Payment not finished") in page_text(page)
    assert order_state(placed.number).status == "awaiting_payment"


def test_the_return_page_of_someone_elses_order_is_not_found(app, paying_order):
    _product, placed = paying_order

    assert app.test_client().get(f"/don-hang/{placed.number}/the/xong").status_code == 404


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"id": "cs_test_someone_else"}, "other_session"),
        ({"mode": "subscription"}, "not_a_payment"),
        ({"currency": "usd"}, "other_currency"),
    ],
    ids=["another-session", "another-mode", "another-currency"],
)
def test_a_paid_session_that_does_not_match_the_order_is_kept_for_review_not_paid(
    app, client, paying_order, changes, reason
):
    _product, placed = paying_order
    total = total_of(placed.number)
    before = order_state(placed.number)
    session = {**checkout_session(placed.number, total), **changes}

    response = deliver(client, event("checkout.session.completed", session))

    assert response.status_code == 200  # taken in, so Stripe stops retrying; not applied
    assert order_state(placed.number) == before
    review = db.session.scalar(select(Payment).where(Payment.needs_review.is_(True)))
    assert (review.review_reason, review.amount_vnd) == (reason, total)


def test_a_stripe_payment_for_an_order_not_paid_by_card_does_not_pay_it(
    client, app_ctx, stripe_on, checkout
):
    placed = checkout(make_product(name="Cà phê", price_vnd=PRICE, stock=5))  # bank transfer
    total = total_of(placed.number)
    db.session.execute(
        update(Order).where(Order.number == placed.number).values(stripe_session_id="cs_test_a1")
    )
    db.session.commit()

    deliver(client, event("checkout.session.completed", checkout_session(placed.number, total)))

    assert order_state(placed.number).status == "awaiting_payment"
    assert payments_to_review(placed.number) == 1
