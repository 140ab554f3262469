"""Following an order in a real Chromium on a phone: a transfer order turns paid within seconds of
a signed SePay notification, without a reload; a customer who signed up with a mobile number
resets the password with the code read from the dev outbox page; and screenshots (390 and
1280 px) of "Đơn hàng của tôi", an order's timeline with its parcel's tracking link, and the
office's queue of transfers to review."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from storefront.accounts.models import User
from storefront.catalog.cards import sellable_ids
from storefront.catalog.models import Product
from storefront.clock import today
from storefront.extensions import db
from storefront.inventory import services as stock
from storefront.orders import services as orders
from storefront.orders.models import Order, PartStatus
from storefront.register.models import Producer
from tests.browser.pages import overflow
from tests.checkout_helpers import place_order

try:  # without Playwright, conftest.py skips (or fails) every test here with the reason
    from playwright.sync_api import expect
except ImportError:
    expect = None

SHOTS = Path("/tmp/h15b")
SEPAY_KEY = "browser-sepay-key"
PASSWORD = "mat khau cu 123"
PHONE_WIDTH, DESKTOP_WIDTH = 390, 1280


@pytest.fixture
def sepay_on(live_server):
    live_server.app.config["SEPAY_WEBHOOK_API_KEY"] = SEPAY_KEY
    yield
    live_server.app.config["SEPAY_WEBHOOK_API_KEY"] = ""


def _products(live_server, count: int) -> list[Product]:
    """Demo products on sale with units in their producer's warehouse, of producers the other
    browser tests leave alone (not Kora), one per producer."""
    with live_server.app.app_context():
        rows = db.session.execute(
            select(Product, Producer.code).join(Producer).where(Producer.code != "KORA")
        ).all()
        sold = sellable_ids({p.id for p, _ in rows}, today())
        picked: dict[str, Product] = {}
        for product, producer in rows:
            if product.id in sold and producer not in picked:
                level = stock.warehouse_of(product.producer_id)
                if stock.available(product.id, level.id) >= 3:
                    picked[producer] = product
        assert len(picked) >= count
        return list(picked.values())[:count]


def _place(live_server, product, method="bank_transfer", **fields):
    """An order placed through the shop's own checkout form (the suite's checkout helper)."""
    with live_server.app.app_context():
        client = live_server.app.test_client()
        return place_order(client, product, 1, method, **fields)


def _sepay(live_server, number: str, amount: int, transaction_id: int):
    return requests.post(
        live_server.url("/payments/sepay/webhook"),
        json={
            "id": transaction_id,
            "gateway": "Vietcombank",
            "transactionDate": "2026-11-30 14:02:37",
            "accountNumber": "0000000000",
            "code": None,
            "content": f"NGUYEN THI LAN chuyen tien {number}",
            "transferType": "in",
            "transferAmount": amount,
            "accumulated": 19_077_000,
            "subAccount": None,
            "referenceCode": f"FT{transaction_id}",
            "description": "",
        },
        headers={"Authorization": f"Apikey {SEPAY_KEY}"},
        timeout=10,
    )


def _total(live_server, number: str) -> int:
    with live_server.app.app_context():
        return db.session.scalar(select(Order.total_vnd).where(Order.number == number))


def test_a_transfer_order_turns_paid_within_seconds_of_the_webhook_without_a_reload(
    live_server, phone_page, page_problems, sepay_on
):
    page = phone_page
    [product] = _products(live_server, 1)
    placed = _place(live_server, product)
    page.goto(live_server.url(f"/don-hang/{placed.number}?k={placed.secret}"))
    expect(page.locator(".order-status strong")).to_have_text("chờ thanh toán")
    copy_buttons = page.locator(".pay-box button.copy-button")
    expect(copy_buttons).to_have_count(3)
    expect(copy_buttons.first).to_be_visible()
    page.evaluate("window.__notReloaded = true")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "order-awaiting-transfer-390.png"), full_page=True)

    answer = _sepay(live_server, placed.number, _total(live_server, placed.number), 880001)
    assert answer.json() == {"success": True, "outcomes": ["paid"]}

    expect(page.locator(".order-status strong")).to_have_text("đã thanh toán", timeout=12_000)
    assert page.evaluate("window.__notReloaded") is True  # htmx swapped the panel in place
    expect(page.locator(".pay-box")).to_have_count(0)
    expect(page.locator("#order-live")).not_to_have_attribute("hx-trigger", "every 5s")
    expect(page.locator(".timeline-step")).to_have_count(2)  # placed, paid: swapped in too
    page.screenshot(path=str(SHOTS / "order-paid-by-webhook-390.png"), full_page=True)
    assert overflow(page) is None
    assert page_problems[page] == []


def test_a_phone_only_customer_resets_the_password_with_the_sms_code(
    live_server, phone_page, page_problems
):
    page = phone_page
    with live_server.app.app_context():
        user = User(phone="0987000111", role="customer", name="Y Sương")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()

    page.goto(live_server.url("/login"))
    page.get_by_role("link", name=re.compile("Quên mật khẩu")).click()
    page.get_by_label("E-mail hoặc số di động").fill("0987 000 111")
    page.get_by_role("button", name="Gửi liên kết hoặc mã").click()
    page.wait_for_url(re.compile(r"/quen-mat-khau/ma\?so=0987000111$"))
    expect(page.get_by_label("Số di động")).to_have_value("0987000111")

    outbox = page.context.new_page()
    outbox.goto(live_server.url("/dev/outbox"))
    sms = outbox.locator(".outbox-sms").filter(has_text="0987000111").first
    code = re.search(r"\b(\d{6})\b", sms.locator(".outbox-body").inner_text()).group(1)
    outbox.screenshot(path=str(SHOTS / "dev-outbox-390.png"), full_page=True)
    outbox.close()

    page.get_by_label("Mã trong tin nhắn").fill(code)
    page.get_by_label("Mật khẩu mới", exact=True).fill("mat khau moi 456")
    page.get_by_label("Nhập lại mật khẩu mới").fill("mat khau moi 456")
    page.get_by_role("button", name="Lưu mật khẩu mới").click()
    expect(page.locator(".flash-success")).to_be_visible()

    page.goto(live_server.url("/logout"))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.goto(live_server.url("/login"))
    page.get_by_label("E-mail hoặc số di động").fill("0987000111")
    page.get_by_label("Mật khẩu").fill("mat khau moi 456")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/tai-khoan$"))
    assert page_problems[page] == []


def test_screenshots_of_my_orders_the_timeline_and_the_review_queue(
    live_server, phone_page, desktop_page, page_problems, sepay_on
):
    """A customer with orders in several states; one parcel shipped with Viettel Post."""
    products = _products(live_server, 3)
    email = "screenshots@example.vn"
    with live_server.app.app_context():
        if db.session.scalar(select(User).filter_by(email=email)) is None:
            from storefront.accounts.services import create_user

            create_user(email, "customer", PASSWORD, name="Nguyễn Thị Lan")
            db.session.commit()
        client = live_server.app.test_client()
        client.post("/login", data={"identifier": email, "password": PASSWORD})
        cod = place_order(client, products[0], 1, "cod")
        transfer = place_order(client, products[1], 1, "bank_transfer")
        waiting = place_order(client, products[2], 1, "bank_transfer")
        order = db.session.scalar(select(Order).where(Order.number == cod.number))
        part = order.parts[0]
        office = orders.Actor("office", "VP OCOP")
        orders.change_part(
            part,
            PartStatus.SHIPPED,
            office,
            carrier="Viettel Post",
            tracking_number="VTP20261130001",
        )
        db.session.commit()
    _sepay(live_server, transfer.number, _total(live_server, transfer.number), 880100)
    _sepay(live_server, waiting.number, 10_000, 880101)  # too little: kept for review
    _sepay(live_server, "không ghi mã", 250_000, 880102)  # names no order

    SHOTS.mkdir(parents=True, exist_ok=True)
    for page, width in ((phone_page, PHONE_WIDTH), (desktop_page, DESKTOP_WIDTH)):
        page.goto(live_server.url("/login"))
        page.get_by_label("E-mail hoặc số di động").fill(email)
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        with page.expect_navigation():  # signed in before the next page is asked for
            page.locator("main form button[type=submit]").click()
        page.goto(live_server.url("/tai-khoan/don-hang"))
        expect(page.locator(".my-order").first).to_be_visible()
        page.screenshot(path=str(SHOTS / f"my-orders-{width}.png"), full_page=True)
        page.goto(live_server.url(f"/don-hang/{cod.number}"))
        link = page.locator("a.tracking-link")
        expect(link).to_have_attribute("href", re.compile(r"viettelpost.*VTP20261130001"))
        expect(page.locator(".timeline-step")).to_have_count(3)  # placed, parcel, order shipped
        page.screenshot(path=str(SHOTS / f"order-timeline-{width}.png"), full_page=True)
        if width == PHONE_WIDTH:
            assert overflow(page) is None
        page.goto(live_server.url("/logout"))
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()

    with live_server.app.app_context():
        from storefront.accounts.services import create_user

        office_email = "vp-screens@ocop.vn"
        if db.session.scalar(select(User).filter_by(email=office_email)) is None:
            create_user(office_email, "office", PASSWORD)
            db.session.commit()
    for page, width in ((phone_page, PHONE_WIDTH), (desktop_page, DESKTOP_WIDTH)):
        page.goto(live_server.url("/login"))
        page.get_by_label("E-mail hoặc số di động").fill(office_email)
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        page.goto(live_server.url("/office/payments"))
        expect(page.locator(".to-review li")).to_have_count(2, timeout=5000)
        page.screenshot(path=str(SHOTS / f"review-queue-{width}.png"), full_page=True)
    assert all(problems == [] for problems in page_problems.values())
