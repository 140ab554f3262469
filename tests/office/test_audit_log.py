"""The audit log as people read it: events in words, money and dates formatted, field labels,
actors by name, and the raw record one click away."""

import re
from datetime import date
from pathlib import Path

from flask_babel import refresh
from sqlalchemy import select

import storefront
from storefront.audit.models import AuditEntry
from storefront.audit.reading import EVENT_NAMES
from storefront.catalog import pricing
from storefront.extensions import db
from storefront.inventory import services as stock
from storefront.office import certificates as certification
from storefront.office.certificates import Decision
from tests.factories import make_certificate, make_product

DOTTED_KEY = re.compile(r"\b[a-z]+\.[a-z_]+\b")
TODAY = date(2026, 3, 1)


def _a_day_of_changes(officer):
    """A price change, a stock count, a re-evaluation and a revocation, made by the office."""
    product = make_product("Sâm dây Ngọc Linh", stars=None, price_vnd=160000, stock=12)
    make_certificate(product, stars=3, issued_on=date(2025, 9, 1))
    pricing.change_price(officer, product.id, 170000, product.version, "Giá vụ mới")
    warehouse = stock.warehouse_of(product.producer_id)
    stock.adjust(product.id, warehouse.id, -2, actor=officer, reason="Hỏng 2 hộp")
    certification.issue_certificate(
        officer,
        product.code,
        Decision("412/QĐ-UBND", "province", "2026-02-10", 78, 4),
        TODAY,
    )
    db.session.commit()
    return product


def _visible_text(html: str) -> str:
    """What a person reads: the page without tags, attributes or scripts."""
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    html = re.sub(r"<(?:td|th|li|p|div|br|tr|dd|dt)\b[^>]*>", " ", html)
    return re.sub(r"<[^>]+>", "", html)


def test_the_audit_log_names_every_event_in_words_with_formatted_values(office_client, officer):
    _a_day_of_changes(officer)
    page = office_client.get("/office/audit").text
    table = _visible_text(page.split("<tbody>")[1].split("</tbody>")[0])
    assert "Đổi giá" in table
    assert "160.000\u00a0₫ → 170.000\u00a0₫" in table
    assert "Kiểm kê" in table
    assert "12 → 10" in table
    assert "lý do: Hỏng 2 hộp" in table
    assert "Đánh giá lại" in table
    assert "3★ → 4★" in table
    assert "Chị Lan" in table
    assert DOTTED_KEY.findall(table) == [], "raw event keys on the audit log page"
    for raw in ("price_vnd", "quantity:", "status:", "issued_on", "active →"):
        assert raw not in table


def test_the_dashboard_and_the_product_page_read_the_log_in_words(office_client, officer):
    product = _a_day_of_changes(officer)
    for url in ("/office/", f"/office/products/{product.code}"):
        text = _visible_text(office_client.get(url).text)
        assert "Đổi giá: 160.000\u00a0₫ → 170.000\u00a0₫" in text
        assert not [k for k in DOTTED_KEY.findall(text) if k in EVENT_NAMES], url


def test_the_raw_record_is_one_click_away(office_client, officer):
    _a_day_of_changes(officer)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "price.changed"))
    log = office_client.get("/office/audit").text
    assert f"/office/audit/{entry.id}" in log
    raw = office_client.get(f"/office/audit/{entry.id}").text
    assert "price.changed" in raw
    assert "160000" in raw
    assert "Đổi giá" in raw
    assert office_client.get("/office/audit/999999").status_code == 404


def test_the_log_in_english_names_the_events_in_english(office_client, officer):
    _a_day_of_changes(officer)
    office_client.get("/lang/en")
    refresh()  # the test's app context outlives requests: forget the language it cached
    table = _visible_text(office_client.get("/office/audit").text.split("<tbody>")[1])
    assert "Price change" in table
    assert "Stock counted" in table
    assert "Re-evaluation" in table
    assert "Đổi giá" not in table


def test_every_event_the_code_records_has_a_name_in_words():
    """A new record(…, "thing.happened", …) must be named in audit.reading.EVENT_NAMES."""
    source = Path(storefront.__file__).parent
    recorded = set()
    for path in source.rglob("*.py"):
        for call in re.findall(r"record\((.{0,300}?)\)", path.read_text(), flags=re.S):
            recorded |= set(re.findall(r'"([a-z_]+\.[a-z_]+)"', call))
    assert len(recorded) >= 25
    assert sorted(recorded - set(EVENT_NAMES)) == []


def test_one_office_navigation_on_every_office_page_payments_included(office_client):
    pages = ["/office/", "/office/products", "/office/audit", "/office/payments"]
    navs = {url: office_client.get(url).text.split('class="subnav office-nav"')[1] for url in pages}
    first = navs["/office/"].split("</nav>")[0].replace(' aria-current="page"', "")
    for url, nav in navs.items():
        assert nav.split("</nav>")[0].replace(' aria-current="page"', "") == first, url
    assert 'href="/office/payments"' in first
    header = office_client.get("/office/payments").text.split("<main")[0]
    assert 'href="/office/"' in header  # the header's "Office" leads to the dashboard
