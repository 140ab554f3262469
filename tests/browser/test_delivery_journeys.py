"""Delivery anywhere in Vietnam, in Chromium: the product page's fee line for the shopper's
province (htmx, no reload), "Mua ngay" straight to checkout, the cart's − / + steppers that update
the totals without a separate button, and checkout's province → commune with each parcel's fee.
Screenshots at 390 and 1280 px (test-artifacts/screenshots/delivery-*)."""

from __future__ import annotations

import re

from tests.browser.pages import PHONE_WIDTH, SCREENSHOT_DIR, overflow

try:  # without Playwright, conftest.py skips (or fails) every test here with the reason
    from playwright.sync_api import expect
except ImportError:
    expect = None

DESKTOP_WIDTH = 1280
PRODUCT = "Cà phê Arabica dạng bột"  # Đăk Glei TP, Kon Tum (today Quảng Ngãi)
PROVINCE = "Thành phố Hà Nội"
FEE_LINE = re.compile(r"^Giao đến Thành phố Hà Nội: [\d.]+\u00a0₫, \d+–\d+ ngày$")
MONEY = re.compile(r"[\d.]+\u00a0₫")


def money(text: str) -> int:
    return int(MONEY.search(text).group().replace("\u00a0₫", "").replace(".", ""))


def open_product(page, live_server) -> None:
    page.goto(live_server.url("/san-pham?q=ca+phe+arabica"))
    card = page.locator(".cards .card").filter(has=page.get_by_text(PRODUCT, exact=True))
    card.locator("a.card-link").click()
    expect(page.locator("h1")).to_have_text(PRODUCT)


def shoot(page, name: str, width: int, problems: list[str]) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"delivery-{name}-{width}.png"), full_page=True)
    if problem := overflow(page, width):
        problems.append(problem)


def test_fee_line_buy_now_steppers_and_checkout_fees(
    live_server, phone_page, desktop_page, page_problems
):
    problems: list[str] = []
    for page, width in ((phone_page, PHONE_WIDTH), (desktop_page, DESKTOP_WIDTH)):
        open_product(page, live_server)
        # No province chosen yet: a list to choose it, no fee.
        expect(page.locator(".delivery-fee")).to_have_count(0)
        url = page.url
        page.locator("#delivery-province").select_option(label=PROVINCE)
        expect(page.locator(".delivery-fee")).to_have_text(FEE_LINE)
        assert page.url == url  # htmx swapped the line in, no reload
        shoot(page, "product-fee", width, problems)

        # "Mua ngay": straight to checkout with that product, the province already chosen.
        page.get_by_role("button", name="Mua ngay").click()
        page.wait_for_url(re.compile(r"/thanh-toan$"))
        expect(page.locator("#province option:checked")).to_have_text(PROVINCE)
        expect(page.locator("#order-summary .summary-lines").first).to_contain_text(PRODUCT)

        # The cart: + and − change the line and the totals without another button.
        page.goto(live_server.url("/gio-hang"))
        line = page.locator(".cart-line").filter(has_text=PRODUCT)
        expect(line.locator("input[type=number]")).to_have_value("1")
        before = page.locator(".cart-total").inner_text()
        expect(page.get_by_role("button", name="Cập nhật số lượng")).to_have_count(0)
        line.get_by_role("button", name="Thêm một").click()
        expect(line.locator("input[type=number]")).to_have_value("2")
        expect(page.locator("header .cart-link .badge")).to_have_text("2")
        expect(page.locator(".cart-total")).not_to_have_text(before)
        assert money(page.locator(".cart-total").inner_text()) > money(before)
        expect(page.locator(".cart-summary")).to_contain_text("Giao đến Thành phố Hà Nội")
        shoot(page, "cart", width, problems)
        line.get_by_role("button", name="Bớt một").click()
        expect(line.locator("input[type=number]")).to_have_value("1")
        expect(page.locator(".cart-total")).to_have_text(before)

        # Checkout: the commune, typed; every parcel's fee and the total before placing.
        page.goto(live_server.url("/thanh-toan"))
        page.locator("#commune").fill("Phường Ba Đình")
        parcels = page.locator("#order-summary .parcels > li")
        expect(parcels).to_have_count(1)
        expect(parcels.first).to_contain_text("ngày")
        expect(page.locator("#order-summary")).to_contain_text("Giao đến Thành phố Hà Nội")
        shoot(page, "checkout", width, problems)
        problems += page_problems[page]
        page.goto(live_server.url("/gio-hang"))
        page.locator(".cart-line").filter(has_text=PRODUCT).get_by_role(
            "button", name="Xoá"
        ).click()
        expect(page.locator(".cart-line")).to_have_count(0)
    assert not problems, "\n".join(problems)
