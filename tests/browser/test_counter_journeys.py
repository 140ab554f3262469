"""The counter at full speed, in Chromium on a tablet: a product found by its name, a scanner's
burst while a name is being typed, a till that starts offline from a cold reload and sells, a
pick-up pass that opens its hand-over, a shift opened and closed with a difference explained,
and the slip printed on 58 and 80 mm rolls with a page as tall as the slip."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from sqlalchemy import func, select

from storefront.accounts import services as accounts
from storefront.accounts.models import User
from storefront.catalog.models import Product
from storefront.extensions import db
from storefront.folding import fold
from storefront.orders import placing
from storefront.register.models import Showroom
from storefront.showrooms import pickups
from storefront.showrooms.models import Sale, Shift
from tests.browser.counter import (
    STAFF_EMAIL,
    STAFF_PASSWORD,
    TABLET,
    count_sales,
    line,
    open_counter,
    real_problems,
    scanner_types,
    sign_in,
    watched_page,
)
from tests.browser.pages import SCREENSHOT_DIR

try:  # without Playwright, conftest.py skips (or fails) every test here with the reason
    from playwright.sync_api import expect
except ImportError:
    expect = None

SHOTS = Path("/tmp/h18") if Path("/tmp/h18").is_dir() else SCREENSHOT_DIR


def shot(page, name: str, **options) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / name), **options)
    if SHOTS != SCREENSHOT_DIR:
        shutil.copy(SCREENSHOT_DIR / name, SHOTS / name)


def product_named(live_server, code: str) -> str:
    with live_server.app.app_context():
        name = db.session.scalar(select(Product.name).where(Product.code == code))
        db.session.remove()
    return name


def pay_exact_cash(page) -> str:
    """Complete the sale in cash, exact amount: the slip opens at once; its number."""
    page.locator("#complete-cash").click()
    expect(page.locator("#slip")).to_be_visible()
    expect(page.locator("#receipt")).to_have_attribute("data-state", "recorded")
    return page.locator("#receipt-number").inner_text()


def test_a_product_with_a_torn_label_is_found_by_its_name_and_sold(
    live_server, shelf, browser, page_problems
):
    code = shelf.codes[0]
    name = product_named(live_server, code)
    typed = " ".join(fold(name).split()[:2])  # no diacritics, as cashiers type
    context, page = watched_page(browser, TABLET, page_problems)
    try:
        open_counter(page, live_server)
        # The best sellers are one tap away.
        expect(page.locator("#best-sellers .pos-tile").first).to_be_visible()
        page.locator("#scan").focus()
        page.keyboard.type(typed, delay=90)  # a person's fingers
        matches = page.locator("#scan-matches .pos-match")
        expect(matches.first).to_be_visible()
        expect(page.locator(f"#scan-matches .pos-match[data-code='{code}']")).to_be_visible()
        shot(page, "counter-find-by-name-1024.png")
        position = [m.get_attribute("data-code") for m in matches.all()].index(code)
        for _ in range(position + 1):
            page.keyboard.press("ArrowDown")
        expect(matches.nth(position)).to_have_attribute("aria-selected", "true")
        page.keyboard.press("Enter")
        expect(line(page, code).locator(".pos-line-count")).to_have_text("1")
        expect(page.locator("#scan")).to_have_value("")
        expect(page.locator("#scan-matches")).to_be_hidden()

        number = pay_exact_cash(page)
        # The slip is shown at once, with the focus on "Print".
        assert page.evaluate("document.activeElement.id") == "print-receipt"
        expect(page.locator("#slip")).to_contain_text("Phiếu thanh toán")
        expect(page.locator("#slip")).to_contain_text(name)
        box = page.locator("#print-receipt").bounding_box()
        assert box["y"] + box["height"] <= 768, "the Print button is below the fold"
        shot(page, "counter-slip-dialog-1024.png")
        with live_server.app.app_context():
            sale = db.session.scalar(select(Sale).where(Sale.number == number))
            assert [(sl.product_code, sl.quantity) for sl in sale.lines] == [(code, 1)]
            assert sale.shift_id is not None
            db.session.remove()

        # The customer asks for the slip by e-mail: it goes through the outbox.
        page.locator("#slip-to").fill("khach.du.lich@example.vn")
        page.locator("#send-slip button[type=submit]").click()
        expect(page.locator("#slip-sent")).to_contain_text("khach.du.lich@example.vn")
        page.locator("#new-sale").click()
        expect(page.locator("#slip")).to_be_hidden()
    finally:
        context.close()
    assert real_problems(page_problems) == []


def test_a_scanner_burst_while_a_name_is_being_typed_is_a_scan(
    live_server, shelf, browser, page_problems
):
    code = shelf.codes[1]
    context, page = watched_page(browser, TABLET, page_problems)
    try:
        open_counter(page, live_server)
        page.locator("#clear-sale").click()
        page.locator("#scan").focus()
        page.keyboard.type("sam", delay=150)  # the cashier starts typing a name…
        expect(page.locator("#scan-matches")).to_be_visible()
        scanner_types(page, code)  # …and a customer's item is scanned meanwhile
        expect(line(page, code).locator(".pos-line-count")).to_have_text("1")
        expect(line(page, code).locator(".pos-line-source")).to_have_text("máy quét")
        # What the cashier typed is still there, the scan taken back out of it.
        expect(page.locator("#scan")).to_have_value("sam")
    finally:
        context.close()
    assert real_problems(page_problems) == []


def waiting_sales(page) -> list[dict]:
    return page.evaluate("""() => new Promise((resolve) => {
        const open = indexedDB.open("ocop-pos", 1);
        open.onsuccess = () => {
          const all = open.result.transaction("sales").objectStore("sales").getAll();
          all.onsuccess = () => resolve(all.result);
        };
    })""")


def test_the_till_starts_offline_from_a_cold_reload_and_sells(
    live_server, shelf, browser, page_problems
):
    first, second = shelf.codes[0], shelf.codes[2]
    context, page = watched_page(browser, TABLET, page_problems)
    try:
        open_counter(page, live_server)
        page.locator("#clear-sale").click()
        page.reload()  # now under the service worker's control
        expect(page.locator("body")).to_have_attribute("data-pos-ready", "true")
        assert page.evaluate("Boolean(navigator.serviceWorker.controller)")

        context.set_offline(True)
        page.reload()  # a cold start with the network down: the counter opens all the same
        expect(page.locator("body")).to_have_attribute("data-pos-ready", "true")
        expect(page.locator("#connection")).to_have_attribute("data-online", "false")
        expect(page.locator("#best-sellers .pos-tile").first).to_be_visible()
        for code in (first, second):
            page.locator("#scan").focus()
            scanner_types(page, code)  # found in the shelf's list the service worker kept
            expect(line(page, code)).to_be_visible()
            page.locator("#complete-cash").click()
            expect(page.locator("#receipt")).to_have_attribute("data-state", "waiting")
            page.locator("#new-sale").click()
        expect(page.locator("#outbox-status")).to_have_attribute("data-waiting", "2")
        shot(page, "counter-offline-1024.png", full_page=True)
        kept = [record["client_id"] for record in waiting_sales(page)]
        assert len(kept) == 2
        assert [count_sales(live_server, client_id) for client_id in kept] == [0, 0]

        context.set_offline(False)
        expect(page.locator("#outbox-status")).to_have_attribute(
            "data-waiting", "0", timeout=30_000
        )
        expect(page.locator("#connection")).to_have_attribute("data-online", "true")
        assert [count_sales(live_server, client_id) for client_id in kept] == [1, 1]
        page.reload()  # nothing is sent twice
        expect(page.locator("body")).to_have_attribute("data-pos-ready", "true")
        assert [count_sales(live_server, client_id) for client_id in kept] == [1, 1]
    finally:
        context.close()
    assert real_problems(page_problems) == []


def ready_pickup(live_server, shelf, code: str) -> tuple[str, str]:
    """A pick-up order at the demo showroom, set aside and ready: (number, pick-up code)."""
    with live_server.app.app_context():
        product = db.session.scalar(select(Product).where(Product.code == code))
        order, _secret = placing.place_order(
            placing.OrderDraft(
                "pickup",
                "cash_at_pickup",
                "Chị Mai",
                "0912345678",
                "mai@example.vn",
                pickup_showroom_id=shelf.showroom_id,
            ),
            [placing.PlacedLine(product, 1, shelf.location_id)],
            customer_id=None,
            idempotency_digest=f"browser-pickup-{code}",
        )
        db.session.commit()
        staff = accounts.find_by_identifier(STAFF_EMAIL)
        pickups.mark_ready(staff, order.number)
        db.session.commit()
        result = (order.number, order.pickup_code)
        db.session.remove()
    return result


def test_a_pick_up_pass_scanned_at_the_counter_opens_its_hand_over(
    live_server, shelf, browser, page_problems
):
    number, code = ready_pickup(live_server, shelf, shelf.codes[1])
    context, page = watched_page(browser, TABLET, page_problems)
    try:
        open_counter(page, live_server)
        page.locator("#scan").focus()
        scanner_types(page, f"{number}-{code}")  # the QR on the customer's order page
        page.wait_for_url(re.compile(rf"/showroom/pickups/{number}\?"))
        expect(page.locator("#pass-check")).to_have_attribute("data-matches", "true")
        expect(page.locator("input#code")).to_have_value(f"{number}-{code}")
        shot(page, "counter-pickup-handover-1024.png", full_page=True)
        page.locator("input[name=cash_received]").check()
        page.get_by_role("button", name=re.compile("Giao hàng|Hand over")).click()
        expect(page.locator(".flash-success")).to_contain_text(number)
    finally:
        context.close()
    assert real_problems(page_problems) == []


def test_a_shift_is_opened_with_a_float_and_closed_with_a_difference_and_its_reason(
    live_server, shelf, browser, page_problems
):
    email = "ca.chieu@example.vn"
    with live_server.app.app_context():
        showroom = db.session.get(Showroom, shelf.showroom_id)
        if accounts.find_by_identifier(email) is None:
            accounts.create_user(
                email, "staff", STAFF_PASSWORD, name="Anh Tuấn", showroom_code=showroom.code
            )
            db.session.commit()
        db.session.remove()
    context, page = watched_page(browser, TABLET, page_problems)
    code = shelf.codes[2]
    try:
        sign_in(page, live_server, email)
        # No shift: the counter asks for the float first; nothing can be sold.
        expect(page.locator("#open-shift")).to_be_visible()
        expect(page.locator("#scan")).to_have_count(0)
        page.locator("#open-shift input[name=amount]").fill("300.000")
        shot(page, "counter-open-shift-1024.png")
        page.locator("#open-shift button[type=submit]").click()
        expect(page.locator("body")).to_have_attribute("data-pos-ready", "true")
        page.locator("#scan").focus()
        scanner_types(page, code)
        expect(line(page, code)).to_be_visible()
        pay_exact_cash(page)
        total = int(re.sub(r"\D", "", page.locator("#receipt-total").inner_text()))
        page.locator("#new-sale").click()

        page.locator("#close-shift-link").click()
        expected = 300_000 + total
        counted = expected - 20_000
        page.locator("#close-shift input[name=amount]").fill(str(counted))
        page.locator("#close-shift button[type=submit]").click()
        # A count that differs is not taken without a reason; the shift stays open.
        expect(page.locator("#close-shift")).to_contain_text("−20.000")
        page.locator("#close-shift input[name=reason]").fill("Thối nhầm 20.000 ₫ cho khách")
        shot(page, "counter-close-shift-1024.png", full_page=True)
        page.locator("#close-shift button[type=submit]").click()
        page.wait_for_url(re.compile(r"/pos/shifts/\d+$"))
        expect(page.locator("#shift-expected")).to_contain_text(f"{expected:,}".replace(",", "."))
        expect(page.locator("#shift-counted")).to_contain_text(f"{counted:,}".replace(",", "."))
        expect(page.locator("#shift-difference")).to_contain_text("−20.000")
        expect(page.locator("#shift-reason")).to_contain_text("Thối nhầm")
        shot(page, "counter-shift-report-1024.png", full_page=True)

        page.goto(live_server.url("/showroom/report"))
        row = page.locator("#report-shifts tr", has_text="Anh Tuấn")
        expect(row).to_contain_text("Thối nhầm 20.000 ₫ cho khách")
        expect(row).to_contain_text("−20.000")
        shot(page, "counter-day-report-1024.png", full_page=True)
        # Closed: the counter asks for a new shift before the next sale.
        page.goto(live_server.url("/pos/"))
        expect(page.locator("#open-shift")).to_be_visible()
        with live_server.app.app_context():
            user = db.session.scalar(select(User).where(User.email == email))
            shift = db.session.scalar(select(Shift).where(Shift.staff_id == user.id))
            assert (shift.opening_float_vnd, shift.counted_cash_vnd) == (300_000, counted)
            assert shift.expected_cash_vnd == expected
            assert (
                db.session.scalar(select(func.count(Sale.id)).where(Sale.shift_id == shift.id)) == 1
            )
            db.session.remove()
    finally:
        context.close()
    assert real_problems(page_problems) == []


# --- the slip on a roll ------------------------------------------------------------------------


def pdf_page_size_mm(pdf: Path) -> tuple[float, float, int]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return width * 25.4 / 72, height * 25.4 / 72, pages


def words_outside(pdf: Path, width_mm: float, height_mm: float) -> list[str]:
    """Words of the PDF whose box leaves the page (cut by the paper's edge)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    width_pt, height_pt = width_mm * 72 / 25.4, height_mm * 72 / 25.4
    outside = []
    for x_min, y_min, x_max, y_max, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        html,
    ):
        if (
            float(x_min) < 0
            or float(y_min) < 0
            or float(x_max) > width_pt + 0.5
            or float(y_max) > height_pt + 0.5
        ):
            outside.append(word)
    return outside


def test_the_slip_prints_on_58_and_80_mm_rolls_as_tall_as_itself(
    live_server, shelf, browser, page_problems
):
    if shutil.which("pdfinfo") is None or shutil.which("pdftoppm") is None:
        raise AssertionError("poppler-utils (pdfinfo, pdftoppm) is needed: apt-get install it")
    context, page = watched_page(browser, TABLET, page_problems)
    try:
        open_counter(page, live_server)
        page.locator("#clear-sale").click()
        for code in shelf.codes[:3]:
            page.locator("#scan").focus()
            scanner_types(page, code)
            expect(line(page, code)).to_be_visible()
        number = pay_exact_cash(page)
        names = [product_named(live_server, code) for code in shelf.codes[:3]]
        heights = {}
        for roll in ("58", "80"):
            slip = context.new_page()
            slip.goto(live_server.url(f"/pos/sales/{number}/receipt?roll={roll}"))
            expect(slip.locator("body")).to_have_attribute("data-slip-ready", "true")
            pdf = SCREENSHOT_DIR / f"slip-{roll}mm.pdf"
            SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
            slip.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
            width, height, pages = pdf_page_size_mm(pdf)
            assert pages == 1
            assert abs(width - int(roll)) < 0.5, width
            assert 60 < height < 250, height  # the slip's own height, not A4's 297 mm
            heights[roll] = height
            assert words_outside(pdf, width, height) == []
            text = subprocess.run(
                ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
            ).stdout
            flat = " ".join(text.split())
            assert "PHIẾU THANH TOÁN" in flat.upper()
            assert number in flat
            assert "Tổng cộng" in flat
            for name in names:
                assert " ".join(name.split()[:2]) in flat, (name, roll)
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "150",
                    "-singlefile",
                    str(pdf),
                    str(pdf.with_suffix("")),
                ],
                check=True,
            )
            if SHOTS != SCREENSHOT_DIR:
                shutil.copy(pdf, SHOTS / pdf.name)
                shutil.copy(pdf.with_suffix(".png"), SHOTS / pdf.with_suffix(".png").name)
            slip.emulate_media(media="print")
            shot(slip, f"slip-{roll}mm-print-media.png", full_page=True)
            slip.close()
        # The narrower roll wraps more lines: its slip is the taller one.
        assert heights["58"] > heights["80"]
    finally:
        context.close()
    assert real_problems(page_problems) == []


def test_the_counter_prints_only_its_slip(live_server, shelf, browser, page_problems):
    context, page = watched_page(browser, TABLET, page_problems)
    try:
        open_counter(page, live_server)
        page.locator("#clear-sale").click()
        page.locator("#scan").focus()
        scanner_types(page, shelf.codes[0])
        expect(line(page, shelf.codes[0])).to_be_visible()
        pay_exact_cash(page)
        page.emulate_media(media="print")
        expect(page.locator("#slip-paper")).to_be_visible()
        expect(page.locator(".pos-pay")).to_be_hidden()
        expect(page.locator(".slip-actions")).to_be_hidden()
        pdf = SCREENSHOT_DIR / "slip-from-counter.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True)
        width, height, pages = pdf_page_size_mm(pdf)
        assert (round(width), pages) == (80, 1)
        assert height < 200
        shot(page, "counter-print-media-1024.png", full_page=True)
    finally:
        context.close()
    assert real_problems(page_problems) == []
