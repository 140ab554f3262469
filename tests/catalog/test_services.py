from datetime import date, timedelta

import pytest

from storefront.catalog import listing, product_pages
from storefront.catalog.certificates import expiry_date, stars_for_score
from storefront.catalog.models import ProductImage
from storefront.catalog.regions import covered_region_ids
from storefront.clock import today
from storefront.domain import NotFound
from storefront.extensions import db
from storefront.folding import fold
from tests.factories import (
    make_certificate,
    make_producer,
    make_product,
    make_region,
    make_showroom,
    stock_at_showroom,
)


def _list(**filters):
    return listing.list_products(listing.CatalogFilters(**filters), today(), page_size=50)


def _names(page):
    return sorted(card.name for card in page.items)


def test_fold_ignores_case_marks_and_d_stroke():
    assert fold("Sâm dây Ngọc Linh") == "sam day ngoc linh"
    assert fold("ĐĂK GLEI  Đắk") == "dak glei dak"
    assert fold("Măng khô") == "mang kho"


def test_certificate_is_valid_for_36_months_from_its_date():
    assert expiry_date(date(2025, 7, 15)) == date(2028, 7, 15)
    assert expiry_date(date(2024, 2, 29)) == date(2027, 2, 28)


def test_score_bands_give_the_stars():
    assert [stars_for_score(s) for s in (49, 50, 69, 70, 89, 90, 100)] == [None, 3, 3, 4, 4, 5, 5]


def test_catalogue_lists_only_products_with_an_active_unexpired_certificate(app_ctx):
    make_product("Có chứng nhận", stars=4)
    make_product("Chưa chứng nhận", stars=None)
    revoked = make_product("Bị thu hồi", stars=None)
    make_certificate(revoked, stars=5, status="revoked")
    expired = make_product("Hết hạn", stars=None)
    make_certificate(expired, stars=4, issued_on=today() - timedelta(days=40 * 31))
    make_product("Không niêm yết", stars=4, listed=False)
    assert _names(_list()) == ["Có chứng nhận"]


def test_stars_shown_are_those_of_the_active_certificate(app_ctx):
    product = make_product("Nâng hạng", stars=None)
    make_certificate(product, stars=3, status="superseded", issued_on=today() - timedelta(days=900))
    make_certificate(product, stars=5)
    [card] = _list().items
    assert card.stars == 5
    assert [c.name for c in _list(stars=3).items] == []


def test_filters_by_stars_group_and_price_sort(app_ctx):
    make_product("Trà", stars=3, group="food", price_vnd=50000)
    make_product("Sâm", stars=4, group="herbal", price_vnd=900000)
    make_product("Cao sâm", stars=4, group="herbal", price_vnd=300000)
    assert _names(_list(stars=4, group="herbal")) == ["Cao sâm", "Sâm"]
    assert [c.name for c in _list(sort="price_asc").items] == ["Trà", "Cao sâm", "Sâm"]
    assert [c.name for c in _list(sort="price_desc").items] == ["Sâm", "Cao sâm", "Trà"]


def test_todays_province_finds_products_made_in_its_abolished_districts(app_ctx):
    new_province = make_region("QNG", "Quảng Ngãi", valid_from=date(2025, 7, 1))
    old_province = make_region("KT", "Kon Tum", valid_to=date(2025, 6, 30), successor=new_province)
    district = make_region(
        "KT-DG", "Huyện Đăk Glei", kind="district", parent=old_province, valid_to=date(2025, 6, 30)
    )
    elsewhere = make_region("HN", "Hà Nội")
    make_product("Măng khô", producer=make_producer(region=district))
    make_product("Cốm", producer=make_producer(region=elsewhere))
    assert _names(_list(region="QNG")) == ["Măng khô"]
    assert _names(_list(region="KT-DG")) == ["Măng khô"]
    assert _names(_list(region="HN")) == ["Cốm"]


def test_region_cycle_in_data_does_not_loop(app_ctx):
    a = make_region("A")
    b = make_region("B", successor=a)
    a.successor = b
    assert covered_region_ids([a, b], "A") == {a.id, b.id}


def test_showroom_filter_finds_what_is_on_its_shelf(app_ctx):
    showroom = make_showroom("SR-X")
    on_shelf = make_product("Trên kệ")
    make_product("Chỉ trực tuyến", stock=10)
    stock_at_showroom(on_shelf, showroom, 3)
    assert _names(_list(showroom="SR-X")) == ["Trên kệ"]


def test_search_ignores_diacritics_and_d_stroke(app_ctx):
    make_product("Sâm dây Ngọc Linh", producer=make_producer(name="HTX Đăk Glei"))
    make_product("Cà phê Arabica")
    assert _names(_list(q="sam day")) == ["Sâm dây Ngọc Linh"]
    assert _names(_list(q="dak glei")) == ["Sâm dây Ngọc Linh"]
    assert _names(_list(q="100%_")) == []


def test_pages_split_the_list_and_a_page_past_the_end_is_empty(app_ctx):
    for n in range(5):
        make_product(f"SP {n}")
    filters = listing.CatalogFilters(sort="name", page=2)
    page = listing.list_products(filters, today(), page_size=2)
    assert (page.total, page.pages, [c.name for c in page.items]) == (5, 3, ["SP 2", "SP 3"])
    filters.page = 99
    page = listing.list_products(filters, today(), page_size=2)
    assert page.items == []
    assert page.beyond_last


def test_verify_tells_each_certificate_state(app_ctx):
    valid = make_product(stars=4)
    assert product_pages.verify(valid.code, today()).state == "valid"
    assert product_pages.verify(valid.code.lower(), today()).state == "valid"

    revoked = make_product(stars=None)
    make_certificate(revoked, status="revoked", revoked_on=today(), revoked_reason="Gian lận")
    verdict = product_pages.verify(revoked.code, today())
    assert (verdict.state, verdict.certificate.revoked_reason) == ("revoked", "Gian lận")

    expired = make_product(stars=None)
    make_certificate(expired, issued_on=today() - timedelta(days=3 * 366 + 1))
    assert product_pages.verify(expired.code, today()).state == "expired"

    bare = make_product(stars=None)
    assert product_pages.verify(bare.code, today()).state == "none"


def test_verify_of_an_unknown_code_raises_not_found(app_ctx):
    with pytest.raises(NotFound):
        product_pages.verify("NOSUCH", today())


def test_a_product_is_read_with_its_pictures_in_place_and_certificates_newest_first(app_ctx):
    product = make_product("Sâm dây", stars=None)
    for position, name in ((2, "c.jpg"), (0, "a.jpg"), (1, "b.jpg")):
        db.session.add(ProductImage(product_id=product.id, filename=name, position=position))
    db.session.commit()
    first = make_certificate(product, stars=3, status="superseded", issued_on=date(2020, 5, 1))
    newest = make_certificate(product, stars=5, issued_on=today() - timedelta(days=10))
    middle = make_certificate(product, stars=4, status="superseded", issued_on=date(2023, 3, 1))
    db.session.expire_all()

    view = product_pages.product_view(product.code, today())
    assert [image.filename for image in view.product.images] == ["a.jpg", "b.jpg", "c.jpg"]
    assert [c.id for c in view.history] == [newest.id, middle.id, first.id]
    assert view.certificate.id == newest.id

    db.session.expire_all()
    checked = product_pages.verify(product.code, today())
    assert (checked.state, checked.certificate.id) == ("valid", newest.id)
