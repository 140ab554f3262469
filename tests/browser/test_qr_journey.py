"""The consumer's QR journey in a real Chromium on a phone: find a certified product, take its QR
code, decode it with zbar and open what it says; plus screenshots of the public pages."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlsplit

from storefront import clock
from tests.browser.pages import (
    PHONE_WIDTH,
    SCREENSHOT_DIR,
    SETTLE_IMAGES,
    assert_fits_phone,
    catalogue_codes,
    fetch_and_decode_qr,
    overflow,
    parse_dates,
    revoked_demo_product,
)

try:  # without Playwright, conftest.py skips (or fails) every test here with the reason
    from playwright.sync_api import expect
except ImportError:
    expect = None


# --- The journeys --------------------------------------------------------------------------------


def test_shopper_filters_to_herbal_4_star_and_verifies_its_qr(live_server, phone_page):
    page = phone_page
    page.goto(live_server.url("/"))
    # Groups with products get a tile; none is advertised as "0 products".
    counts = page.locator(".groups .group-count").all_inner_texts()
    assert counts, "no group tile on the home page"
    assert not [c for c in counts if c.startswith("0 ")], counts

    # To the catalogue by the header's link, as a shopper would.
    page.locator(".main-nav a[href='/san-pham']").click()
    page.wait_for_url(re.compile(r"/san-pham$"))

    # A page wider than the phone gets zoomed out and its controls are hard to hit (and for
    # Playwright, covered): say so plainly instead of failing on a click.
    assert_fits_phone(page)

    # Filter with the form, folded behind one button on a phone: 4 stars, herbal, then Apply.
    page.locator("summary.filter-toggle").click()
    form = page.locator("form.filters")
    form.locator("select[name=stars]").select_option("4")
    form.locator("select[name=group]").select_option("herbal")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/san-pham\?.*stars=4"))
    query = parse_qs(urlsplit(page.url).query)
    assert query["stars"] == ["4"], page.url
    assert query["group"] == ["herbal"], page.url
    # The form shows the filters it applied, so the shared address and the page agree.
    expect(form.locator("select[name=stars]")).to_have_value("4")
    expect(form.locator("select[name=group]")).to_have_value("herbal")

    cards = page.locator(".cards .card")
    expect(cards.first).to_be_visible()
    assert cards.count() >= 1
    for card in cards.all():
        expect(card.locator(".stars")).to_have_class(re.compile(r"\bstars-4\b"))
    vingin = cards.filter(has_text="Vingin")
    expect(vingin).to_have_count(1)

    # The product page and its QR code.
    vingin.locator("a.card-link").click()
    page.wait_for_url(re.compile(r"/san-pham/[^/?#]+$"))
    code = urlsplit(page.url).path.rsplit("/", 1)[-1]
    expect(page.locator("h1")).to_contain_text("Vingin")
    qr_image = page.locator("img.qr")
    expect(qr_image).to_be_visible()
    assert qr_image.get_attribute("src").split("?")[0].endswith(f"/qr/{code}.svg")
    assert qr_image.evaluate("img => img.complete && img.naturalWidth > 0"), "QR SVG did not load"

    png_link = page.locator(f"a[href*='/qr/{code}.png']")
    expect(png_link).to_be_visible()
    decoded = fetch_and_decode_qr(page, urljoin(page.url, png_link.get_attribute("href")))
    assert decoded == f"{live_server.base_url}/q/{code}"

    # What a phone camera would open.
    response = page.goto(decoded)
    assert response is not None
    assert response.status == 200
    verdict = page.locator(".verdict")
    expect(verdict).to_have_class(re.compile(r"\bverdict-valid\b"))
    expect(page.locator(".verdict-valid")).to_be_visible()
    expect(verdict.locator(".stars")).to_have_class(re.compile(r"\bstars-4\b"))
    expect(verdict.locator(".stars")).to_contain_text("★★★★")
    expect(page.locator(".verify-product")).to_contain_text("Vingin")
    valid_until = parse_dates(verdict.inner_text())
    assert valid_until, f"no dd/mm/yyyy date in the verdict: {verdict.inner_text()!r}"
    assert valid_until[0] >= clock.today(), f"a valid certificate ends {valid_until[0]}"


def test_revoked_certificate_qr_says_revoked(live_server, phone_page):
    page = phone_page
    code, certificate = revoked_demo_product(live_server)

    decoded = fetch_and_decode_qr(page, live_server.url(f"/qr/{code}.png"))
    assert decoded == f"{live_server.base_url}/q/{code}"

    response = page.goto(decoded)
    assert response is not None
    assert response.status == 200
    expect(page.locator(".verdict-revoked")).to_be_visible()
    expect(page.locator(".verdict-valid")).to_have_count(0)
    verdict = page.locator(".verdict")
    assert certificate.revoked_reason
    expect(verdict).to_contain_text(certificate.revoked_reason)
    expect(verdict).to_contain_text(certificate.revoked_on.strftime("%d/%m/%Y"))
    # No stars are shown for a revoked certificate, in the verdict.
    expect(verdict.locator(".stars")).to_have_count(0)

    # Revoked products are not sold: not in the catalogue, not even when searched by name.
    listed = catalogue_codes(page, live_server)
    assert listed, "the catalogue lists no product at all"
    assert code not in listed
    page.goto(live_server.url("/san-pham?q=Mật ong rừng minh hoạ"))
    expect(page.locator(f".cards a[href$='/san-pham/{code}']")).to_have_count(0)


def test_unknown_code_page_is_a_clear_404(live_server, phone_page):
    page = phone_page
    response = page.goto(live_server.url("/q/ZZZZZZ"))
    assert response is not None
    assert response.status == 404
    verdict = page.locator(".verdict-unknown")
    expect(verdict).to_be_visible()
    expect(verdict.locator("h1")).to_be_visible()
    expect(verdict).to_contain_text("ZZZZZZ")
    expect(verdict).to_contain_text("OCOP")
    expect(page.locator(".verdict-valid, .verdict-revoked, .verdict-expired")).to_have_count(0)


# --- Screenshots ---------------------------------------------------------------------------------


def test_screenshots(live_server, phone_page, desktop_page, page_problems):
    """Full-page screenshots of the public pages at 390 and 1280 px, for a person to look at.
    Asserts only: every page loads, with no console error or CSP violation, no broken image,
    and nothing wider than the window (390 px and 1280 px)."""
    revoked_code, _ = revoked_demo_product(live_server)
    phone_page.goto(live_server.url("/san-pham?stars=4&group=herbal"))
    product_href = phone_page.locator(".cards .card a.card-link").first.get_attribute("href")
    product_code = product_href.rsplit("/", 1)[-1]
    pages = {
        "home": "/",
        "catalogue": "/san-pham",
        "product": f"/san-pham/{product_code}",
        "verify-valid": f"/q/{product_code}",
        "verify-revoked": f"/q/{revoked_code}",
    }
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for page, width in ((phone_page, PHONE_WIDTH), (desktop_page, 1280)):
        for name, path in pages.items():
            response = page.goto(live_server.url(path), wait_until="load")
            if response is None or response.status != 200:
                problems.append(f"{path} at {width}px answered {response and response.status}")
            for src in page.evaluate(SETTLE_IMAGES):
                problems.append(f"broken image {src} on {path}")
            page.screenshot(path=str(SCREENSHOT_DIR / f"{name}-{width}.png"), full_page=True)
            if problem := overflow(page, width):
                problems.append(problem)
        problems += page_problems[page]
    assert not problems, "\n".join(problems)
