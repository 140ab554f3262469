"""Transfers confirmed by themselves: SePay and Casso report each incoming transfer to a webhook,
authenticated as each documents. A transfer pays its order once however often it arrives; one
that cannot pay (no order, unknown order, late, too little, too much) is kept for the office
with its reason; a request without the right key or signature changes nothing."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import func, select

from storefront.clock import utcnow
from storefront.extensions import db
from storefront.orders.models import Order, OrderStatus
from storefront.payments.bank_webhooks import casso_signature
from storefront.payments.models import BankNotification, Payment
from tests.factories import make_product, make_user
from tests.payments.helpers import order_state, page_text, translated

SEPAY_KEY = "sepay-test-key-8f2a"
CASSO_KEY = "casso-checksum-key-19c7"
SEPAY_URL = "/payments/sepay/webhook"
CASSO_URL = "/payments/casso/webhook"


@pytest.fixture(autouse=True)
def keys(app, monkeypatch):
    monkeypatch.setitem(app.config, "SEPAY_WEBHOOK_API_KEY", SEPAY_KEY)
    monkeypatch.setitem(app.config, "CASSO_WEBHOOK_CHECKSUM_KEY", CASSO_KEY)


@pytest.fixture
def order(app_ctx, checkout):
    """A bank-transfer order of 350.000 đ (320.000 đ of honey and one 30.000 đ parcel)."""
    placed = checkout(make_product(name="Mật ong rừng", price_vnd=320_000, stock=3))
    assert order_state(placed.number).total_vnd == 350_000
    return placed.number


def sepay_body(transaction_id, content, amount, transfer_type="in"):
    """SePay's documented webhook body (developer.sepay.vn, "Tích hợp webhook")."""
    return {
        "id": transaction_id,
        "gateway": "Vietcombank",
        "transactionDate": "2026-11-30 14:02:37",
        "accountNumber": "0123499999",
        "code": None,
        "content": content,
        "transferType": transfer_type,
        "transferAmount": amount,
        "accumulated": 19_077_000,
        "subAccount": None,
        "referenceCode": "MBVCB.3278907687",
        "description": f"BankAPINotify {content}",
    }


def post_sepay(client, body, key=SEPAY_KEY):
    headers = {"Authorization": f"Apikey {key}"} if key is not None else {}
    return client.post(SEPAY_URL, json=body, headers=headers)


def casso_body(transaction_id, description, amount):
    """Casso's documented webhook v2 body (developer.casso.vn, "Xử lý sự kiện Webhook")."""
    return {
        "error": 0,
        "data": {
            "id": transaction_id,
            "reference": "FT24277123456",
            "description": description,
            "amount": amount,
            "runningBalance": 25_000_000,
            "transactionDateTime": "2026-11-30 15:06:37",
            "accountNumber": "88888888",
            "bankName": "VPBank",
            "bankAbbreviation": "VPB",
            "virtualAccountNumber": "",
            "virtualAccountName": "",
            "counterAccountName": "NGUYEN VAN A",
            "counterAccountNumber": "8888888888",
            "counterAccountBankId": "970415",
            "counterAccountBankName": "VietinBank",
        },
    }


def post_casso(client, body, key=CASSO_KEY, timestamp=None):
    timestamp = timestamp or str(int(time.time() * 1000))
    signature = casso_signature(timestamp, body, key)
    return client.post(
        CASSO_URL,
        data=json.dumps(body, ensure_ascii=False),
        content_type="application/json",
        headers={"X-Casso-Signature": f"t={timestamp},v1={signature}"},
    )


def kept_for_review() -> list[tuple[str | None, int, str]]:
    """(order number or None, amount, reason) of every payment waiting for the office."""
    db.session.expire_all()
    rows = db.session.execute(
        select(Order.number, Payment.amount_vnd, Payment.review_reason)
        .select_from(Payment)
        .outerjoin(Order, Order.id == Payment.order_id)
        .where(Payment.needs_review.is_(True))
        .order_by(Payment.id)
    )
    return [tuple(row) for row in rows]


def notifications() -> int:
    return db.session.scalar(select(func.count()).select_from(BankNotification))


def test_casso_signature_matches_the_example_in_its_documentation():
    """Casso's published example: body, checksum key, timestamp and the v1 signature it gives."""
    body = {
        "error": 0,
        "data": {
            "id": 0,
            "reference": "MA_GIAO_DICH_THU_NGHIEM",
            "description": "giao dich thu nghiem",
            "amount": 599000,
            "runningBalance": 25000000,
            "transactionDateTime": "2024-10-03 15:06:37",
            "accountNumber": "88888888",
            "bankName": "VPBank",
            "bankAbbreviation": "VPB",
            "virtualAccountNumber": "",
            "virtualAccountName": "",
            "counterAccountName": "NGUYEN VAN A",
            "counterAccountNumber": "8888888888",
            "counterAccountBankId": "970415",
            "counterAccountBankName": "VietinBank",
        },
    }
    key = "mgExMrjj4i7a1p8Cs6LmFbpCd8lbw4sSX4LZXPag7TKazeIogtR90tvWYTkwQbvs"
    assert casso_signature("1727948258788", body, key) == (
        "ed0a4bd2e826d5cb69988cdb141e6c1a080e21f3b57eb72cd78192220042b9e7"
        "dde0868fc667faea8e224900fa7904e7c88dfa098032fb2d6b6996856e8b7ff3"
    )


def test_a_sepay_transfer_delivered_ten_times_pays_its_order_once(client, order):
    body = sepay_body(92704, f"CT DEN:0123 MBVCB {order} thanh toan", 350_000)
    answers = [post_sepay(client, body) for _ in range(10)]

    assert [a.status_code for a in answers] == [200] * 10
    assert answers[0].json == {"success": True, "outcomes": ["paid"]}
    assert {a.json["outcomes"][0] for a in answers[1:]} == {"duplicate"}
    state = order_state(order)
    assert (state.status, state.paid, state.payments) == (OrderStatus.PAID, True, 1)
    assert notifications() == 1
    assert kept_for_review() == []


def test_a_casso_transfer_delivered_ten_times_pays_its_order_once(client, order):
    body = casso_body(7788, f"NGUYEN VAN A chuyen tien {order}", 350_000)
    answers = [post_casso(client, body) for _ in range(10)]

    assert [a.status_code for a in answers] == [200] * 10
    assert [a.json["outcomes"][0] for a in answers].count("paid") == 1
    state = order_state(order)
    assert (state.status, state.payments) == (OrderStatus.PAID, 1)
    assert notifications() == 1


@pytest.mark.parametrize(
    "authorization",
    [None, "Apikey wrong-key", f"Bearer {SEPAY_KEY}", f"Apikey {SEPAY_KEY}x", "Apikey "],
)
def test_sepay_without_its_api_key_is_refused_and_changes_nothing(client, order, authorization):
    headers = {"Authorization": authorization} if authorization is not None else {}
    answer = client.post(SEPAY_URL, json=sepay_body(1, order, 350_000), headers=headers)

    assert answer.status_code == 401
    state = order_state(order)
    assert (state.status, state.paid, state.payments) == (OrderStatus.AWAITING_PAYMENT, False, 0)
    assert notifications() == 0
    assert kept_for_review() == []


def test_casso_with_a_wrong_signature_is_refused_and_changes_nothing(client, order):
    body = casso_body(5, order, 350_000)
    wrong_key = post_casso(client, body, key="not-the-key")
    timestamp = str(int(time.time() * 1000))
    signed = casso_signature(timestamp, body, CASSO_KEY)
    tampered = dict(body, data=dict(body["data"], amount=350_001))
    altered = client.post(
        CASSO_URL, json=tampered, headers={"X-Casso-Signature": f"t={timestamp},v1={signed}"}
    )
    unsigned = client.post(CASSO_URL, json=body)

    assert [wrong_key.status_code, altered.status_code, unsigned.status_code] == [401] * 3
    state = order_state(order)
    assert (state.status, state.payments) == (OrderStatus.AWAITING_PAYMENT, 0)
    assert notifications() == 0
    assert kept_for_review() == []


def test_webhooks_do_not_exist_without_their_keys(client, app, order, monkeypatch):
    monkeypatch.setitem(app.config, "SEPAY_WEBHOOK_API_KEY", "")
    monkeypatch.setitem(app.config, "CASSO_WEBHOOK_CHECKSUM_KEY", "")

    assert post_sepay(client, sepay_body(1, order, 350_000), key="").status_code == 404
    assert post_casso(client, casso_body(1, order, 350_000), key="x").status_code == 404
    assert order_state(order).status == OrderStatus.AWAITING_PAYMENT


def test_transfers_that_cannot_pay_are_kept_for_review_each_with_its_reason(
    client, app_ctx, checkout, order
):
    cancelled = checkout(make_product(name="Trà sen", price_vnd=100_000, stock=5)).number
    client.post(f"/don-hang/{cancelled}/huy")
    expired = checkout(make_product(name="Nước mắm", price_vnd=100_000, stock=5)).number
    db.session.execute(
        Order.__table__.update()
        .where(Order.number == expired)
        .values(pay_by=utcnow().replace(year=2020))
    )
    db.session.commit()

    sent = [
        sepay_body(1, "chuyen tien mua hang", 99_000),  # no order number
        sepay_body(2, "thanh toan DH26ZZZZZZ", 120_000),  # a number the shop never gave
        sepay_body(3, f"{order} tra truoc", 300_000),  # too little
        sepay_body(4, f"{cancelled} thanh toan", 130_000),  # the buyer cancelled first
        sepay_body(5, f"{expired} thanh toan", 130_000),  # past its pay-by time
    ]
    outcomes = [post_sepay(client, body).json["outcomes"][0] for body in sent]
    too_much = post_casso(client, casso_body(6, f"CK {order}", 400_000))

    assert outcomes == ["review"] * 5
    assert too_much.json["outcomes"] == ["review"]
    assert kept_for_review() == [
        (None, 99_000, "no_order_number"),
        (None, 120_000, "unknown_order"),
        (order, 300_000, "amount_short"),
        (cancelled, 130_000, "order_cancelled"),
        (expired, 130_000, "order_expired"),
        (order, 400_000, "amount_over"),
    ]
    assert order_state(order).status == OrderStatus.AWAITING_PAYMENT
    assert order_state(cancelled).status == OrderStatus.CANCELLED
    assert order_state(expired).status == OrderStatus.EXPIRED
    assert notifications() == 6


def test_money_for_an_order_paid_already_is_kept_for_review(client, order):
    post_sepay(client, sepay_body(10, f"TT {order}", 350_000))
    again = post_sepay(client, sepay_body(11, f"TT lan 2 {order}", 350_000))

    assert again.json["outcomes"] == ["review"]
    assert order_state(order).payments == 1
    assert kept_for_review() == [(order, 350_000, "already_paid")]


def test_money_going_out_of_the_account_is_noted_and_ignored(client, order):
    answer = post_sepay(client, sepay_body(12, f"hoan tien {order}", 350_000, "out"))

    assert answer.json["outcomes"] == ["ignored"]
    assert order_state(order).status == OrderStatus.AWAITING_PAYMENT
    assert kept_for_review() == []
    assert notifications() == 1


def test_a_body_that_is_not_the_documented_shape_is_refused(client, order):
    headers = {"Authorization": f"Apikey {SEPAY_KEY}"}
    not_json = client.post(SEPAY_URL, data="id=1", headers=headers)
    no_id = post_sepay(client, {"content": order, "transferAmount": 350_000})
    no_amount = post_sepay(client, {"id": 3, "content": order, "transferAmount": "nhieu"})

    assert [not_json.status_code, no_id.status_code, no_amount.status_code] == [400] * 3
    assert notifications() == 0
    assert order_state(order).status == OrderStatus.AWAITING_PAYMENT


def test_the_office_sees_the_kept_transfers_with_their_reasons(client, auth, app, order):
    post_sepay(client, sepay_body(1, "chuyen tien mua hang", 99_000))
    post_sepay(client, sepay_body(2, f"{order} tra truoc", 300_000))
    auth.login(make_user(role="office"))

    page = page_text(client.get("/office/payments"))

    assert translated(app, "the transfer content names no order") in page
    assert translated(app, "less than the order's total") in page
    assert "sepay:2" in page


def test_the_order_page_polls_until_the_transfer_is_in(client, order):
    waiting = client.get(f"/don-hang/{order}").text
    assert 'hx-trigger="every 5s"' in waiting
    assert f"/don-hang/{order}/trang-thai-thanh-toan" in waiting
    assert 'data-copy="350000"' in waiting
    assert f'data-copy="{order}"' in waiting

    post_sepay(client, sepay_body(1, order, 350_000))
    fragment = client.get(f"/don-hang/{order}/trang-thai-thanh-toan")

    assert fragment.status_code == 200
    assert "hx-trigger" not in fragment.text  # the polling stops
    assert 'class="order-status state-paid"' in fragment.text
