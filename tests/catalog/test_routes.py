import re
from datetime import timedelta

import pytest
from sqlalchemy import insert

from storefront.catalog import listing_model
from storefront.catalog.models import Certificate, Product
from storefront.clock import today
from storefront.extensions import db
from storefront.register import generation
from tests.factories import (
    make_certificate,
    make_producer,
    make_product,
    make_region,
    make_showroom,
    make_unsellable_product,
    stock_at_showroom,
)
from tests.querycount import count_queries


def test_home_shows_groups_featured_products_and_showrooms(client, app_ctx):
    make_product("Sâm dây Ngọc Linh", stars=5, group="herbal")
    make_product("Trà gừng", stars=3)
    make_showroom(name="Điểm bán OCOP tỉnh")
    page = client.get("/").text
    featured = page[page.index('class="cards featured"') :]
    assert "Sâm dây Ngọc Linh" in featured  # fewer than a row: all are featured, best first
    assert featured.index("Sâm dây Ngọc Linh") < featured.index("Trà gừng")
    assert "Điểm bán OCOP tỉnh" in page
    for group in ("food", "herbal"):  # groups with products get a tile
        assert f"group={group}" in page
    for group in ("drinks", "handicrafts", "plants", "tourism"):  # empty ones are not advertised
        assert f"group={group}" not in page


def test_home_counts_only_what_the_catalogue_sells_in_each_group(client, app_ctx):
    make_product("Trà gừng", stars=3)
    make_product("Cà phê", stars=4)
    for kind in ("expired", "revoked", "delisted", "proposal"):
        make_unsellable_product(kind)  # all of the food group
    counts = re.findall(r'class="group-count">([^<]+)<', client.get("/").text)
    assert counts == ["2 sản phẩm"]


def test_prices_are_shown_in_dong_with_dot_separators(client, app_ctx):
    make_product("Cà phê", price_vnd=120000)
    assert "120.000\u00a0₫" in client.get("/san-pham").text


def test_catalogue_filters_are_a_shareable_query_string(client, app_ctx):
    make_product("Sâm", stars=4, group="herbal")
    make_product("Trà", stars=3, group="food")
    page = client.get("/san-pham?stars=4&group=herbal").text
    assert "Sâm" in page
    assert "Trà" not in page
    assert '<option value="4" selected>' in page


@pytest.mark.parametrize(
    "query",
    [
        "stars=9",
        "stars=-1",
        "stars=4.5",
        "page=-1",
        "page=abc",
        "page=0",
        "page=99999999999999999999",
        "group=<script>alert(1)</script>",
        "region=<b>x</b>",
        "showroom=%00",
        "sort=DROP TABLE products",
        "q=" + "x" * 5000,
        "q=%27%3B--",
        "q=%25%25%25",
        "stars=3&stars=4",
        "q=<script>alert(1)</script>",
    ],
)
def test_nonsense_filters_are_ignored_never_a_500_never_reflected(client, app_ctx, query):
    make_product("Sâm dây")
    response = client.get(f"/san-pham?{query}")
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text
    assert "<b>x</b>" not in response.text


def test_ignored_filters_are_named(client, app_ctx):
    make_product("Sâm dây")
    page = client.get("/san-pham?stars=9&group=nope").text
    assert "stars, group" in page
    assert "Sâm dây" in page  # the rest of the list still shows


def test_a_huge_page_number_gives_an_empty_page_with_a_link_back(client, app_ctx):
    make_product("Sâm dây")
    page = client.get("/san-pham?page=500&stars=4").text
    assert "Sâm dây" not in page
    assert 'href="/san-pham?stars=4"' in page


def test_product_page_shows_price_certificate_stock_and_qr(client, app_ctx):
    showroom = make_showroom(name="Điểm bán Đăk Glei")
    product = make_product("Măng khô", stars=3, price_vnd=160000, stock=12)
    stock_at_showroom(product, showroom, 4)
    certificate = product.certificates[0]
    page = client.get(f"/san-pham/{product.code}").text
    assert "Măng khô" in page
    assert "160.000\u00a0₫" in page
    assert certificate.decision_number in page
    assert certificate.expires_on.strftime("%d/%m/%Y") in page
    assert "còn 12" in page  # online, from the producer's warehouse
    assert "Điểm bán Đăk Glei" in page
    assert "còn 4" in page
    assert f"/qr/{product.code}.svg" in page


def test_product_without_valid_certificate_says_it_is_not_for_sale(client, app_ctx):
    product = make_product("Mật ong", stars=None)
    make_certificate(product, status="revoked", revoked_on=today(), revoked_reason="x")
    page = client.get(f"/san-pham/{product.code}").text
    assert "không được bán như sản phẩm OCOP" in page
    assert 'class="stars' not in page
    assert "Mật ong" not in client.get("/san-pham").text


def test_unknown_product_and_producer_are_404(client, app_ctx):
    assert client.get("/san-pham/NOSUCH").status_code == 404
    assert client.get("/chu-the/NOSUCH").status_code == 404
    assert client.get("/diem-ban/NOSUCH").status_code == 404


def test_producer_and_showroom_pages_list_their_products(client, app_ctx):
    producer = make_producer("HTXDG", "HTX Đăk Glei")
    showroom = make_showroom("SR-DG", "Điểm bán Đăk Glei")
    product = make_product("Sâm dây", producer=producer)
    stock_at_showroom(product, showroom, 2)
    assert "Sâm dây" in client.get("/chu-the/HTXDG").text
    page = client.get("/diem-ban/SR-DG").text
    assert "Sâm dây" in page
    assert "còn 2" in page
    assert "Điểm bán Đăk Glei" in client.get("/diem-ban").text


def test_english_switch_translates_and_keeps_the_page(client, app_ctx):
    make_product("Sâm dây", price_vnd=120000)
    response = client.get("/lang/en?next=/san-pham%3Fstars%3D4")
    assert response.status_code == 302
    assert response.location == "/san-pham?stars=4"
    page = client.get("/san-pham").text
    assert "OCOP products" in page
    assert 'lang="en"' in page
    assert "120.000\u00a0₫" in page  # money looks the same in both languages


def test_language_switch_refuses_to_redirect_off_site(client):
    assert client.get("/lang/en?next=//evil.example").location == "/"
    assert client.get("/lang/en?next=https://evil.example").location == "/"


@pytest.mark.parametrize("path", ["/nope", "/san-pham/NOSUCH"])
def test_errors_answer_json_to_a_client_that_asks_for_json(client, app_ctx, path):
    response = client.get(path, headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json["status"] == 404
    assert response.json["reason"]


def test_error_pages_are_in_the_shops_style(client):
    response = client.get("/nope")
    assert response.status_code == 404
    assert "site-header" in response.text
    response = client.post("/san-pham")
    assert response.status_code == 405
    assert "site-header" in response.text


def test_an_unexpected_error_is_a_styled_500_without_a_trace(client, app_ctx, monkeypatch):
    def boom(*_args):
        raise RuntimeError("secret detail")

    monkeypatch.setattr("storefront.catalog.listing.group_counts", boom)
    response = client.get("/")
    assert response.status_code == 500
    assert "secret detail" not in response.text
    assert "Traceback" not in response.text


def _seed_catalogue(size: int) -> dict:
    """``size`` certified products (bulk insert), with one of each on a showroom shelf."""
    region = make_region()
    producer = make_producer(region=region)
    make_showroom(region=region)
    issued = today() - timedelta(days=30)
    db.session.execute(
        insert(Product),
        [
            dict(
                code=f"B{n:05d}",
                name=f"Sản phẩm {n}",
                producer_id=producer.id,
                region_id=region.id,
                group="food",
                unit="hộp",
                price_vnd=1000 + n,
                search_text=f"san pham {n}",
            )
            for n in range(size)
        ],
    )
    ids = db.session.scalars(db.select(Product.id)).all()
    db.session.execute(
        insert(Certificate),
        [
            dict(
                product_id=pid,
                stars=3 + pid % 3,
                score=60,
                level="province",
                decision_number=f"D{pid}",
                issued_on=issued,
                expires_on=issued + timedelta(days=1000),
                status="active",
            )
            for pid in ids
        ],
    )
    listing_model.rebuild(db.session.connection())  # bulk inserts pass by its listeners
    db.session.commit()
    return {"code": "B00001", "region": region.code}


@pytest.mark.parametrize(
    "url",
    [
        "/san-pham",
        "/san-pham?stars=4&group=food&region={region}&sort=price_desc&q=san",
        "/san-pham?q=san+pham",
        "/san-pham/goi-y?q=san",
        "/api/v1/products?q=san+pham&page=2",
        "/san-pham/{code}",
        "/",
        "/q/{code}",
    ],
)
def test_pages_run_a_fixed_number_of_queries_whatever_the_catalogue_size(app, client, url):
    counts = []
    for size in (10, 1000):
        with app.app_context():
            target = url.format(**_seed_catalogue(size))
        with app.app_context(), count_queries() as statements:
            assert client.get(target).status_code == 200
        counts.append(len(statements))
        _empty(app)
    assert counts[0] == counts[1], counts
    assert counts[1] <= 6, counts


def _empty(app):
    with app.app_context():
        db.session.remove()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        generation.forget_remembered()  # the emptied catalogue counts generations from 1 again


def test_stars_badge_reads_out_the_stars(client, app_ctx):
    make_product("Sâm", stars=5)
    page = client.get("/san-pham").text
    assert re.search(r'aria-label="5 sao"', page)


def test_first_visit_follows_the_browsers_language_until_one_is_chosen(client, app_ctx):
    english = {"Accept-Language": "en-US,en;q=0.9"}
    page = client.get("/san-pham", headers=english)
    assert 'lang="en"' in page.text
    assert "Accept-Language" in page.headers["Vary"]
    assert 'lang="vi"' in client.get("/san-pham", headers={"Accept-Language": "fr, de"}).text
    assert 'lang="vi"' in client.get("/san-pham").text  # no preference: Vietnamese
    client.get("/lang/vi")  # the choice made here wins over the browser's
    assert 'lang="vi"' in client.get("/san-pham", headers=english).text
