"""An abolished unit is never presented as current: it is named with its end and the unit of
today it became part of; the region filter still finds old and new."""

from datetime import date

from storefront.catalog import listing
from storefront.register.places import current_unit, place_name
from tests.factories import make_producer, make_product, make_region

TODAY = date(2026, 11, 30)


def kon_tum():
    qng = make_region("QNG", "Quảng Ngãi", valid_from=date(2025, 7, 1))
    kt = make_region("KT", "Kon Tum", valid_to=date(2025, 6, 30), successor=qng)
    dak_glei = make_region(
        "KT-DG", "Huyện Đăk Glei", kind="district", parent=kt, valid_to=date(2025, 6, 30)
    )
    return qng, kt, dak_glei


def test_an_abolished_district_is_named_with_its_end_and_todays_unit(app_ctx):
    qng, kt, dak_glei = kon_tum()
    assert current_unit(dak_glei, TODAY) == qng  # through its province's successor
    assert place_name(dak_glei, TODAY) == "Huyện Đăk Glei (đến 30/06/2025, nay thuộc Quảng Ngãi)"
    assert place_name(kt, TODAY) == "Kon Tum (đến 30/06/2025, nay thuộc Quảng Ngãi)"
    assert place_name(qng, TODAY) == "Quảng Ngãi"
    assert place_name(dak_glei, date(2025, 6, 1)) == "Huyện Đăk Glei"  # as it was then


def test_public_pages_name_the_place_with_its_end(client, app_ctx):
    _qng, _kt, dak_glei = kon_tum()
    producer = make_producer(region=dak_glei)
    product = make_product("Sâm dây", producer=producer, region=dak_glei)
    for url in (f"/san-pham/{product.code}", f"/chu-the/{producer.code}"):
        page = client.get(url).text
        assert "Huyện Đăk Glei (đến 30/06/2025, nay thuộc Quảng Ngãi)" in page, url


def test_the_region_filter_finds_products_of_the_old_unit_by_todays_province(app_ctx):
    _qng, _kt, dak_glei = kon_tum()
    product = make_product("Sâm dây", region=dak_glei)
    for code in ("QNG", "KT-DG"):
        page = listing.list_products(listing.CatalogFilters(region=code), TODAY, 10)
        assert [c.code for c in page.items] == [product.code], code
