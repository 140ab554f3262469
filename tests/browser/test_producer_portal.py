"""The producer portal in a real Chromium on a phone: a producer logs in, changes a price and two
stock counts, and the shop and the ledger show it; plus screenshots of every portal page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from storefront.accounts import services as accounts
from storefront.catalog.models import Product
from storefront.extensions import db
from storefront.formatting import format_vnd
from storefront.producers import products as portal
from storefront.producers import transfers as consignment
from storefront.register import showrooms
from tests.browser.pages import PHONE_WIDTH, SCREENSHOT_DIR, SETTLE_IMAGES, overflow

try:  # without Playwright, conftest.py skips (or fails) every test here with the reason
    from playwright.sync_api import expect
except ImportError:
    expect = None

PRODUCER_EMAIL = "kora.test@example.vn"
PRODUCER_PASSWORD = "mat-khau-dai"
PRODUCER_NAME = "Chị Hoa Kora"
PRODUCER_CODE = "KORA"
PRICED = "Hồng đảng sâm KoRa 10%"  # its price changes
STEPPED = "Hồng đảng sâm KoRa 7%"  # its count goes up with + + (two taps)
TYPED = "Nấm linh chi KoRa"  # its count is typed
SHOWN = "Hồng đảng sâm KoRa 5%"  # the screenshots' product: a price change and a transfer
REASON = "Kiểm kho cuối tuần"
NUMBER = re.compile(r"\d+")


@pytest.fixture
def producer(live_server) -> str:
    """A producer account of KORA with a known password (the demo's passwords are random)."""
    with live_server.app.app_context():
        if accounts.find_by_identifier(PRODUCER_EMAIL) is None:
            accounts.create_user(
                PRODUCER_EMAIL,
                "producer",
                PRODUCER_PASSWORD,
                name=PRODUCER_NAME,
                producer_code=PRODUCER_CODE,
            )
            db.session.commit()
        db.session.remove()
    return PRODUCER_EMAIL


@pytest.fixture
def portal_in_use(live_server, producer) -> str:
    """A portal with something in it: a price change and a transfer in transit for SHOWN (not a
    product the journey touches), made through the portal's services. Returns SHOWN's code."""
    with live_server.app.app_context():
        user = accounts.find_by_identifier(producer)
        product = db.session.scalar(select(Product).where(Product.name == SHOWN))
        if not portal.price_history(user, product.id):
            portal.change_price(user, product.id, product.price_vnd + 15_000, product.version)
            showroom = showrooms.list_showrooms()[0]
            consignment.send_transfer(user, showroom.code, {product.id: 2}, "Gửi bán dịp Tết")
            db.session.commit()
        code = product.code
        db.session.remove()
    return code


def log_in(page, live_server, identifier: str, password: str) -> None:
    """Through the login form, as a person would; a producer lands on the portal's overview."""
    page.goto(live_server.url("/login"))
    form = page.locator("main form.form")
    form.locator("input[name=identifier]").fill(identifier)
    form.locator("input[name=password]").fill(password)
    form.locator("input[name=remember]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/producer/$"))
    expect(page.locator(".subnav-title")).to_be_visible()


def amount(text: str) -> int:
    """480.000 ₫ -> 480000."""
    digits = "".join(NUMBER.findall(text))
    assert digits, f"no amount in {text!r}"
    return int(digits)


def product_codes(page) -> dict[str, str]:
    """Product name -> code, from the overview's links."""
    codes = {}
    for link in page.locator(".portal-row a.portal-row-main").all():
        name = link.locator("strong").inner_text().strip()
        codes[name] = link.get_attribute("href").rstrip("/").rsplit("/", 1)[-1]
    return codes


def stock_row(page, name: str):
    row = page.locator("li.stepper-row").filter(
        has=page.locator("strong", has_text=re.compile(f"^{re.escape(name)}$"))
    )
    expect(row).to_have_count(1)
    return row


def counts_shown(row) -> tuple[int, int]:
    """What the stock page says is in the warehouse now, and how much is reserved for orders."""
    hint = row.locator("label .muted").inner_text()
    now = re.search(r"hiện (\d+)", hint)
    assert now, f"no 'hiện N' in {hint!r}"
    reserved = re.search(r"(\d+) đang giữ", hint)
    return int(now.group(1)), int(reserved.group(1)) if reserved else 0


def subnav(page, label: str, path: str) -> None:
    page.locator(".subnav-links a", has_text=label).click()
    page.wait_for_url(re.compile(re.escape(path) + "$"))
    expect(page.locator(f".subnav-links a[aria-current=page][href='{path}']")).to_be_visible()


# --- The journey ---------------------------------------------------------------------------------


def test_producer_updates_price_and_stock_from_a_phone(
    live_server, producer, phone_page, page_problems
):
    page = phone_page
    log_in(page, live_server, producer, PRODUCER_PASSWORD)
    codes = product_codes(page)
    for name in (PRICED, STEPPED, TYPED):
        assert name in codes, f"{name} is not on the overview: {sorted(codes)}"

    # One product, opened from the overview by tapping it.
    page.locator(".portal-row a.portal-row-main", has_text=PRICED).click()
    page.wait_for_url(re.compile(rf"/producer/products/{re.escape(codes[PRICED])}$"))
    expect(page.locator("h1")).to_have_text(PRICED)
    price_panel = page.locator("section[aria-labelledby=price-title]")
    old_price = amount(price_panel.locator("p .price").first.inner_text())
    new_price = 480_000 if old_price != 480_000 else 495_000

    price_input = price_panel.locator("input[name=price-price]")
    expect(price_input).to_have_value(str(old_price))
    price_input.fill(str(new_price))
    price_panel.get_by_role("button", name="Lưu giá").click()
    page.wait_for_url(re.compile(rf"/producer/products/{re.escape(codes[PRICED])}$"))
    expect(page.locator(".flash-success")).to_contain_text(
        "Giá mới đã được lưu và hiển thị trên cửa hàng."
    )
    expect(price_panel.locator("p .price").first).to_have_text(format_vnd(new_price))
    # The history keeps old, new and who.
    history = price_panel.locator("table tbody tr").filter(has_text=PRODUCER_NAME)
    expect(history).to_have_count(1)
    cells = history.locator("td")
    expect(cells.nth(1)).to_have_text(format_vnd(old_price))
    expect(cells.nth(2)).to_have_text(format_vnd(new_price))
    expect(cells.nth(3)).to_have_text(PRODUCER_NAME)

    # The stock list, by the portal's own navigation.
    subnav(page, "Tồn kho", "/producer/stock")
    stepped, typed = stock_row(page, STEPPED), stock_row(page, TYPED)
    stepped_before, stepped_reserved = counts_shown(stepped)
    typed_before, typed_reserved = counts_shown(typed)
    stepped_input = stepped.locator("input[type=number]")
    typed_input = typed.locator("input[type=number]")
    expect(stepped_input).to_have_value(str(stepped_before))
    expect(typed_input).to_have_value(str(typed_before))

    plus = stepped.locator("button.step[data-step='1']")
    plus.tap()
    plus.tap()
    stepped_after = stepped_before + 2
    expect(stepped_input).to_have_value(str(stepped_after))
    # A recount that found three fewer (or, if there are too few to lose three, seven more).
    typed_after = typed_before - 3 if typed_before - 3 >= typed_reserved else typed_before + 7
    typed_input.fill(str(typed_after))
    page.locator("input[name=reason]").fill(REASON)
    page.get_by_role("button", name="Lưu tất cả").click()
    page.wait_for_url(re.compile(r"/producer/stock$"))
    expect(page.locator(".flash-success")).to_contain_text("Đã lưu 2 số đếm.")
    assert counts_shown(stock_row(page, STEPPED))[0] == stepped_after
    assert counts_shown(stock_row(page, TYPED))[0] == typed_after

    # The shop: the new price, and what can be ordered online now.
    page.goto(live_server.url(f"/san-pham/{codes[PRICED]}"))
    expect(page.locator("h1")).to_have_text(PRICED)
    expect(page.locator(".product-price .price")).to_have_text(format_vnd(new_price))
    for name, counted, reserved in (
        (STEPPED, stepped_after, stepped_reserved),
        (TYPED, typed_after, typed_reserved),
    ):
        page.goto(live_server.url(f"/san-pham/{codes[name]}"))
        expect(page.locator("h1")).to_have_text(name)
        expect(page.locator(".availability .stock").first).to_have_text(
            f"Trực tuyến: còn {counted - reserved}"
        )

    # The ledger: both corrections, with the reason and the producer's name.
    page.goto(live_server.url("/producer/"))
    subnav(page, "Sổ kho", "/producer/ledger")
    for name, delta in ((STEPPED, 2), (TYPED, typed_after - typed_before)):
        row = page.locator("table tbody tr").filter(has_text=name).filter(has_text=REASON)
        expect(row).to_have_count(1)
        cells = row.locator("td")
        expect(cells.nth(1)).to_have_text(name)
        expect(cells.nth(2)).to_have_text("điều chỉnh")
        expect(cells.nth(3)).to_have_text(f"{delta:+d}".replace("-", "\u2212"))  # a real minus
        expect(cells.nth(4)).to_have_text(REASON)
        expect(cells.nth(5)).to_have_text(PRODUCER_NAME)

    assert not page_problems[page], "\n".join(page_problems[page])


# --- Screenshots ---------------------------------------------------------------------------------


def test_portal_pages_fit_a_phone(live_server, producer, portal_in_use, phone_page, page_problems):
    """Full-page screenshots of every portal page at 390 px, for a person to look at. Asserts
    only: each page loads, with no console error or CSP violation, no broken image, and nothing
    wider than the phone."""
    page = phone_page
    log_in(page, live_server, producer, PRODUCER_PASSWORD)
    pages = {
        "dashboard": "/producer/",
        "product": f"/producer/products/{portal_in_use}",
        "stock": "/producer/stock",
        "ledger": "/producer/ledger",
        "transfers": "/producer/transfers",
        "propose": "/producer/proposals/new",
    }
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for name, path in pages.items():
        response = page.goto(live_server.url(path), wait_until="load")
        if response is None or response.status != 200:
            problems.append(f"{path} answered {response and response.status}")
        for src in page.evaluate(SETTLE_IMAGES):
            problems.append(f"broken image {src} on {path}")
        page.screenshot(path=str(SCREENSHOT_DIR / f"portal-{name}.png"), full_page=True)
        if problem := overflow(page, PHONE_WIDTH):
            problems.append(problem)
    problems += page_problems[page]
    assert not problems, "\n".join(problems)
