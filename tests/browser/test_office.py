"""The office in a real Chromium: certify a new product (it appears in the catalogue with its
stars), revoke another (it leaves the catalogue, a cart that held it says why, its QR page says
revoked), and watch the
programme report's counts follow; then look at the dashboard and the reports at 1280 px and in
print preview."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from storefront import clock
from storefront.accounts import services as accounts
from storefront.catalog.models import Certificate, CertificateStatus, Product
from storefront.demo.seed import SAMPLE_PRODUCER_CODE
from storefront.extensions import db
from storefront.register.models import Producer
from tests.browser.pages import catalogue_codes, overflow

try:
    from playwright.sync_api import expect
except ImportError:  # conftest.py skips (or fails) these tests with the reason
    expect = None

SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "office password 2026"


def office_login(live_server, page, email="vanphong@ocop.test") -> None:
    with live_server.app.app_context():
        if accounts.find_by_identifier(email) is None:
            accounts.create_user(email, "office", PASSWORD, name="Văn phòng Điều phối OCOP")
            db.session.commit()
    page.goto(live_server.url("/login"))
    page.fill("input[name=identifier]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("#main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/office/?$"))


def stars_counts(page, live_server) -> dict[str, int]:
    page.goto(live_server.url("/office/reports"))
    rows = page.locator("#report-stars tbody tr")
    return {
        row.locator("td").nth(0).inner_text(): int(row.locator("td").nth(1).inner_text())
        for row in rows.all()
    }


def certified_total(page) -> int:
    return int(page.locator("#report-kpis tbody tr").first.locator("td").nth(1).inner_text())


def a_three_star_product(live_server) -> tuple[str, str]:
    """A real demo product with an active 3★ certificate (not the made-up sample producer's)."""
    with live_server.app.app_context():
        code, name = db.session.execute(
            select(Product.code, Product.name)
            .join(Certificate, Certificate.product_id == Product.id)
            .join(Producer, Producer.id == Product.producer_id)
            .where(
                Certificate.status == CertificateStatus.ACTIVE,
                Certificate.stars == 3,
                Producer.code != SAMPLE_PRODUCER_CODE,
                Product.group == "food",
                Product.listed.is_(True),
            )
            .order_by(Product.name)
            .limit(1)
        ).one()
        return code, name


def test_office_certifies_one_product_revokes_another_and_the_report_follows(
    live_server, desktop_page, page_problems
):
    page = desktop_page
    office_login(live_server, page)
    before = stars_counts(page, live_server)
    total_before = certified_total(page)

    # Register a new product and issue its certificate (4 stars, the province's since 2025).
    page.goto(live_server.url("/office/products/new"))
    page.fill("#name", "Trà hoa vàng Măng Đen (thử nghiệm)")
    page.select_option("#producer", "KORA")
    page.select_option("#group", "food")
    page.fill("#unit", "hộp 100g")
    page.fill("#price", "185.000")
    page.locator("#main form.form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/office/products/[A-Z0-9]+$"))
    new_code = page.url.rsplit("/", 1)[-1]
    expect(page.locator(".product-state")).to_contain_text("chưa có chứng nhận")

    form = page.locator("#issue-certificate")
    form.locator("[name=cert-decision_number]").fill("1234/QĐ-UBND")
    form.locator("[name=cert-issued_on]").fill(clock.today().isoformat())
    form.locator("[name=cert-level]").select_option("province")
    form.locator("[name=cert-score]").fill("92")  # 92 points earn 5 stars, not 4: refused
    form.locator("[name=cert-stars]").select_option("4")
    form.locator("button[type=submit]").click()
    expect(page.locator("#cert-stars-errors")).to_be_visible()
    form = page.locator("#issue-certificate")
    form.locator("[name=cert-score]").fill("81")
    form.locator("button[type=submit]").click()
    expect(page.locator(".flash-success")).to_contain_text("1234/QĐ-UBND")

    page.goto(live_server.url("/san-pham?q=Trà hoa vàng Măng Đen"))
    card = page.locator(f".cards a[href$='/san-pham/{new_code}']")
    expect(card).to_have_count(1)
    expect(card.locator(".stars")).to_have_class(re.compile(r"\bstars-4\b"))

    # A shopper (another browser) puts the product the office is about to revoke in a cart.
    revoked_code, revoked_name = a_three_star_product(live_server)
    assert revoked_code in catalogue_codes(page, live_server)
    shopper = page.context.browser.new_context(locale="vi-VN")
    shop_page = shopper.new_page()
    shop_page.goto(live_server.url(f"/san-pham/{revoked_code}"))
    shop_page.locator("form.add-to-cart").get_by_role("button", name="Thêm vào giỏ").click()
    shop_page.goto(live_server.url("/gio-hang"))
    expect(shop_page.locator(".cart-line")).to_contain_text(revoked_name)
    expect(shop_page.locator(".cart-line .cart-problem")).to_have_count(0)

    # Revoke its certificate, with a reason and the date of the decision.
    page.goto(live_server.url(f"/office/products/{revoked_code}"))
    revoke = page.locator("#revoke-certificate")
    revoke.locator("[name=revoke-reason]").fill("Hậu kiểm: nhãn mác không đúng hồ sơ")
    revoke.locator("[name=revoke-revoked_on]").fill(clock.today().isoformat())
    revoke.locator("button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()

    assert revoked_code not in catalogue_codes(page, live_server)
    page.goto(live_server.url(f"/q/{revoked_code}"))
    expect(page.locator(".verdict-revoked")).to_be_visible()
    expect(page.locator(".verdict")).to_contain_text("Hậu kiểm: nhãn mác không đúng hồ sơ")

    # The cart that held it says why it cannot be bought any more.
    shop_page.goto(live_server.url("/gio-hang"))
    expect(shop_page.locator(".cart-line.has-problem .cart-problem")).to_contain_text(
        "chứng nhận OCOP"
    )
    shopper.close()

    # The programme report: one more 4★, one fewer 3★, the same number certified.
    after = stars_counts(page, live_server)
    assert after["4★"] == before["4★"] + 1
    assert after["3★"] == before["3★"] - 1
    assert certified_total(page) == total_before
    # The refused certificate answered 400 on purpose; anything else is a problem.
    unexpected = [p for p in page_problems[page] if "status of 400" not in p]
    assert not unexpected, unexpected


def test_office_dashboard_and_reports_at_1280_and_in_print(
    live_server, desktop_page, page_problems
):
    page = desktop_page
    office_login(live_server, page)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    problems = []
    for name, path in (("office-dashboard", "/office/"), ("office-reports", "/office/reports")):
        for media in ("screen", "print"):
            page.emulate_media(media=media)
            response = page.goto(live_server.url(path), wait_until="load")
            assert response is not None
            assert response.status == 200
            charts = page.evaluate("Object.keys(window.Chart ? Chart.instances : {}).length")
            assert charts == page.locator("canvas[data-chart-source]").count() > 0
            page.screenshot(path=str(SCREENSHOT_DIR / f"{name}-1280-{media}.png"), full_page=True)
            if problem := overflow(page, 1280):
                problems.append(problem)
        # A table under every chart, for screen readers and paper.
        for report in page.locator("section.report").all():
            if report.locator("canvas").count():
                expect(report.locator("table")).to_have_count(1)
    page.emulate_media(media="screen")
    page.goto(live_server.url("/office/reports?print=1"))
    expect(page.locator(".office-nav")).to_be_hidden()
    page.emulate_media(media="print")
    page.screenshot(path=str(SCREENSHOT_DIR / "office-reports-print-view.png"), full_page=True)
    problems += page_problems[page]
    assert not problems, "\n".join(problems)
