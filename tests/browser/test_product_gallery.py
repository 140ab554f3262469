"""A product's pictures on a phone in a real Chromium: a thumbnail brings its picture into the
strip without moving the page, a tap opens the picture large, the browser picks WebP, and below the
fold nothing is loaded before it is needed."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import select

from storefront.accounts import services as accounts
from storefront.catalog.models import Product
from storefront.extensions import db
from storefront.producers.pictures import add_picture

try:  # without Playwright, conftest.py skips (or fails) every test here with the reason
    from playwright.sync_api import expect
except ImportError:
    expect = None

PICTURED = "Bột hồng đảng sâm Vinnate"  # no other browser test touches it


def _photo(colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), colour).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def pictured(live_server) -> str:
    """Three pictures for PICTURED (once per live server); returns its code."""
    with live_server.app.app_context():
        product = db.session.scalar(select(Product).where(Product.name == PICTURED))
        if not product.images:
            office = accounts.create_user("gallery@example.vn", "office", "mat-khau-dai")
            for colour in ((200, 40, 30), (30, 120, 40), (20, 40, 200)):
                add_picture(office, product.id, _photo(colour), PICTURED)
            db.session.commit()
        code = product.code
        db.session.remove()
    return code


def test_thumbnails_and_tap_to_zoom_on_a_phone(live_server, phone_page, page_problems, pictured):
    page = phone_page
    page.goto(live_server.url(f"/san-pham/{pictured}"))
    first = page.locator(".gallery-main img").first
    expect(first).to_have_attribute("fetchpriority", "high")
    _wait_until(first, "i => i.complete && i.currentSrc.endsWith('.webp')")
    scrolled = page.evaluate("window.scrollY")
    thumbs = page.locator(".gallery-thumbs a")
    expect(thumbs).to_have_count(3)
    thumbs.nth(2).click()
    expect(thumbs.nth(2)).to_have_attribute("aria-current", "true")
    # The strip slides (smoothly) to the third picture; the page itself does not jump.
    _wait_until(page.locator(".gallery-main"), "s => s.scrollLeft >= 1.5 * s.clientWidth")
    assert page.evaluate("window.scrollY") == scrolled

    page.locator(".gallery-main a").nth(2).click()
    dialog = page.locator("dialog.zoom-dialog")
    expect(dialog).to_be_visible()
    big = dialog.locator("img")
    expect(big).to_have_attribute("src", f"/media/products/w/{_name(live_server, 2)}-1200.jpg")
    _wait_until(big, "i => i.complete && i.naturalWidth === 1200")
    dialog.locator(".zoom-close").click()
    expect(dialog).to_be_hidden()
    assert not page_problems[page], page_problems[page]


def _wait_until(locator, predicate: str, tries: int = 100) -> None:
    """Until ``predicate`` (a JavaScript function of the element) is true; the shop's CSP forbids
    the string evaluation wait_for_function would use."""
    for _try in range(tries):
        if locator.evaluate(predicate):
            return
        locator.page.wait_for_timeout(100)
    raise AssertionError(f"still false after {tries / 10:.0f} s: {predicate}")


def _name(live_server, index: int) -> str:
    with live_server.app.app_context():
        product = db.session.scalar(select(Product).where(Product.name == PICTURED))
        name = product.images[index].filename
        db.session.remove()
    return name
