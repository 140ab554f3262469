"""Search in a real Chromium: suggestions as you type on a phone, the English switch keeping
the query, and screenshots of the search pages, the suggestion box and the API page."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.browser.pages import PHONE_WIDTH, SCREENSHOT_DIR, SETTLE_IMAGES, overflow

try:  # without Playwright, conftest.py skips (or fails) every test here with the reason
    from playwright.sync_api import expect
except ImportError:
    expect = None


def test_typing_sam_day_on_a_phone_suggests_products_before_enter(
    live_server, phone_page, page_problems
):
    page = phone_page
    page.goto(live_server.url("/"))
    field = page.get_by_role("searchbox")
    field.tap()
    field.press_sequentially("sam day", delay=60)  # typed, without marks, as on a phone
    suggestions = page.locator("#search-suggestions .suggestion")
    expect(suggestions.first).to_be_visible()
    expect(suggestions.first).to_contain_text("Sâm dây Ngọc Linh")
    expect(page.locator("#search-suggestions mark").first).to_have_text("Sâm")
    assert urlsplit(page.url).path == "/"  # Enter was never pressed
    suggestions.first.tap()
    expect(page.locator("h1")).to_contain_text("Sâm dây Ngọc Linh")
    assert page_problems[page] == []


def test_the_search_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    try:
        page = context.new_page()
        page.goto(live_server.url("/"))
        page.get_by_role("searchbox").fill("mang kho")
        page.get_by_role("button", name="Tìm").click()
        expect(page.locator(".cards .card-name").first).to_have_text("Măng khô Đăk Glei TP")
    finally:
        context.close()


def test_switching_to_english_translates_the_page_and_keeps_the_query(
    live_server, phone_page, page_problems
):
    page = phone_page
    page.goto(live_server.url("/san-pham?q=sam+day"))
    expect(page.locator("h1")).to_have_text("Sản phẩm OCOP")
    page.get_by_role("link", name="EN").tap()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("OCOP products")
    expect(page.locator(".result-count")).to_contain_text("products match “sam day”")
    assert parse_qs(urlsplit(page.url).query)["q"] == ["sam day"]
    expect(page.get_by_role("searchbox")).to_have_value("sam day")
    expect(page.locator(".cards .card-name mark").first).to_have_text("Sâm")
    assert page_problems[page] == []


def test_search_screenshots(live_server, phone_page, desktop_page, page_problems):
    """The search pages, the suggestion box, English pages and the API page at 390 and 1280 px:
    no console error, no CSP violation, no broken image, nothing wider than the window."""
    pages = {
        "search": "/san-pham?q=sam+day",
        "search-typo": "/san-pham?q=ca+phe+arabika",
        "search-nothing": "/san-pham?q=arabikaa",
        "api-docs": "/api/docs",
    }
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for page, width in ((phone_page, PHONE_WIDTH), (desktop_page, 1280)):
        for language in ("vi", "en"):
            if language == "en":
                page.goto(live_server.url("/lang/en?next=/"))
            for name, path in pages.items():
                response = page.goto(live_server.url(path), wait_until="load")
                if response is None or response.status != 200:
                    problems.append(f"{path} at {width}px answered {response and response.status}")
                if name == "api-docs":
                    expect(page.locator(".opblock").first).to_be_visible()
                for src in page.evaluate(SETTLE_IMAGES):
                    problems.append(f"broken image {src} on {path}")
                shot = SCREENSHOT_DIR / f"{name}-{language}-{width}.png"
                page.screenshot(path=str(shot), full_page=True)
                if problem := overflow(page, width):
                    problems.append(problem)
            page.goto(live_server.url("/"))
            page.get_by_role("searchbox").press_sequentially("sam day", delay=30)
            expect(page.locator("#search-suggestions .suggestion").first).to_be_visible()
            page.screenshot(path=str(SCREENSHOT_DIR / f"suggestions-{language}-{width}.png"))
        page.goto(live_server.url("/lang/vi?next=/"))
        problems += page_problems[page]
    assert not problems, "\n".join(problems)
