"""Names in Vietnamese order (storefront.collation), and the lists that use it."""

import random

import pytest

from storefront.collation import by_name, sort_key
from storefront.register.models import Region
from tests.factories import make_producer, make_user


def in_order(expected: list[str]) -> None:
    shuffled = expected[:]
    random.Random(17).shuffle(shuffled)
    assert sorted(shuffled, key=sort_key) == expected


def test_d_with_stroke_is_a_letter_after_d_not_after_z():
    in_order(["Huyện Dak Tô", "Huyện Đăk Glei", "Huyện Đăk Hà", "Huyện Tu Mơ Rông"])


def test_letters_with_breve_circumflex_and_horn_follow_their_base_letter():
    in_order(["Anh", "Ăn", "Ân", "Em", "Êm", "Ong", "Ông", "Ơn", "Ung", "Ưng"])


def test_tones_order_after_the_letters_none_grave_hook_tilde_acute_dot():
    in_order(["ma", "mà", "mả", "mã", "má", "mạ", "mai"])


def test_numbers_in_names_are_in_their_natural_order():
    in_order(["KoRa 5%", "KoRa 7%", "KoRa 10%", "KoRa 100%"])
    in_order(["Phường 2", "Phường 9", "Phường 10", "Phường 11"])


def test_a_name_comes_before_a_longer_name_it_begins():
    in_order(["Cà phê", "Cà phê Arabica", "Cà phê sữa"])


@pytest.mark.parametrize("name", ["", None, "???", "日本", "  "])
def test_any_text_has_a_key(name):
    assert sorted([name, "a"], key=sort_key)


def test_lists_of_places_and_producers_are_in_vietnamese_order(client, auth, app_ctx):
    auth.login(make_user("office@example.vn", role="office"))
    for name in ("HTX Tu Mơ Rông", "HTX Đăk Hà", "HTX Dak Xuân", "HTX Ân Hảo"):
        make_producer(name=name)
    page = client.get("/office/producers").text
    names = ("HTX Ân Hảo", "HTX Dak Xuân", "HTX Đăk Hà", "HTX Tu Mơ Rông")
    positions = [page.index(n) for n in names]
    assert positions == sorted(positions)


def test_by_name_reads_the_name_from_each_item():
    regions = [Region(name="Tu Mơ Rông"), Region(name="Đăk Glei"), Region(name="Đắk Hà")]
    assert [r.name for r in by_name(regions, lambda r: r.name)] == [
        "Đăk Glei",
        "Đắk Hà",
        "Tu Mơ Rông",
    ]
