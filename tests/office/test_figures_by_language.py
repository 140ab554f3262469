"""Figures are written the way each language writes them (Babel)."""

from flask_babel import force_locale, refresh

from storefront.formatting import format_number
from tests.factories import make_producer, make_product


def test_a_share_reads_20_comma_0_in_vietnamese_and_20_point_0_in_english(app_ctx):
    with force_locale("vi"):
        assert format_number(20.0) == "20,0"
        assert format_number(2025) == "2025"  # a year stays a year
    with force_locale("en"):
        assert format_number(20.0) == "20.0"


def test_the_indicators_page_writes_shares_with_a_decimal_comma(office_client):
    coop = make_producer(legal_form="cooperative")
    make_product(producer=coop, stars=4)
    make_producer(legal_form="enterprise")
    make_producer(legal_form="household")
    page = office_client.get("/office/reports").text
    assert "33,3" in page
    assert "33.3" not in page
    office_client.get("/lang/en")
    refresh()
    assert "33.3" in office_client.get("/office/reports").text
