"""The listing read model stays in step with what it is made of, and a sale touches only the
cached pages of the product sold."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update

from storefront.catalog import listing
from storefront.catalog.models import Product, ProductListing
from storefront.catalog.pricing import change_price
from storefront.clock import today
from storefront.extensions import db
from storefront.inventory import services as inventory
from storefront.office.certificates import revoke_certificate
from storefront.register import generation
from tests.factories import make_product, make_user, receive
from tests.querycount import count_queries


def _row(product_id: int) -> ProductListing | None:
    db.session.expire_all()
    return db.session.get(ProductListing, product_id)


def test_a_new_certified_product_is_listed_with_what_lists_sort_on(app_ctx):
    product = make_product("Mật ong rừng", stars=5, price_vnd=250000, stock=3)
    row = _row(product.id)
    assert (row.name, row.stars, row.star_order, row.price_vnd) == ("Mật ong rừng", 5, -5, 250000)
    assert row.in_stock_online is True
    assert row.search_name == "mat ong rung"


def test_price_certificate_and_listing_changes_reach_the_read_model_in_their_transaction(
    app_ctx,
):
    office = make_user("office@example.vn", role="office")
    product = make_product("Trà gừng", price_vnd=100000)
    change_price(office, product.id, 120000, product.version)
    db.session.commit()
    assert _row(product.id).price_vnd == 120000

    certificate = db.session.get(Product, product.id).certificates[0]
    revoke_certificate(office, certificate.id, "Vi phạm nhãn mác", today(), today())
    db.session.commit()
    assert _row(product.id) is None

    listed = make_product("Cà phê")
    db.session.get(Product, listed.id).listed = False
    db.session.commit()
    assert _row(listed.id) is None


def test_a_change_rolled_back_leaves_the_read_model_as_it_was(app_ctx):
    product = make_product("Trà gừng", price_vnd=100000)
    db.session.get(Product, product.id).price_vnd = 1
    db.session.flush()
    db.session.rollback()
    assert _row(product.id).price_vnd == 100000


def test_a_bulk_update_of_products_reaches_the_read_model(app_ctx):
    product = make_product("Trà gừng", price_vnd=100000)
    db.session.execute(update(Product).where(Product.id == product.id).values(price_vnd=5000))
    db.session.commit()
    assert _row(product.id).price_vnd == 5000


def test_stock_changes_the_flag_only_when_it_crosses_zero_and_then_raises_the_generation(
    app_ctx,
):
    product = make_product("Trà gừng", stock=0)
    warehouse = inventory.warehouse_of(product.producer_id)
    before = generation.current()
    receive(product, warehouse, 5)
    assert _row(product.id).in_stock_online is True
    raised = generation.current()
    assert raised > before
    inventory.take_out(product.id, warehouse.id, 2, kind="sale", actor="test")
    db.session.commit()
    assert generation.current() == raised  # a sale that leaves stock changes no generation
    inventory.take_out(product.id, warehouse.id, 3, kind="sale", actor="test")
    db.session.commit()
    assert _row(product.id).in_stock_online is False
    assert generation.current() > raised


def test_the_check_reports_drift_and_rebuilds(app_ctx, runner):
    kept = make_product("Trà gừng", price_vnd=100000)
    lost = make_product("Cà phê")
    with db.engine.begin() as elsewhere:  # behind the listeners' back
        elsewhere.execute(delete(ProductListing).where(ProductListing.product_id == lost.id))
        elsewhere.execute(
            update(ProductListing).where(ProductListing.product_id == kept.id).values(price_vnd=1)
        )
    db.session.expire_all()
    result = runner.invoke(args=["catalog", "check-listing"])
    assert result.exit_code == 1
    assert "missing (sellable, no row): 1" in result.output
    assert "different: 1" in result.output
    assert _row(lost.id) is not None
    assert _row(kept.id).price_vnd == 100000
    again = runner.invoke(args=["catalog", "check-listing"])
    assert again.exit_code == 0, again.output


def _search(q: str) -> list[str]:
    page = listing.list_products(listing.CatalogFilters(q=q), today(), page_size=24)
    return [card.code for card in page.items]


@pytest.fixture
def honey(app_ctx):
    make_product("Sâm dây Ngọc Linh", code="SAMD01")
    make_product("Mật ong sâm dây", code="MOSD02")
    return make_product("Mật ong rừng", code="KT2345", ean="8936012345678").code


def test_a_code_or_ean_typed_whole_finds_that_product_first(honey, client):
    assert _search("KT2345") == ["KT2345"]
    assert _search(" kt2345 ") == ["KT2345"]
    assert _search("8936012345678") == ["KT2345"]
    assert client.get("/api/v1/products?q=kt2345").json["items"][0]["code"] == "KT2345"
    assert "Mật ong rừng" in client.get("/san-pham?q=8936012345678").text


def test_a_code_comes_before_the_words_it_also_matches(honey):
    make_product("Hộp quà MOSD02 đặc biệt", code="GIFT03")
    assert _search("MOSD02") == ["MOSD02", "GIFT03"]


@pytest.mark.parametrize(
    "q", ["sâm%", "sâm_dây", "%sâm%", '"sâm dây"', "sâm*", "(sâm)+dây", "sâm' --", "_sâm_"]
)
def test_punctuation_never_empties_a_search_nor_breaks_it(honey, client, q):
    assert "SAMD01" in _search(q)
    assert client.get("/api/v1/products", query_string={"q": q}).status_code == 200
    assert client.get("/san-pham", query_string={"q": q}).status_code == 200


def test_a_sale_keeps_the_other_products_cached_pages_and_shows_on_its_own(app, visitor_pages):
    sold, other = visitor_pages
    with app.app_context():
        product = db.session.scalar(select(Product).where(Product.code == sold))
        inventory.take_out(
            product.id,
            inventory.warehouse_of(product.producer_id).id,
            2,
            kind="sale",
            actor="test",
        )
        db.session.commit()
    client = app.test_client()
    with app.app_context(), count_queries() as statements:
        assert client.get(f"/san-pham/{other}").status_code == 200
    assert statements == []  # still the cached page
    assert "Trực tuyến: còn 8" in client.get(f"/san-pham/{sold}").text or "8 available" in (
        client.get(f"/san-pham/{sold}", headers={"Accept-Language": "en"}).text
    )


@pytest.fixture
def visitor_pages(app, monkeypatch):
    """Two products with stock, their pages seen once (so kept in the page cache)."""
    monkeypatch.setattr(generation, "GENERATION_MAX_AGE", 3600.0)  # no re-read by the clock
    with app.app_context():
        sold = make_product("Trà gừng", stock=10).code
        other = make_product("Cà phê", stock=10).code
    client = app.test_client()
    for code in (sold, other):
        assert client.get(f"/san-pham/{code}").status_code == 200
    return sold, other
