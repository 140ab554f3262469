"""Search as people type it on a phone: a table of real queries over the demo catalogue.

The demo (storefront/demo/data/ocop_demo.json) has 24 certified, listed products: 11 made of
sâm dây Ngọc Linh, 9 made in (former) Đăk Glei district, 9 herbal products, 3 drinks.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import pytest
from sqlalchemy import delete

from storefront.catalog import listing, search
from storefront.catalog.models import Certificate, Product
from storefront.clock import today
from storefront.demo.seed import load_demo
from storefront.extensions import db
from tests.factories import make_producer, make_product

SAM_DAY = 11
DAK_GLEI = 9
HERBAL = 9
ALL = 24


@dataclass(frozen=True)
class Expect:
    total: int | None = None  # exactly this many results
    first: str | None = None  # the first result's name starts with this
    includes: tuple[str, ...] = ()  # these names are among the results
    at_least: int = 0
    corrected: str | None = None  # the query it really ran (a typo corrected)
    suggests: str | None = None  # "no results" offers this query


JUNK = ("ạ#%$ợ" * 30 + "qwzxv" * 70)[:500]

QUERIES = {
    # with and without marks, upper and lower case, đ/d
    "sam day ngoc linh": Expect(total=SAM_DAY, first="Sâm dây Ngọc Linh"),
    "Sâm dây Ngọc Linh": Expect(total=SAM_DAY, first="Sâm dây Ngọc Linh"),
    "SÂM DÂY": Expect(total=SAM_DAY, first="Sâm dây"),
    "sam day": Expect(total=SAM_DAY, includes=("Cao sâm dây Ngọc Linh",)),
    unicodedata.normalize("NFD", "Sâm dây"): Expect(total=SAM_DAY),
    "dak glei": Expect(total=DAK_GLEI, first="Măng khô Đăk Glei TP"),
    "Đăk Glei": Expect(total=DAK_GLEI, first="Măng khô Đăk Glei TP"),
    "ĐAK GLEI": Expect(total=DAK_GLEI),
    "dăk glei": Expect(total=DAK_GLEI),
    "huyen dak glei": Expect(total=DAK_GLEI, includes=("Bột hồng đảng sâm Vinnate",)),
    "mang kho": Expect(total=1, first="Măng khô Đăk Glei TP"),
    "Măng Khô": Expect(total=1, first="Măng khô Đăk Glei TP"),
    # word order does not matter
    "ngoc linh sam day": Expect(total=SAM_DAY),
    "glei dak": Expect(total=DAK_GLEI),
    # one typo in a word
    "ca phe arabika": Expect(total=1, first="Cà phê Arabica", corrected="ca phe arabica"),
    "arabika": Expect(total=1, first="Cà phê Arabica", corrected="arabica"),
    "ngac linh": Expect(
        at_least=SAM_DAY, includes=("Sâm dây Ngọc Linh TP",), corrected="ngoc linh"
    ),
    "arabikaa": Expect(total=0, suggests="arabica"),
    # a producer's name, or part of it
    "kora": Expect(total=4, includes=("Nấm linh chi KoRa", "Hồng đảng sâm KoRa 10%")),
    "Công ty Cổ phần Kora Group": Expect(total=4),
    "vinnate": Expect(total=3),
    "hoang linh": Expect(total=5, includes=("Sâm dây Ngọc Linh củ tươi",)),
    "Phúc Ngân": Expect(total=1, first="Tinh bột nghệ Phúc Ngân"),
    "yen sao": Expect(total=1, first="Nước Yến Sâm Kon Tum"),
    # names
    "tra gung": Expect(total=1, first="Trà gừng Gia Vương"),
    "hong dang sam": Expect(total=6, first="Hồng đảng sâm"),
    "nam linh chi": Expect(total=1, first="Nấm linh chi KoRa"),
    # two with honey in the name, three whose description says it (the news on KoRa)
    "mat ong": Expect(total=5, first="Sâm dây Ngọc Linh ngâm mật ong"),
    "rượu sâm": Expect(total=2, first="Rượu"),
    "ca phe": Expect(at_least=1, first="Cà phê Arabica"),
    "sam*": Expect(at_least=SAM_DAY + 6, includes=("Nước Yến Sâm Kon Tum",)),
    # groups, in Vietnamese and English, and places
    "thao duoc": Expect(total=HERBAL),
    "đồ uống": Expect(total=3),
    "drinks": Expect(total=3),
    "quang ngai": Expect(total=ALL),
    # nothing to search for: the whole catalogue
    "": Expect(total=ALL),
    '"': Expect(total=ALL),
    "*": Expect(total=ALL),
    "'; --": Expect(total=ALL),
    # FTS and SQL syntax is only text
    "NEAR": Expect(total=0),
    "sâm NEAR(dây)": Expect(total=0),
    '"sam day" OR kora': Expect(total=0),
    "sam' OR 1=1; --": Expect(total=0),
    "kora; DROP TABLE products; --": Expect(total=0),
    "zzzzqqq": Expect(total=0),
    JUNK: Expect(total=0),
}


@pytest.fixture
def demo(app_ctx):
    load_demo()
    db.session.commit()


def _search(q: str) -> listing.Page:
    return listing.list_products(listing.CatalogFilters(q=q), today(), page_size=50)


def test_real_queries_find_the_right_products(demo, client, subtests):
    assert len(QUERIES) >= 30
    for query, expect in QUERIES.items():
        with subtests.test(query=query[:40]):
            page = _search(query)
            names = [card.name for card in page.items]
            if expect.total is not None:
                assert page.total == expect.total, names
            assert page.total >= expect.at_least, names
            if expect.first:
                assert names, names
                assert names[0].startswith(expect.first), names
            for name in expect.includes:
                assert name in names
            outcome = page.search
            if expect.corrected:
                assert outcome.corrected_query == expect.corrected
            if expect.suggests:
                assert expect.suggests in outcome.suggestions
            # The page and the API answer the same query without fail (the API refuses a
            # query longer than 200 characters with its reason; the page shortens it).
            assert client.get("/san-pham", query_string={"q": query}).status_code == 200
            api = client.get("/api/v1/products", query_string={"q": query})
            if len(query) > listing.MAX_QUERY_LENGTH:
                assert api.status_code == 422
                assert "q" in api.json["reason"]
            else:
                assert api.status_code == 200
                assert api.json["total"] == page.total


def test_exact_phrase_in_the_name_ranks_before_words_elsewhere(app_ctx):
    producer = make_producer(name="HTX Sâm Dây Ngọc Linh")  # the words in the producer only
    make_product("Trà túi lọc", producer=producer, stars=5)
    make_product("Mứt dây sâm", stars=5)  # the words in the name, not as a phrase
    make_product("Sâm dây Ngọc Linh củ tươi", stars=3)
    names = [card.name for card in _search("sam day").items]
    assert names == ["Sâm dây Ngọc Linh củ tươi", "Mứt dây sâm", "Trà túi lọc"]


def test_search_follows_renamed_products_and_producers(app_ctx):
    producer = make_producer(name="HTX Cũ")
    product = make_product("Măng rừng", producer=producer)
    product.name = "Măng khô"
    producer.name = "HTX Đăk Tô"
    db.session.commit()
    assert _search("mang rung").total == 0
    assert [c.name for c in _search("mang kho").items] == ["Măng khô"]
    assert [c.name for c in _search("dak to").items] == ["Măng khô"]
    db.session.execute(delete(Certificate))
    db.session.delete(db.session.get(Product, product.id))
    db.session.commit()
    assert _search("mang kho").total == 0


def test_search_finds_only_what_may_be_sold(app_ctx):
    make_product("Sâm dây hết hạn", stars=None)
    make_product("Sâm dây chưa bày bán", listed=False)
    make_product("Sâm dây có chứng nhận")
    assert [c.name for c in _search("sam day").items] == ["Sâm dây có chứng nhận"]


def test_search_keeps_the_other_filters(app_ctx):
    make_product("Sâm dây 5 sao", stars=5, group="herbal")
    make_product("Sâm dây 3 sao", stars=3, group="food")
    filters = listing.CatalogFilters(q="sam day", stars=5)
    assert [c.name for c in listing.list_products(filters, today(), 10).items] == ["Sâm dây 5 sao"]


def test_matched_words_are_highlighted_whatever_their_marks(app_ctx):
    assert (
        search.highlight("Sâm dây Ngọc Linh <b>", ["sam", "day"])
        == "<mark>Sâm</mark> <mark>dây</mark> Ngọc Linh &lt;b&gt;"
    )
    assert search.highlight("Đăk Glei", ["dak"]) == "<mark>Đăk</mark> Glei"
    decomposed = unicodedata.normalize("NFD", "Sâm")
    assert search.highlight(decomposed, ["sa"]) == f"<mark>{decomposed[:3]}</mark>m"
    assert search.highlight("Trà gừng", []) == "Trà gừng"


def test_the_catalogue_page_highlights_and_corrects(client, app_ctx):
    make_product("Cà phê Arabica dạng bột")
    page = client.get("/san-pham?q=ca+phe+arabika").text
    assert "<mark>Cà</mark> <mark>phê</mark> <mark>Arabica</mark>" in page
    assert "ca phe arabica" in page  # "showing results for …"


def test_no_results_suggest_nearest_words_and_the_groups(client, app_ctx):
    make_product("Cà phê Arabica dạng bột")
    page = client.get("/san-pham?q=arabikaa").text
    assert "/san-pham?q=arabica" in page
    assert "group=herbal" in page


def test_query_words_are_folded_and_bounded():
    terms = search.parse("  Sâm  DÂY, sâm! " + "x" * 80 + " a b c d e f g h")
    assert terms.words[:3] == ("sam", "day", "x" * search.MAX_WORD_LENGTH)
    assert len(terms.words) == search.MAX_WORDS
    assert not search.parse("'; -- \" * ()")


def test_edit_distance_counts_one_swap_as_one_typo():
    assert search.edit_distance("arabika", "arabica") == 1
    assert search.edit_distance("dya", "day") == 1
    assert search.edit_distance("sam", "samdaylinh") == 3  # beyond the limit
