"""The same SePay notification delivered ten times at once over real HTTP (SePay retries, a
proxy repeats): one payment, one recorded transfer, the order paid once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import requests
from sqlalchemy import func, select

from storefront.extensions import db
from storefront.orders.models import OrderEvent, OrderStatus
from storefront.payments.models import BankNotification, Payment
from tests.checkout_helpers import add_to_cart, checkout, the_order
from tests.factories import make_product

KEY = "race-key"


def test_ten_simultaneous_deliveries_of_one_transfer_pay_once(app, app_ctx, client, live_server):
    app.config["SEPAY_WEBHOOK_API_KEY"] = KEY
    try:
        add_to_cart(client, make_product(price_vnd=100_000, stock=5), 1)
        checkout(client, payment_method="bank_transfer")
        order = the_order()
        body = {
            "id": 4242,
            "gateway": "MBBank",
            "transactionDate": "2026-11-30 10:00:00",
            "accountNumber": "0000000000",
            "code": None,
            "content": f"CK {order.number}",
            "transferType": "in",
            "transferAmount": order.total_vnd,
            "accumulated": 0,
            "subAccount": None,
            "referenceCode": "MB.1",
            "description": "",
        }

        def deliver(_n):
            return requests.post(
                f"{live_server}/payments/sepay/webhook",
                json=body,
                headers={"Authorization": f"Apikey {KEY}"},
                timeout=60,
            )

        with ThreadPoolExecutor(max_workers=10) as pool:
            answers = list(pool.map(deliver, range(10)))
    finally:
        app.config["SEPAY_WEBHOOK_API_KEY"] = ""

    assert [a.status_code for a in answers] == [200] * 10
    outcomes = sorted(a.json()["outcomes"][0] for a in answers)
    assert outcomes == ["duplicate"] * 9 + ["paid"]
    db.session.expire_all()
    assert the_order().status == OrderStatus.PAID
    assert db.session.scalar(select(func.count()).select_from(Payment)) == 1
    assert db.session.scalar(select(func.count()).select_from(BankNotification)) == 1
    paid_events = select(func.count()).where(OrderEvent.to_status == OrderStatus.PAID)
    assert db.session.scalar(paid_events) == 1
