"""Who sells, the policy pages, and how the shop's links are shared and found."""

import json
import re
from datetime import datetime
from xml.etree import ElementTree

import pytest

from storefront.audit.models import AuditEntry
from storefront.extensions import db
from storefront.register import opening_hours
from storefront.shop import services as shop
from storefront.shop.models import PolicyPage, ShopOperator
from tests.factories import (
    UNSELLABLE_KINDS,
    make_producer,
    make_product,
    make_showroom,
    make_unsellable_product,
    make_user,
)

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
OPERATOR = shop.OperatorFields(
    name="Trung tâm Xúc tiến OCOP Quảng Ngãi",
    address="12 Hùng Vương, phường Kon Tum",
    tax_code="6100123456",
    phone="0260 3862 123",
    email="ocop@quangngai.gov.vn",
    zalo_url="https://zalo.me/0260386212",
    moit_registration="Số 1234/TMĐT",
    moit_badge_url="https://online.gov.vn/Home/WebDetails/1234",
)


def _save_operator(fields=OPERATOR):
    office = make_user(role="office")
    shop.update_operator(office, fields)
    db.session.commit()
    return office


def _price_on_page(html: str) -> int:
    shown = re.search(r'class="product-price"><span class="price">([\d.]+)', html).group(1)
    return int(shown.replace(".", ""))


def test_product_json_ld_parses_and_offers_the_price_the_page_shows(client, app_ctx):
    product = make_product("Sâm dây Ngọc Linh", price_vnd=1_250_000, stock=3)
    html = client.get(f"/san-pham/{product.code}").text

    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(found.group(1))

    assert data["@type"] == "Product"
    assert data["name"] == "Sâm dây Ngọc Linh"
    assert data["sku"] == product.code
    assert data["brand"]["name"] == product.producer.name
    assert int(data["offers"]["price"]) == _price_on_page(html) == 1_250_000
    assert data["offers"]["priceCurrency"] == "VND"
    assert data["offers"]["availability"] == "https://schema.org/InStock"
    assert data["image"][0].startswith("http")


def test_product_page_has_link_preview_tags_with_absolute_addresses(client, app_ctx):
    product = make_product("Cà phê Arabica")
    html = client.get(f"/san-pham/{product.code}").text
    tags = dict(
        re.findall(r'<meta (?:property|name)="((?:og|twitter):\w+)" content="([^"]*)"', html)
    )

    assert tags["og:title"] == "Cà phê Arabica"
    assert tags["og:url"] == f"http://shop.test/san-pham/{product.code}"
    assert tags["og:image"] == "http://shop.test/static/img/share/food.png"
    assert tags["twitter:card"] == "summary_large_image"
    assert f'<link rel="canonical" href="http://shop.test/san-pham/{product.code}">' in html
    assert client.get("/static/img/share/food.png").status_code == 200


@pytest.mark.parametrize("page", ["home", "producer", "showroom"])
def test_home_producer_and_showroom_pages_have_link_previews(client, app_ctx, page):
    product = make_product()
    showroom = make_showroom()
    url = {
        "home": "/",
        "producer": f"/chu-the/{product.producer.code}",
        "showroom": f"/diem-ban/{showroom.code}",
    }[page]
    html = client.get(url).text
    image = re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)
    assert image.startswith("http://shop.test/static/img/share/")
    assert client.get(image.removeprefix("http://shop.test")).status_code == 200
    assert re.search(r'<meta property="og:url" content="http://shop.test' + re.escape(url), html)


def _sitemap_urls(client) -> list[str]:
    index = ElementTree.fromstring(client.get("/sitemap.xml").data)
    urls = []
    for loc in index.iter(f"{SITEMAP}loc"):
        response = client.get(loc.text.removeprefix("http://shop.test"))
        assert response.status_code == 200
        assert response.mimetype == "application/xml"
        urls += [u.text for u in ElementTree.fromstring(response.data).iter(f"{SITEMAP}loc")]
    return urls


def test_sitemap_lists_every_buyable_product_and_no_other(client, app_ctx):
    producer = make_producer()
    buyable = [make_product(producer=producer) for _ in range(3)]
    unsellable = [make_unsellable_product(kind, producer) for kind in UNSELLABLE_KINDS]
    showroom = make_showroom()

    urls = _sitemap_urls(client)

    assert all(url.startswith("http://shop.test/") for url in urls)
    products = {u for u in urls if re.fullmatch(r"http://shop.test/san-pham/\w+", u)}
    assert products == {f"http://shop.test/san-pham/{p.code}" for p in buyable}
    assert not {f"http://shop.test/san-pham/{p.code}" for p in unsellable} & set(urls)
    assert f"http://shop.test/chu-the/{producer.code}" in urls
    assert f"http://shop.test/diem-ban/{showroom.code}" in urls
    assert {f"http://shop.test/chinh-sach/{slug}" for slug in shop.POLICY_SLUGS} <= set(urls)


def test_sitemap_splits_products_into_files(client, app_ctx, monkeypatch):
    from storefront.shop import sitemap

    monkeypatch.setattr(sitemap, "PRODUCTS_PER_FILE", 2)
    products = [make_product() for _ in range(5)]
    files = -(-max(p.id for p in products) // 2)  # a file per 2 ids, up to the last product's
    index = client.get("/sitemap.xml").text
    assert index.count("sitemap-products-") == files
    urls = _sitemap_urls(client)
    assert {u for u in urls if "/san-pham/" in u} == {
        f"http://shop.test/san-pham/{p.code}" for p in products
    }
    assert client.get(f"/sitemap-products-{files + 1}.xml").status_code == 404


def test_robots_names_the_sitemap_and_keeps_back_offices_out(client, app):
    answer = client.get("/robots.txt")
    assert answer.headers["Content-Type"] == "text/plain; charset=utf-8"  # the charset once
    text = answer.text
    assert "Sitemap: http://shop.test/sitemap.xml" in text
    disallowed = re.findall(r"^Disallow: (\S+)$", text, re.M)
    private = (
        "/office",
        "/producer",
        "/pos",
        "/showroom/",
        "/tai-khoan",
        "/gio-hang",
        "/thanh-toan",
        "/don-hang",
        "/api/",
        "/bao-cao-nhan/",
    )
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(private):
            assert any(rule.rule.startswith(d) for d in disallowed), rule.rule
    for public in (
        "/",
        "/san-pham",
        "/san-pham/ABC123",
        "/chu-the/KORA",
        "/diem-ban",
        "/diem-ban/SR-KT",
        "/chinh-sach/bao-mat",
        "/q/ABC123",
    ):
        assert not any(public.startswith(d) for d in disallowed if d != "/"), public


def test_footer_says_who_sells_on_every_kind_of_page(client, auth, app_ctx):
    office = _save_operator()
    product = make_product()
    showroom = make_showroom()
    pages = [
        "/",
        "/san-pham",
        f"/san-pham/{product.code}",
        f"/chu-the/{product.producer.code}",
        "/diem-ban",
        f"/diem-ban/{showroom.code}",
        "/chinh-sach/giao-hang",
        f"/q/{product.code}",
        "/gio-hang",
        "/login",
        "/no-such-page",
    ]
    for url in pages:
        html = client.get(url).text
        assert OPERATOR.name in html, url
        assert "6100123456" in html, url
        assert 'href="tel:02603862123"' in html, url
        assert 'href="https://online.gov.vn/Home/WebDetails/1234"' in html, url
        assert 'href="/chinh-sach/doi-tra-hoan-tien"' in html, url
    auth.login(office)
    assert OPERATOR.name in client.get("/office/shop").text


def test_office_saves_the_operator_and_the_audit_log_shows_it(client, auth, app_ctx):
    office = make_user(role="office")
    auth.login(office)
    data = {k: v for k, v in vars(OPERATOR).items() if k != "is_demo"}
    response = client.post("/office/shop", data=data)
    assert response.status_code == 302
    assert db.session.get(ShopOperator, 1).tax_code == "6100123456"
    entry = db.session.query(AuditEntry).filter_by(action="operator.edited").one()
    assert entry.actor_id == office.id
    assert "6100123456" in entry.after


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("tax_code", "61001"),
        ("email", "not-an-address"),
        ("zalo_url", "javascript:alert(1)"),
        ("name", ""),
    ],
)
def test_office_cannot_save_an_unreadable_operator(client, auth, app_ctx, field, value):
    auth.login(make_user(role="office"))
    data = {k: v for k, v in vars(OPERATOR).items() if k != "is_demo"} | {field: value}
    response = client.post("/office/shop", data=data)
    assert response.status_code == 400
    assert db.session.get(ShopOperator, 1) is None


def test_only_the_office_edits_the_operator(client, auth, app_ctx):
    auth.login(make_user(role="producer", producer_code=make_producer().code))
    data = {k: v for k, v in vars(OPERATOR).items() if k != "is_demo"}
    assert client.post("/office/shop", data=data).status_code in (403, 404)
    assert db.session.get(ShopOperator, 1) is None


def test_policy_pages_start_as_templates_to_review(client, app_ctx):
    for slug in shop.POLICY_SLUGS:
        html = client.get(f"/chinh-sach/{slug}").text
        assert "Mẫu — cần rà soát" in html
    assert "Nghị định 13/2023/NĐ-CP" in client.get("/chinh-sach/bao-mat").text
    assert client.get("/chinh-sach/khong-co").status_code == 404


def test_policy_markdown_is_sanitised(client, auth, app_ctx):
    auth.login(make_user(role="office"))
    body = (
        "## Đổi trả\n\n<script>alert('x')</script>\n\n"
        "[bấm](javascript:alert(1)) <img src=x onerror=alert(2)>\n\n- 7 ngày"
    )
    response = client.post(
        "/office/shop/policies/doi-tra-hoan-tien", data={"title": "Đổi trả", "body": body}
    )
    assert response.status_code == 302
    assert db.session.get(PolicyPage, "doi-tra-hoan-tien").body.startswith("## Đổi trả")
    html = client.get("/chinh-sach/doi-tra-hoan-tien").text
    article = html[html.index('<article class="policy') : html.index("</article>")]
    assert "<h2>Đổi trả</h2>" in article
    assert "<li>7 ngày</li>" in article
    # What was markup is shown as text, never as a tag or a link that runs.
    assert "<script" not in article
    assert "&lt;script&gt;" in article
    assert 'href="javascript' not in article
    assert "<img" not in article
    assert "Mẫu — cần rà soát" not in article
    assert db.session.query(AuditEntry).filter_by(action="policy.edited").count() == 1


def test_checkout_links_the_policies(client, app_ctx):
    product = make_product(stock=5)
    client.post("/gio-hang/them", data={"code": product.code, "quantity": 1})
    html = client.get("/thanh-toan").text
    for slug in shop.POLICY_SLUGS:
        assert f'href="/chinh-sach/{slug}"' in html[: html.index('class="site-footer"')]


def test_showroom_shows_how_to_reach_it_and_whether_it_is_open(client, auth, app_ctx):
    showroom = make_showroom()
    auth.login(make_user(role="office"))
    data = {
        "code": showroom.code,
        "name": showroom.name,
        "level": "district",
        "region": showroom.region.code,
        "address": "1 Lê Lợi",
        "opening_hours": "T2–T6 7:30–11:30, 13:30–17:00; T7 8:00–12:00",
        "phone": "0260 3862 124",
        "zalo_url": "https://zalo.me/0260386212",
        "coordinates": "14.3545, 108.0076",
    }
    assert client.post(f"/office/showrooms/{showroom.code}", data=data).status_code == 302
    auth.logout()
    html = client.get(f"/diem-ban/{showroom.code}").text
    assert 'href="tel:02603862124"' in html
    assert 'href="https://zalo.me/0260386212"' in html
    assert "https://www.openstreetmap.org/?mlat=14.354500&amp;mlon=108.007600" in html
    assert "query=14.354500%2C108.007600" in html
    assert (
        ("Đang mở" in html) or ("Đã đóng" in html) or ("Open now" in html) or ("Closed now" in html)
    )


def test_office_cannot_save_unreadable_hours_or_coordinates(client, auth, app_ctx):
    showroom = make_showroom()
    auth.login(make_user(role="office"))
    base = {
        "code": showroom.code,
        "name": showroom.name,
        "level": "district",
        "region": showroom.region.code,
    }
    for field, value in (
        ("opening_hours", "sáng thứ hai"),
        ("coordinates", "14,3545"),
        ("coordinates", "91.0, 10.0"),
    ):
        response = client.post(f"/office/showrooms/{showroom.code}", data=base | {field: value})
        assert response.status_code == 400, (field, value)
    db.session.refresh(showroom)
    assert showroom.opening_hours == "7:30–17:00"
    assert showroom.latitude is None


@pytest.mark.parametrize(
    ("hours", "at", "open_"),
    [
        ("7:30–17:00", datetime(2026, 11, 29, 7, 30), True),  # Sunday, every day
        ("7:30–17:00", datetime(2026, 11, 29, 17, 0), False),
        ("T2–T6 7:30–11:30, 13:30–17:00; T7 8:00–12:00", datetime(2026, 11, 30, 12, 0), False),
        ("T2–T6 7:30–11:30, 13:30–17:00; T7 8:00–12:00", datetime(2026, 11, 30, 14, 0), True),
        ("T2–T6 7:30–11:30, 13:30–17:00; T7 8:00–12:00", datetime(2026, 12, 5, 9, 0), True),
        ("T2–T6 7:30–11:30, 13:30–17:00; T7 8:00–12:00", datetime(2026, 12, 6, 9, 0), False),
        ("theo lịch", datetime(2026, 12, 6, 9, 0), None),
        ("", datetime(2026, 12, 6, 9, 0), None),
    ],
)
def test_open_now_follows_the_opening_hours(hours, at, open_):
    assert opening_hours.is_open(hours, at) is open_


def test_home_advertises_no_empty_group_and_fills_featured_rows(client, app_ctx):
    for stars in (5, 4, 3, 3, 3, 3):
        make_product(stars=stars, group="food")
    html = client.get("/").text
    assert "0 sản phẩm" not in html
    assert "0 products" not in html
    assert html.count('class="group-tile"') == 1
    featured = html[html.index('class="cards featured"') :]
    assert featured[: featured.index("</ul>")].count('class="card"') == 4


def test_order_confirmation_and_its_email_say_who_sells(client, app_ctx):
    from sqlalchemy import select

    from storefront.outbox.models import OutboxMessage
    from tests.checkout_helpers import place_order

    _save_operator()
    placed = place_order(client, make_product(stock=5), method="cod")
    page = client.get(f"/don-hang/{placed.number}?k={placed.secret}").text
    panel = page[page.index('id="seller-title"') : page.index('class="site-footer"')]
    assert OPERATOR.name in panel
    assert "6100123456" in panel
    assert 'href="/chinh-sach/doi-tra-hoan-tien"' in panel
    mail = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == "lan@example.vn")
    ).one()
    assert OPERATOR.name in mail.body_text
    assert "6100123456" in mail.body_text
    assert "http://shop.test/chinh-sach/doi-tra-hoan-tien" in mail.body_text
