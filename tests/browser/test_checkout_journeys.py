"""Buying in a real Chromium on a phone: an anonymous visitor searches, fills a cart with two
producers' products and pays cash on delivery; a second pays by VietQR and the QR on the page is
decoded with zbar; a third collects at a showroom; bad input is refused field by field; plus
screenshots of the cart, checkout and order pages at 390 and 1280 px."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import func, select

from storefront.catalog.models import Product
from storefront.extensions import db
from storefront.inventory import services as stock
from storefront.orders.models import Order
from storefront.register.models import Showroom
from storefront.vietqr import crc16_ccitt_false, parse_tlv
from tests.browser.pages import (
    PHONE_WIDTH,
    SCREENSHOT_DIR,
    SETTLE_IMAGES,
    decode_qr_png,
    overflow,
)

try:  # without Playwright, conftest.py skips (or fails) every test here with the reason
    from playwright.sync_api import expect
except ImportError:
    expect = None

DESKTOP_WIDTH = 1280
# A fresh phone context like the phone_page fixture's, for "someone else opens the link".
PHONE_CONTEXT = {
    "viewport": {"width": PHONE_WIDTH, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "vi-VN",
}

# The demo's products these journeys buy. None is a Kora product: the producer portal's browser
# test changes Kora's prices and stock in the same live server.
DGTP = "Đăk Glei TP"
HOANG_LINH = "Hoàng Linh"  # part of "Công ty cổ phần Ứng dụng công nghệ cao Hoàng Linh"
KORA = "Kora Group"
SAM_DAY_TP = "Sâm dây Ngọc Linh TP"  # DGTP
SAM_DAY_TUOI = "Sâm dây Ngọc Linh củ tươi"  # Hoàng Linh
CA_PHE = "Cà phê Arabica dạng bột"  # DGTP
PROVINCE = "Thành phố Hà Nội"  # the demo loads today's national units (flask regions sync)
WARD = "Phường Hoàn Kiếm"
SHOWROOM = "SR-KT"
ORDER_URL = re.compile(r"/don-hang/(DH[0-9A-Z]+)\?k=[\w-]+$")
MONEY = re.compile(r"^-?\d{1,3}(?:\.\d{3})*\u00a0₫$")

# Vietnamese as the pages show it.
STATUS_PLACED = "đã đặt"
STATUS_AWAITING = "chờ thanh toán"
COD = "Thanh toán khi nhận hàng (COD)"
CASH_AT_SHOWROOM = "Tiền mặt tại điểm bán"
PICKUP = "Nhận tại điểm bán"
PHONE_ERROR = "Nhập số di động Việt Nam"


@dataclass(frozen=True)
class Bought:
    code: str
    name: str
    producer: str
    unit_price: int
    quantity: int


def vnd(text: str) -> int:
    """``450.000 ₫`` (non-breaking space) → 450000; anything else is a formatting bug."""
    text = text.strip()
    assert MONEY.match(text), f"not a price as the shop writes it: {text!r}"
    return int(text.replace("\u00a0₫", "").replace(".", ""))


# --- Steps a shopper takes -----------------------------------------------------------------------


def search(page, query: str) -> None:
    """With the search box in the header, as a person would."""
    bar = page.locator("form.search-bar")
    bar.locator("input[name=q]").fill(query)
    bar.get_by_role("button", name="Tìm").click()
    page.wait_for_url(re.compile(r"/san-pham\?(.*&)?q="))
    expect(page.locator(".cards .card").first).to_be_visible()


def open_card(page, name: str) -> None:
    """Open the product card with exactly this name from the cards on the page."""
    card = page.locator(".cards .card").filter(has=page.get_by_text(name, exact=True))
    expect(card).to_have_count(1)
    card.locator("a.card-link").click()
    page.wait_for_url(re.compile(r"/san-pham/[^/?#]+$"))
    expect(page.locator("h1")).to_have_text(name)


def add_to_cart(page, quantity: int) -> Bought:
    """On a product page: note what it says, then add ``quantity`` with its form."""
    code = urlsplit(page.url).path.rsplit("/", 1)[-1]
    bought = Bought(
        code=code,
        name=page.locator("h1").inner_text().strip(),
        producer=page.locator(".product-main a[href^='/chu-the/']").inner_text().strip(),
        unit_price=vnd(page.locator(".product-price .price").inner_text()),
        quantity=quantity,
    )
    form = page.locator("form.add-to-cart")
    form.locator("#quantity").fill(str(quantity))
    form.get_by_role("button", name="Thêm vào giỏ").click()
    page.wait_for_url(re.compile(r"/gio-hang$"))
    expect(page.locator(".flash-success")).to_be_visible()
    return bought


def go_to_checkout(page) -> None:
    page.locator(".cart-summary").get_by_role("link", name="Đặt hàng").click()
    page.wait_for_url(re.compile(r"/thanh-toan$"))
    expect(page.locator("form.checkout")).to_be_visible()


def fill_contact(page, name: str, phone: str = "0912345678", email: str = "") -> None:
    form = page.locator("form.checkout")
    form.locator("#name").fill(name)
    form.locator("#phone").fill(phone)
    form.locator("#email").fill(email)


def fill_delivery(page, address: str = "12 Lê Lợi, tổ 3", commune: str = WARD) -> None:
    """The province, then its commune (htmx brings the province's communes in as it changes;
    the name is typed, the list under the field narrows as one types)."""
    form = page.locator("form.checkout")
    form.locator("input[name=fulfilment][value=delivery]").check()
    form.locator("#province").select_option(label=PROVINCE)
    expect(form.locator("#commune-hint")).to_contain_text(PROVINCE)
    form.locator("#commune").fill(commune)
    form.locator("#address").fill(address)


def checkout_delivery_fee(page) -> int:
    """The delivery the checkout's summary adds to the goods, before the order is placed."""
    rows = page.locator("#order-summary .when-delivery p.summary-total").evaluate_all(
        "rows => rows.map(r => [r.children[0].textContent, r.children[1].textContent])"
    )
    return vnd(rows[0][1])


def place_order(page) -> str:
    """Submit the checkout; returns the order number from the order page's private address."""
    page.locator("form.checkout").get_by_role("button", name="Đặt hàng").click()
    page.wait_for_url(ORDER_URL)
    return ORDER_URL.search(page.url).group(1)


def payment_choice(page, method: str):
    return page.locator(f"form.checkout label.choice:has(input[value={method}])")


def offered_payments(page) -> list[str]:
    """The payment methods whose choice the shopper can see (and so tap) right now."""
    labels = page.locator("form.checkout label.choice:has(input[name=payment_method])")
    return [
        label.locator("input").get_attribute("value")
        for label in labels.all()
        if label.is_visible()
    ]


def assert_fits(page, width: int = PHONE_WIDTH) -> None:
    problem = overflow(page, width)
    assert problem is None, problem


def unexpected(problems: list[str]) -> list[str]:
    """The page's console problems, less Chromium's note on the refused checkout's 400."""
    refused = re.compile(r"status of 400 \(BAD REQUEST\) \(http://[^/]+/thanh-toan\)$")
    return [problem for problem in problems if not refused.search(problem)]


def summary_amounts(page) -> dict[str, int]:
    """The order page's totals: {"Sản phẩm": …, "Giao hàng": …, "Tổng cộng": …}."""
    rows = page.locator("p.summary-total").evaluate_all(
        "rows => rows.map(r => [r.children[0].textContent, r.children[1].textContent])"
    )
    return {label.strip(): vnd(amount) for label, amount in rows}


def lines_by_producer(page) -> dict[str, list[str]]:
    """The order's lines under the producer heading they are listed under."""
    grouped: dict[str, list[str]] = {}
    current = None
    for item in page.locator("ul.summary-lines > li").all():
        if "summary-part" in (item.get_attribute("class") or ""):
            current = item.locator("strong").inner_text().strip()
            grouped[current] = []
        else:
            assert current is not None, "an order line before any producer heading"
            grouped[current].append(" ".join(item.inner_text().split()))
    return grouped


def orders_named(live_server, contact_name: str) -> int:
    with live_server.app.app_context():
        count = db.session.scalar(
            select(func.count()).select_from(Order).where(Order.contact_name == contact_name)
        )
        db.session.remove()
    return count


def holding(live_server, showroom_code: str, product_code: str) -> int:
    """Units of the product for sale at the showroom, as the database has them."""
    with live_server.app.app_context():
        showroom = db.session.scalar(select(Showroom).where(Showroom.code == showroom_code))
        product = db.session.scalar(select(Product).where(Product.code == product_code))
        units = stock.available_at_showrooms([product.id]).get((showroom.id, product.id), 0)
        db.session.remove()
    return units


def vietqr_payload(page) -> str:
    """The one QR code in the order page's ``img.vietqr`` (a PNG data URI), decoded by zbar."""
    image = page.locator(".pay-box img.vietqr")
    expect(image).to_be_visible()
    src = image.get_attribute("src")
    prefix = "data:image/png;base64,"
    assert src.startswith(prefix), f"the VietQR is not a PNG data URI: {src[:40]!r}"
    texts = decode_qr_png(base64.b64decode(src[len(prefix) :]))
    assert len(texts) == 1, f"expected one QR code in the VietQR image, zbar found {texts!r}"
    return texts[0]


def buy_coffee_by_transfer(page, live_server, contact_name: str) -> tuple[str, Bought]:
    page.goto(live_server.url("/"))
    search(page, "ca phe arabica")
    open_card(page, CA_PHE)
    coffee = add_to_cart(page, 1)
    go_to_checkout(page)
    fill_contact(page, contact_name, "0987654321")
    fill_delivery(page)
    page.locator("form.checkout input[name=payment_method][value=bank_transfer]").check()
    return place_order(page), coffee


# --- The journeys --------------------------------------------------------------------------------


def test_visitor_buys_from_two_producers_with_cash_on_delivery(
    live_server, phone_page, browser, page_problems
):
    page = phone_page
    page.goto(live_server.url("/"))

    # Search without accents, as people type on a phone; two producers' sâm dây come up.
    search(page, "sam day")
    producers = page.locator(".cards .card .card-producer").all_inner_texts()
    assert any(DGTP in p for p in producers), producers
    assert any(HOANG_LINH in p for p in producers), producers
    open_card(page, SAM_DAY_TP)
    first = add_to_cart(page, 2)
    assert first.producer == DGTP

    search(page, "sam day cu tuoi")
    open_card(page, SAM_DAY_TUOI)
    second = add_to_cart(page, 1)
    assert HOANG_LINH in second.producer
    assert first.producer != second.producer

    # The cart, by the header's link: three units in two lines.
    page.goto(live_server.url("/"))
    cart_link = page.locator("header .cart-link")
    expect(cart_link.locator(".badge")).to_have_text("3")
    cart_link.click()
    page.wait_for_url(re.compile(r"/gio-hang$"))
    lines = page.locator(".cart-line")
    expect(lines).to_have_count(2)
    expect(lines.filter(has_text=SAM_DAY_TP).locator("input[type=number]")).to_have_value("2")
    expect(lines.filter(has_text=SAM_DAY_TUOI).locator("input[type=number]")).to_have_value("1")
    products_total = first.unit_price * 2 + second.unit_price
    expect(page.locator(".cart-summary p.summary-total").first.locator("strong")).to_have_text(
        re.compile(rf"^{re.escape(f'{products_total:,}'.replace(',', '.'))}\s₫$")
    )

    # Checkout: contact, address, cash on delivery.
    go_to_checkout(page)
    fill_contact(page, "Nguyễn Thị Lan", "0912 345 678", "lan@example.vn")
    fill_delivery(page, commune="hoan kiem")  # typed as on a phone, without accents
    # The fee of each producer's parcel to Hà Nội, and the total, before the order is placed.
    parcels = page.locator("#order-summary .parcels > li")
    expect(parcels).to_have_count(2)
    expect(parcels.filter(has_text=DGTP)).to_contain_text("ngày")
    fee = checkout_delivery_fee(page)
    assert fee > 0
    expect(page.locator("#order-summary [data-total]")).to_have_text(
        re.compile(rf"^{re.escape(f'{products_total + fee:,}'.replace(',', '.'))}\s₫$")
    )
    expect(payment_choice(page, "cod")).to_be_visible()
    payment_choice(page, "cod").click()
    expect(page.locator("input[name=payment_method][value=cod]")).to_be_checked()
    number = place_order(page)
    private_url = page.url

    # The confirmation and the order page.
    expect(page.locator("h1")).to_contain_text(number)
    expect(page.locator(".notice")).to_contain_text("đường dẫn riêng")
    expect(page.locator(".order-status strong")).to_have_text(STATUS_PLACED)
    expect(page.locator(".pay-box")).to_have_count(0)  # nothing to pay now
    expect(page.locator("main")).to_contain_text(COD)
    grouped = lines_by_producer(page)
    assert set(grouped) == {first.producer, second.producer}, grouped
    assert [line.startswith(f"2 × {SAM_DAY_TP}") for line in grouped[first.producer]] == [True]
    assert [line.startswith(f"1 × {SAM_DAY_TUOI}") for line in grouped[second.producer]] == [True]
    amounts = summary_amounts(page)
    assert amounts == {
        "Sản phẩm": products_total,
        "Giao hàng": fee,  # one parcel per producer, as the checkout said
        "Tổng cộng": products_total + fee,
    }, amounts
    delivery = page.locator("section.panel").filter(has_text="Giao đến")
    expect(delivery).to_contain_text("Nguyễn Thị Lan")
    expect(delivery).to_contain_text("0912345678")
    expect(delivery).to_contain_text(WARD)
    expect(delivery).to_contain_text(PROVINCE)
    history = page.locator(".history > li")
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text(STATUS_PLACED)
    expect(history.first).to_contain_text(re.compile(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}"))
    # The cart was emptied by the order.
    expect(page.locator("header .cart-link .badge")).to_have_count(0)

    # Another browser (no cookies): the order's address without its secret is a 404 that tells
    # nothing; the private link shows the order. (In that order: a browser that has opened the
    # private link once may come back without the secret, as the one that placed the order.)
    other = browser.new_context(**PHONE_CONTEXT)
    try:
        stranger = other.new_page()
        response = stranger.goto(live_server.url(f"/don-hang/{number}"))
        assert response is not None
        assert response.status == 404
        expect(stranger.locator("main")).not_to_contain_text("Nguyễn Thị Lan")
        expect(stranger.locator(".summary-lines")).to_have_count(0)
        response = stranger.goto(private_url)
        assert response is not None
        assert response.status == 200
        expect(stranger.locator("h1")).to_contain_text(number)
        expect(stranger.locator(".order-status strong")).to_have_text(STATUS_PLACED)
        assert summary_amounts(stranger) == amounts
    finally:
        other.close()
    assert not page_problems[page], page_problems[page]


def test_bank_transfer_shows_a_vietqr_that_decodes(live_server, phone_page, page_problems):
    page = phone_page
    number, coffee = buy_coffee_by_transfer(page, live_server, "Trần Văn Hùng")

    expect(page.locator(".order-status strong")).to_have_text(STATUS_AWAITING)
    total = summary_amounts(page)["Tổng cộng"]
    assert total == coffee.unit_price + summary_amounts(page)["Giao hàng"]
    assert summary_amounts(page)["Giao hàng"] > 0

    box = page.locator(".pay-box")
    values = box.locator("dl.facts dd").evaluate_all(  # each value without its "Sao chép" button
        "dds => dds.map(dd => [...dd.childNodes]"
        ".filter(n => !(n.matches && n.matches('button.copy-button')))"
        ".map(n => n.textContent).join('').trim())"
    )
    facts = dict(zip(box.locator("dl.facts dt").all_inner_texts(), values, strict=True))
    assert vnd(facts["Số tiền"]) == total, facts
    assert facts["Nội dung chuyển khoản"].strip() == number, facts
    account = facts["Số tài khoản"].split()[0]
    copied = box.locator("button.copy-button").evaluate_all("bs => bs.map(b => b.dataset.copy)")
    assert copied == [account, str(total), number]  # what the "Sao chép" buttons copy

    payload = vietqr_payload(page)
    assert payload[-8:-4] == "6304", payload
    crc = crc16_ccitt_false(payload[:-4].encode("ascii"))
    assert f"{crc:04X}" == payload[-4:], f"bad CRC in {payload!r}"
    tags = parse_tlv(payload)
    assert tags["00"] == "01", tags
    assert tags["01"] == "12", tags  # dynamic: the amount is filled in
    assert tags["53"] == "704", tags
    assert tags["54"] == str(total), tags
    assert tags["58"] == "VN", tags
    assert parse_tlv(tags["62"])["08"] == number, tags
    merchant = parse_tlv(tags["38"])
    assert merchant["00"] == "A000000727", merchant
    assert merchant["02"] == "QRIBFTTA", merchant
    beneficiary = parse_tlv(merchant["01"])
    assert beneficiary["00"] == live_server.app.config["VIETQR_BANK_BIN"], merchant
    assert beneficiary["01"] == account, merchant
    assert not page_problems[page], page_problems[page]


def test_pickup_at_a_showroom(live_server, phone_page, page_problems):
    page = phone_page
    page.goto(live_server.url(f"/diem-ban/{SHOWROOM}"))
    showroom_name = page.locator("h1").inner_text().strip()
    cards = page.locator(".cards .card").filter(has_not_text=KORA)
    expect(cards.first).to_be_visible()
    here = int(re.search(r"\d+", cards.first.locator(".stock.in").inner_text()).group())
    assert here >= 1
    name = cards.first.locator(".card-name").inner_text().strip()
    open_card(page, name)
    bought = add_to_cart(page, 1)

    go_to_checkout(page)
    fill_contact(page, "Lê Minh Khoa", "0905123456")
    # Delivery (the default): the address is asked, not the showroom.
    expect(page.locator("#address")).to_be_visible()
    expect(page.locator("div.when-pickup")).to_be_hidden()
    offered = offered_payments(page)
    assert offered == ["bank_transfer", "cod"], f"with delivery chosen the shopper sees {offered}"
    page.locator("form.checkout label.choice").filter(has_text=PICKUP).click()
    expect(page.locator("input[name=fulfilment][value=pickup]")).to_be_checked()
    # Pick-up: the showroom is asked, not the address; and the page still fits the phone (a
    # page wider than the phone is zoomed out, and for Playwright its button is covered).
    showrooms = page.locator("input[name=showroom]")
    expect(showrooms.first).to_be_visible()
    expect(page.locator("#address")).to_be_hidden()
    assert_fits(page)
    # Only a showroom holding the goods can be chosen; another is shown with what it lacks.
    for radio in showrooms.all():
        code = radio.get_attribute("value")
        holds = holding(live_server, code, bought.code) >= 1
        assert radio.is_enabled() == holds, code
        if not holds:
            label = page.locator(f"label.showroom-choice:has(input[value='{code}'])")
            expect(label.locator(".why-not")).to_contain_text(f"1 × {name}")
    # Cash on delivery is not offered for a pick-up (checkout.js hides it).
    offered = offered_payments(page)
    assert offered == ["bank_transfer", "cash_at_pickup"], (
        f"with pick-up chosen the shopper sees {offered} ({COD!r} must not be among them)"
    )
    page.locator(f"input[name=showroom][value={SHOWROOM}]").check()
    payment_choice(page, "cash_at_pickup").click()
    number = place_order(page)

    expect(page.locator("h1")).to_contain_text(number)
    expect(page.locator(".order-status strong")).to_have_text(STATUS_PLACED)
    pickup = page.locator("section.panel").filter(has_text="Nhận hàng")
    expect(pickup.get_by_role("link", name=showroom_name)).to_be_visible()
    expect(pickup).to_contain_text(number)
    expect(page.locator("main")).to_contain_text(CASH_AT_SHOWROOM)
    expect(page.locator(".pay-box")).to_have_count(0)
    grouped = lines_by_producer(page)
    assert list(grouped) == [bought.producer], grouped
    assert [line.startswith(f"1 × {name}") for line in grouped[bought.producer]] == [True]
    assert summary_amounts(page) == {
        "Sản phẩm": bought.unit_price,
        "Giao hàng": 0,
        "Tổng cộng": bought.unit_price,
    }
    assert not page_problems[page], page_problems[page]


def test_checkout_refuses_bad_input_clearly(live_server, phone_page, page_problems):
    page = phone_page
    contact = "Phạm Thị Bích Ngọc"
    page.goto(live_server.url("/"))
    search(page, "mang kho")
    open_card(page, "Măng khô Đăk Glei TP")
    add_to_cart(page, 1)
    go_to_checkout(page)
    fill_contact(page, contact, "12345", "ngoc@example.vn")
    fill_delivery(page, "45 Hùng Vương")
    payment_choice(page, "cod").click()
    page.locator("#note").fill("Gọi trước khi giao")

    with page.expect_navigation() as navigation:
        page.locator("form.checkout").get_by_role("button", name="Đặt hàng").click()
    assert navigation.value.status == 400
    assert urlsplit(page.url).path == "/thanh-toan"

    # One summary at the top, the message next to the phone field, nothing else marked.
    expect(page.locator("main .alert-bad[role=alert]")).to_be_visible()
    phone_field = page.locator(".field.has-error").filter(has=page.locator("#phone"))
    expect(phone_field.locator("#phone-error")).to_contain_text(PHONE_ERROR)
    expect(page.locator(".field.has-error")).to_have_count(1)
    # What was typed is still there, the wrong number too (to correct, not retype).
    expect(page.locator("#name")).to_have_value(contact)
    expect(page.locator("#phone")).to_have_value("12345")
    expect(page.locator("#email")).to_have_value("ngoc@example.vn")
    expect(page.locator("input[name=fulfilment][value=delivery]")).to_be_checked()
    expect(page.locator("#province option:checked")).to_have_text(PROVINCE)
    expect(page.locator("#commune")).to_have_value(WARD)
    expect(page.locator("#address")).to_have_value("45 Hùng Vương")
    expect(page.locator("input[name=payment_method][value=cod]")).to_be_checked()
    expect(page.locator("#note")).to_have_value("Gọi trước khi giao")
    assert orders_named(live_server, contact) == 0
    expect(page.locator("header .cart-link .badge")).to_have_text("1")

    # Corrected, the same form places exactly one order.
    page.locator("#phone").fill("0912345678")
    number = place_order(page)
    expect(page.locator("h1")).to_contain_text(number)
    assert orders_named(live_server, contact) == 1
    assert not unexpected(page_problems[page]), page_problems[page]


# --- Screenshots ---------------------------------------------------------------------------------


def fill_cart_with_two_producers(page, live_server) -> None:
    page.goto(live_server.url("/"))
    search(page, "sam day")
    open_card(page, SAM_DAY_TP)
    add_to_cart(page, 2)
    search(page, "ca phe arabica")
    open_card(page, CA_PHE)
    add_to_cart(page, 1)
    search(page, "sam day cu tuoi")
    open_card(page, SAM_DAY_TUOI)
    add_to_cart(page, 1)


def shoot(page, name: str, width: int, problems: list[str]) -> None:
    for src in page.evaluate(SETTLE_IMAGES):
        problems.append(f"broken image {src} on {page.url}")
    page.screenshot(path=str(SCREENSHOT_DIR / f"shop-{name}-{width}.png"), full_page=True)
    if problem := overflow(page, width):
        problems.append(problem)


def test_cart_checkout_and_order_pages_fit(live_server, phone_page, desktop_page, page_problems):
    """Full-page screenshots of the cart, the checkout (delivery, pick-up, refused input) and an
    order page with its VietQR at 390 and 1280 px, for a person to look at. Asserts that nothing
    is wider than the window and there is no console error or CSP violation."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    order_url = None
    for page, width in ((phone_page, PHONE_WIDTH), (desktop_page, DESKTOP_WIDTH)):
        fill_cart_with_two_producers(page, live_server)
        shoot(page, "cart", width, problems)

        go_to_checkout(page)
        shoot(page, "checkout", width, problems)
        page.locator("form.checkout label.choice").filter(has_text=PICKUP).click()
        expect(page.locator("input[name=showroom]").first).to_be_visible()
        shoot(page, "checkout-pickup", width, problems)
        page.locator("form.checkout label.choice").filter(has_text="Giao hàng").click()
        fill_contact(page, "Đỗ Quang Vinh", "12345")
        with page.expect_navigation():
            page.locator("form.checkout").get_by_role("button", name="Đặt hàng").click()
        expect(page.locator("#phone-error")).to_be_visible()
        shoot(page, "checkout-errors", width, problems)

        if order_url is None:  # one order, placed on the phone, seen on both screens
            page.goto(live_server.url("/gio-hang"))
            go_to_checkout(page)
            fill_contact(page, "Đỗ Quang Vinh", "0912345678", "vinh@example.vn")
            fill_delivery(page)
            page.locator("input[name=payment_method][value=bank_transfer]").check()
            place_order(page)
            order_url = page.url
        else:
            page.goto(order_url)
        expect(page.locator(".pay-box img.vietqr")).to_be_visible()
        shoot(page, "order-vietqr", width, problems)
        problems += unexpected(page_problems[page])
    assert not problems, "\n".join(problems)
