"""The listing read model stays in step with what it is made of, and a sale touches only the
cached pages of the product sold."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import delete, select, update

from storefront.catalog import listing
from storefront.catalog.models import Product, ProductListing
from storefront.catalog.pricing import change_price
from storefront.clock import today
from storefront.extensions import db
from storefront.inventory import services as inventory
from storefront.office.certificates import revoke_certificate
from storefront.office.producers import ProducerFields, update_producer
from storefront.producers.pictures import add_picture, remove_picture
from storefront.register import generation
from storefront.register.models import Producer
from tests.factories import make_producer, make_product, make_user, receive
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
    renamed = make_product("Mật ong")
    with db.engine.begin() as elsewhere:  # behind the listeners' back
        elsewhere.execute(delete(ProductListing).where(ProductListing.product_id == lost.id))
        elsewhere.execute(
            update(ProductListing).where(ProductListing.product_id == kept.id).values(price_vnd=1)
        )
        elsewhere.execute(  # a column only cards show
            update(ProductListing)
            .where(ProductListing.product_id == renamed.id)
            .values(producer_name="Tên cũ")
        )
    db.session.expire_all()
    result = runner.invoke(args=["catalog", "check-listing"])
    assert result.exit_code == 1
    assert "missing (sellable, no row): 1" in result.output
    assert "different: 2" in result.output
    assert _row(lost.id) is not None
    assert _row(kept.id).price_vnd == 100000
    assert _row(renamed.id).producer_name == renamed.producer.name
    again = runner.invoke(args=["catalog", "check-listing"])
    assert again.exit_code == 0, again.output


def _card_text(client, path: str = "/san-pham") -> str:
    page = client.get(path).get_data(as_text=True)
    return page[page.index('<ul class="cards">') :]


def test_a_producer_renamed_by_the_office_shows_on_its_products_cards(app_ctx, client):
    producer = make_producer("HTX-DH", "HTX Đăk Hà")
    make_product("Sâm dây", producer=producer)
    make_product("Trà dây", producer=producer)
    other = make_product("Cà phê")
    office = make_user("office@example.vn", role="office")
    assert _card_text(client).count("HTX Đăk Hà") == 2
    fields = ProducerFields(
        code="HTX-DAKHA",
        name="HTX Nông sản Đăk Hà",
        legal_form="cooperative",
        region=producer.region.code,
    )
    update_producer(office, "HTX-DH", fields)
    db.session.commit()
    cards = _card_text(client)
    assert cards.count("HTX Nông sản Đăk Hà") == 2
    assert "HTX Đăk Hà<" not in cards
    api = client.get("/api/v1/products").get_json()["items"]
    assert {
        (item["producer"]["code"], item["producer"]["name"])
        for item in api
        if item["code"] != other.code
    } == {("HTX-DAKHA", "HTX Nông sản Đăk Hà")}


def test_a_producer_given_a_new_code_alone_shows_it_on_its_products(app_ctx, client):
    producer = make_producer("HTX-DH", "HTX Đăk Hà")
    product = make_product("Sâm dây", producer=producer)
    db.session.get(Producer, producer.id).code = "HTX-DAKHA"
    db.session.commit()
    assert _row(product.id).producer_code == "HTX-DAKHA"


def test_a_producer_changed_otherwise_leaves_its_products_rows_alone(app_ctx):
    producer = make_producer("HTX-DH", "HTX Đăk Hà")
    make_product("Sâm dây", producer=producer)
    with count_queries() as statements:
        db.session.get(Producer, producer.id).phone = "0260 3862 111"
        db.session.commit()
    assert any("UPDATE producers" in statement for statement in statements)
    assert not [s for s in statements if "product_listings" in s]


def test_a_bulk_update_of_producers_reaches_the_read_model(app_ctx):
    producer = make_producer("HTX-DH", "HTX Đăk Hà")
    product = make_product("Sâm dây", producer=producer)
    db.session.execute(
        update(Producer).where(Producer.code == "HTX-DH").values(name="HTX Đăk Hà mới")
    )
    db.session.commit()
    assert _row(product.id).producer_name == "HTX Đăk Hà mới"


def test_a_products_first_picture_is_its_cards_picture_as_pictures_come_and_go(app_ctx, client):
    producer = make_producer("KORA", "Kora Group")
    user = make_user("kora@example.vn", role="producer", producer_code="KORA")
    product = make_product("Hồng đảng sâm", producer=producer, stock=3)
    assert _row(product.id).picture is None
    assert "/media/products/w/" not in _card_text(client)
    first = add_picture(user, product.id, _photo((200, 40, 30)))
    db.session.commit()
    second = add_picture(user, product.id, _photo((30, 120, 40)))
    db.session.commit()
    assert _row(product.id).picture == first.filename
    assert first.filename.rsplit(".", 1)[0] in _card_text(client)
    second_name = second.filename
    remove_picture(user, product.id, first.id)
    db.session.commit()
    assert _row(product.id).picture == second_name
    cards = _card_text(client)
    assert second_name.rsplit(".", 1)[0] in cards
    assert first.filename.rsplit(".", 1)[0] not in cards


def _photo(colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), colour).save(out, "JPEG")
    return out.getvalue()


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
