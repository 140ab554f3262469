"""The counter in a real Chromium: a keyboard-wedge scanner, the camera (a fake video of a QR
code), and a sale made while the connection is down that arrives once when it is back."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from sqlalchemy import select

from storefront import qr_codes
from storefront.catalog.models import Product
from storefront.extensions import db
from storefront.inventory import services as inventory
from storefront.register.models import Showroom
from storefront.showrooms.models import Sale
from tests.browser.counter import (
    TABLET,
    count_sales,
    line,
    open_counter,
    real_problems,
    sale_rows,
    scanner_types,
    watched_page,
)
from tests.browser.pages import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE_WIDTH,
    SCREENSHOT_DIR,
    overflow,
)
from tests.factories import stock_at_showroom

try:  # without Playwright, conftest.py skips (or fails) every test here with the reason
    from playwright.sync_api import expect
except ImportError:
    expect = None


def test_a_keyboard_wedge_scanner_rings_up_a_sale_paid_in_cash(
    live_server, shelf, browser, page_problems
):
    context, page = watched_page(browser, TABLET, page_problems)
    first, second = shelf.codes[0], shelf.codes[1]
    try:
        open_counter(page, live_server)
        page.locator("#scan").focus()
        scanner_types(page, first)
        expect(line(page, first).locator(".pos-line-count")).to_have_text("1")
        scanner_types(page, first)
        expect(line(page, first).locator(".pos-line-count")).to_have_text("2")
        expect(line(page, first).locator(".pos-line-source")).to_have_text("máy quét")
        # The line carries the shop's star badge, copied from the page's star_badge templates.
        expect(line(page, first).locator(".stars")).to_have_attribute(
            "title", re.compile(r"^\d sao$")
        )
        # The third scan arrives while the cashier is in the cash field: it still is a scan.
        page.locator("#cash-given").focus()
        scanner_types(page, second)
        expect(line(page, second).locator(".pos-line-count")).to_have_text("1")
        expect(page.locator("#cash-given")).to_have_value("")

        total = int(re.sub(r"\D", "", page.locator("#sale-total").inner_text()))
        given = (total // 100_000 + 1) * 100_000
        page.locator("#cash-given").fill(str(given))
        expect(page.locator("#change")).to_have_text(
            f"{given - total:,}".replace(",", ".") + "\u00a0₫"
        )
        page.locator("#complete-cash").click()
        receipt = page.locator("#receipt")
        expect(receipt).to_be_visible()
        expect(receipt).to_have_attribute("data-state", "recorded")
        number = page.locator("#receipt-number").inner_text()
        assert re.fullmatch(r"BH[0-9A-Z]{8}", number), number
        expect(page.locator("#receipt-change")).to_have_text(
            f"{given - total:,}".replace(",", ".") + "\u00a0₫"
        )
        expect(page.locator("#receipt-lines tr")).to_have_count(2)
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / "pos-receipt-1024.png"), full_page=True)

        rows = sale_rows(live_server, number)
        assert {location for location, _delta in rows} == {shelf.location_id}
        assert sum(delta for _location, delta in rows) == -3
        printable = page.request.get(live_server.url(f"/pos/sales/{number}/receipt"))
        assert printable.status == 200
        assert "Tiền thối lại" in printable.text()
    finally:
        context.close()
    assert real_problems(page_problems) == []


def test_a_rice_wine_at_the_counter_says_it_is_not_for_persons_under_18(
    live_server, shelf, browser, page_problems
):
    """The demo's rule on rice wines (the office's notices): the cashier sees it on the line
    and the customer's slip prints its legal Vietnamese wording."""
    with live_server.app.app_context():
        wine = db.session.scalar(
            select(Product).where(Product.subgroup == "Rượu").order_by(Product.code)
        )
        stock_at_showroom(wine, db.session.get(Showroom, shelf.showroom_id), 2)
        db.session.commit()
        code = wine.code
        db.session.remove()
    context, page = watched_page(browser, TABLET, page_problems)
    try:
        open_counter(page, live_server)
        page.locator("#scan").focus()
        scanner_types(page, code)
        expect(line(page, code).locator(".pos-line-notices")).to_have_text(
            "Không bán cho người dưới 18 tuổi."
        )
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / "pos-notice-line-1024.png"))
        page.locator("#cash-given").fill("10.000.000")
        page.locator("#complete-cash").click()
        expect(page.locator("#receipt")).to_have_attribute("data-state", "recorded")
        expect(page.locator("#receipt-lines .receipt-notice")).to_have_text(
            "Không bán cho người dưới 18 tuổi."
        )
        page.screenshot(path=str(SCREENSHOT_DIR / "pos-notice-1024.png"), full_page=True)
    finally:
        context.close()
    assert real_problems(page_problems) == []


def test_a_person_typing_in_the_cash_field_is_not_taken_for_a_scan(
    live_server, shelf, browser, page_problems
):
    context, page = watched_page(browser, TABLET, page_problems)
    try:
        open_counter(page, live_server)
        page.locator("#cash-given").focus()
        page.keyboard.type("500000", delay=180)  # a cashier's fingers, not a scanner
        page.keyboard.press("Enter")
        expect(page.locator("#cash-given")).to_have_value("500000")
        expect(page.locator(".pos-line")).to_have_count(0)
    finally:
        context.close()
    assert real_problems(page_problems) == []


def test_the_counter_fits_a_tablet_and_a_phone(live_server, shelf, browser, page_problems):
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for width, options in (
        (1024, TABLET),
        (
            PHONE_WIDTH,
            {
                "viewport": {"width": PHONE_WIDTH, "height": 844},
                "device_scale_factor": 2,
                "is_mobile": True,
                "has_touch": True,
                "locale": "vi-VN",
            },
        ),
    ):
        context, page = watched_page(browser, options, page_problems)
        try:
            open_counter(page, live_server)
            page.locator("#scan").fill(shelf.codes[2])
            page.locator("#scan").press("Enter")
            expect(line(page, shelf.codes[2])).to_be_visible()
            page.locator("#scan").fill("https://cua-hang-khac.vn/q/ABCDEF")
            page.locator("#scan").press("Enter")
            expect(page.locator("#scan-message.is-refused")).to_contain_text("cua-hang-khac.vn")
            assert overflow(page, width) is None, overflow(page, width)
            page.screenshot(path=str(SCREENSHOT_DIR / f"pos-counter-{width}.png"), full_page=True)
        finally:
            context.close()
    assert real_problems(page_problems) == []


# --- the camera --------------------------------------------------------------------------------


def write_y4m(path: Path, text: str, frames: int = 10) -> None:
    """A short greyscale video (4:2:0 Y4M) of the QR code for ``text``: what a fake camera
    shows Chromium."""
    width, height = 640, 480
    scale = 8
    matrix = qr_codes.matrix(text)
    size = len(matrix) * scale
    left, top = (width - size) // 2, (height - size) // 2
    luma = bytearray(b"\xff" * (width * height))
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                for dy in range(scale):
                    start = (top + y * scale + dy) * width + left + x * scale
                    luma[start : start + scale] = b"\x10" * scale
    chroma = b"\x80" * ((width // 2) * (height // 2))
    frame = b"FRAME\n" + bytes(luma) + chroma + chroma
    with path.open("wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        video.write(frame * frames)


def test_the_camera_reads_a_products_qr_code(live_server, shelf, tmp_path, browser, page_problems):
    code = shelf.codes[0]
    video = tmp_path / "qr.y4m"
    write_y4m(video, f"{live_server.base_url}/q/{code}")
    # A Chromium of its own: the fake camera is chosen when the browser starts.
    camera_browser = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    context, page = watched_page(camera_browser, TABLET, page_problems)
    try:
        open_counter(page, live_server)
        page.locator("#camera-toggle").click()
        expect(page.locator("#camera-toggle")).to_have_attribute("aria-pressed", "true")
        expect(line(page, code)).to_be_visible(timeout=30_000)
        expect(line(page, code).locator(".pos-line-source")).to_have_text("camera")
        # The same code held in front of the camera is one scan, not one per frame.
        page.wait_for_timeout(1200)
        expect(line(page, code).locator(".pos-line-count")).to_have_text("1")
        page.screenshot(path=str(SCREENSHOT_DIR / "pos-camera-1024.png"), full_page=True)
        page.locator("#camera-toggle").click()
    finally:
        context.close()
        camera_browser.close()
    assert real_problems(page_problems) == []


# --- offline -----------------------------------------------------------------------------------


def test_a_sale_made_offline_arrives_once_when_the_connection_is_back(
    live_server, shelf, browser, page_problems
):
    context, page = watched_page(browser, TABLET, page_problems)
    code = shelf.codes[1]
    with live_server.app.app_context():
        before = inventory.available(
            db.session.scalar(select(Product.id).where(Product.code == code)), shelf.location_id
        )
        db.session.remove()
    try:
        open_counter(page, live_server)
        context.set_offline(True)
        page.locator("#scan").focus()
        scanner_types(page, code)  # found in the list the counter keeps
        expect(line(page, code)).to_be_visible()
        expect(page.locator("#scan-message")).to_contain_text("Mất kết nối")
        page.locator("#complete-cash").click()
        expect(page.locator("#receipt")).to_have_attribute("data-state", "waiting")
        expect(page.locator("#outbox-status")).to_have_attribute("data-waiting", "1")
        kept = page.evaluate("""() => new Promise((resolve) => {
            const open = indexedDB.open("ocop-pos", 1);
            open.onsuccess = () => {
              const all = open.result.transaction("sales").objectStore("sales").getAll();
              all.onsuccess = () => resolve(all.result);
            };
        })""")
        assert len(kept) == 1
        client_id = kept[0]["client_id"]
        assert count_sales(live_server, client_id) == 0

        context.set_offline(False)
        expect(page.locator("#outbox-status")).to_have_attribute(
            "data-waiting", "0", timeout=20_000
        )
        assert count_sales(live_server, client_id) == 1
        # The same sale sent again (a retry that got through late) is still one sale.
        again = page.evaluate(
            """async (payload) => {
                const token = JSON.parse(document.getElementById("pos-config").textContent)
                  .csrf_token;
                const r = await fetch("/pos/api/sales", {method: "POST", body: payload,
                  headers: {"Content-Type": "application/json", "Accept": "application/json",
                            "X-CSRFToken": token}});
                return r.status;
            }""",
            json.dumps(kept[0]["payload"]),
        )
        assert again == 200
        time.sleep(0.2)
        assert count_sales(live_server, client_id) == 1
        with live_server.app.app_context():
            number = db.session.scalar(select(Sale.number).where(Sale.client_id == client_id))
            product_id = db.session.scalar(select(Product.id).where(Product.code == code))
            assert inventory.available(product_id, shelf.location_id) == before - 1
            db.session.remove()
        assert sale_rows(live_server, number) == [(shelf.location_id, -1)]
    finally:
        context.close()
    assert real_problems(page_problems) == []
