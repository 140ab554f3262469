"""Without the page cache (a signed-in shopper, a crawler), pages are made from pieces kept per
process (storefront.fragments: product cards, the catalogue's content, the filter panel, the
header, the footer) and from small reads
kept per catalogue generation (filter choices, notice rules, the operator). None of them may ever
show what is no longer true, nor one visitor's choice to another. Requests are made outside the
test's own app context: each has its own, as on a server."""

import re
from typing import NamedTuple

import pytest
from flask import render_template_string
from flask_babel import force_locale

from storefront.accounts.models import User
from storefront.catalog.listing import CatalogFilters
from storefront.catalog.models import Product
from storefront.clock import today
from storefront.extensions import db
from storefront.fragments import key_of
from storefront.inventory import services as inventory
from storefront.office.certificates import revoke_certificate
from storefront.register.models import Producer
from storefront.shop import services as shop
from storefront.shop.services import OperatorFields
from tests.conftest import AuthActions
from tests.delivery.helpers import load_units, set_bands
from tests.factories import make_product, make_showroom, make_user


@pytest.fixture
def no_page_cache(app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 0)


def _card(html: str, name: str) -> str:
    """The card of the product called ``name`` in a list page."""
    for card in re.findall(r'<li class="card">.*?</li>', html, re.S):
        if name in card:
            return card
    raise AssertionError(f"no card for {name}")


def test_a_card_shows_a_new_price_and_the_end_of_its_stock_at_once(app, client, no_page_cache):
    with app.app_context():
        product = make_product("Trà hoa vàng Ba Tơ", price_vnd=100_000, stock=2)
        make_product("Mật ong rừng", price_vnd=90_000, stock=5)
        product_id, warehouse = product.id, inventory.warehouse_of(product.producer_id).id
    card = _card(client.get("/san-pham").text, "Trà hoa vàng Ba Tơ")
    assert "100.000" in card
    assert "Còn hàng" in card

    with app.app_context():
        db.session.get(Product, product_id).price_vnd = 120_000
        db.session.commit()
    card = _card(client.get("/san-pham").text, "Trà hoa vàng Ba Tơ")
    assert "120.000" in card
    assert "100.000" not in card

    with app.app_context():
        inventory.adjust(product_id, warehouse, -2, actor="test", reason="vỡ hộp")
        db.session.commit()
    page = client.get("/san-pham").text
    assert "Hết hàng" in _card(page, "Trà hoa vàng Ba Tơ")
    assert "Còn hàng" in _card(page, "Mật ong rừng")  # the other card is untouched


def test_cards_and_filters_follow_each_visitors_language_and_choice(app, client, no_page_cache):
    with app.app_context():
        make_product("Cà phê Arabica Măng Đen", stars=5, stock=3)
        make_product("Măng khô Kon Plông", stars=3, stock=3)
    english = app.test_client()
    english.set_cookie("lang", "en")

    vi_page = client.get("/san-pham?stars=5").text
    en_page = english.get("/san-pham").text

    assert "Còn hàng" in _card(vi_page, "Arabica")
    assert "In stock" not in vi_page
    assert "In stock" in _card(en_page, "Arabica")
    assert "Măng khô" not in vi_page
    assert "Măng khô" in en_page
    assert re.search(r'<option value="5" selected>', vi_page)
    assert not re.search(r'<option value="\d" selected>', en_page)
    assert not re.search(r'<option value="\d" selected>', client.get("/san-pham").text)


def test_a_search_highlights_its_own_words_only(app, client, no_page_cache):
    with app.app_context():
        make_product("Sâm dây Ngọc Linh", stock=1)
    searched = _card(client.get("/san-pham?q=sam").text, "Ngọc Linh")
    plain = _card(client.get("/san-pham").text, "Ngọc Linh")
    assert "<mark>Sâm</mark>" in searched
    assert "<mark>" not in plain


def test_a_new_showroom_is_offered_in_the_filter_after_it_opens(app, client, no_page_cache):
    with app.app_context():
        make_product("Rượu cần", stock=1)
    assert "HOAIAN" not in client.get("/san-pham").text
    with app.app_context():
        make_showroom("HOAIAN", "Điểm giới thiệu và bán sản phẩm OCOP Hội An")
        db.session.commit()
    page = client.get("/san-pham").text
    assert re.search(r'<option value="HOAIAN"[^>]*>Hội An</option>', page)


def test_the_footer_shows_the_operator_as_the_office_last_saved_it(app, client, no_page_cache):
    with app.app_context():
        office_id = make_user(role="office").id
        shop.update_operator(db.session.get(User, office_id), OperatorFields("Trung tâm OCOP"))
        db.session.commit()
    assert "Trung tâm OCOP" in client.get("/san-pham").text

    with app.app_context():
        shop.update_operator(db.session.get(User, office_id), OperatorFields("Sở Nông nghiệp"))
        db.session.commit()
    footer = re.search(r'<footer class="site-footer">.*</footer>', client.get("/").text, re.S)
    assert "Sở Nông nghiệp" in footer.group(0)
    assert "Trung tâm OCOP" not in footer.group(0)


def test_templates_speak_a_forced_language_and_then_the_pages_own_again(app):
    said = "{{ _('Products') }}|{{ ngettext('%(num)d item', '%(num)d items', 2) }}"
    with app.test_request_context("/", headers={"Cookie": "lang=vi"}):
        before = render_template_string(said)
        with force_locale("en"):
            forced = render_template_string(said)
        after = render_template_string(said)
    assert before == after == "Sản phẩm|2 sản phẩm"
    assert forced == "Products|2 items"


def _header(html: str) -> str:
    return re.search(r'<header class="site-header">.*</header>', html, re.S).group(0)


def test_the_header_is_each_visitors_own(app, client, no_page_cache):
    with app.app_context():
        product = make_product("Mật ong rừng", stock=5)
        code = product.code
        customer = make_user("lan@example.vn", name="Nguyễn Thị Lan")
        office = make_user("office@example.vn", role="office")
        customer_email, office_email = customer.email, office.email
    anonymous, office_client = app.test_client(), app.test_client()

    AuthActions(client).login(customer_email)
    client.post("/gio-hang/them", data={"code": code, "quantity": "2"})
    AuthActions(office_client).login(office_email)
    mine = _header(client.get("/san-pham?q=mat+ong").text)
    theirs = _header(anonymous.get("/san-pham?q=mat+ong").text)
    office_header = _header(office_client.get("/san-pham?q=mat+ong").text)

    assert 'title="Nguyễn Thị Lan"' in mine
    assert re.search(r'class="badge"[^>]*>2</span>', mine)
    assert "Đăng nhập" not in mine
    assert "Nguyễn Thị Lan" not in theirs
    assert "badge" not in theirs
    assert "Đăng nhập" in theirs
    assert "/office" in office_header
    assert "/office" not in mine
    assert "Nguyễn Thị Lan" not in office_header
    # The search box holds what was searched; the language switch returns to this very page.
    for header in (mine, theirs):
        assert 'value="mat ong"' in header
        assert "next=/san-pham?q%3Dmat%2Bong" in header
    assert 'value=""' in _header(anonymous.get("/san-pham/" + code).text)

    client.post("/gio-hang/cap-nhat", data={"code": code, "quantity": "0"})
    AuthActions(client).logout()
    after = _header(client.get("/san-pham?q=mat+ong").text)
    assert "Nguyễn Thị Lan" not in after
    assert "badge" not in after


def test_a_list_page_shows_its_own_cards_count_and_pages(app, client, no_page_cache, monkeypatch):
    monkeypatch.setitem(app.config, "CATALOG_PAGE_SIZE", 2)
    with app.app_context():
        for name in ("Trà A", "Trà B", "Trà C"):
            make_product(name, stars=4, stock=1)
    first, second = client.get("/san-pham").text, client.get("/san-pham?page=2").text
    assert "3 sản phẩm được công nhận" in first
    assert "Trang 1 / 2" in first
    assert "Trang 2 / 2" in second
    assert len(re.findall(r'<li class="card">', first)) == 2
    assert len(re.findall(r'<li class="card">', second)) == 1

    with app.app_context():
        make_product("Trà D", stars=4, stock=1)
    assert "4 sản phẩm được công nhận" in client.get("/san-pham").text
    assert len(re.findall(r'<li class="card">', client.get("/san-pham?page=2").text)) == 2


def test_a_key_holds_every_field_of_what_is_not_frozen():
    filters = CatalogFilters(q="sam", ignored=["sao"])
    same = CatalogFilters(q="sam", ignored=["sao"])
    assert key_of(filters) == key_of(same)
    assert hash(key_of((filters, [1, 2])))
    same.ignored.append("nhom")
    assert key_of(filters) != key_of(same)
    assert key_of(filters) != key_of(CatalogFilters(q="sam", ignored=["sao"], page=2))


def test_a_named_tuple_is_its_own_key_and_one_holding_a_list_is_refused():
    class Held(NamedTuple):
        name: str
        words: object

    card = Held("Sâm", ("sam",))
    assert key_of([card]) == (card,)
    assert key_of([card]) != key_of([Held("Sâm", ("sam", "day"))])
    with pytest.raises(TypeError):  # never a key that misses a change of the list
        hash(key_of([Held("Sâm", ["sam"])]))


def _main(html: str) -> str:
    return re.search(r'<main id="main".*</main>', html, re.S).group(0)


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html)[1]


def test_a_product_page_shows_each_change_of_what_it_shows(app, client, no_page_cache):
    with app.app_context():
        product = make_product("Trà hoa vàng Ba Tơ", price_vnd=100_000, stock=3)
        product_id, code = product.id, product.code
        producer_id, warehouse = product.producer_id, inventory.warehouse_of(product.producer_id).id
        certificate_id = product.certificates[0].id
        office_id = make_user(role="office").id
    page = _main(client.get(f"/san-pham/{code}").text)
    assert "100.000" in page
    assert "Trực tuyến: còn 3" in page

    # Each change alone: the page's key must hold each of them.
    with app.app_context():
        db.session.get(Producer, producer_id).name = "HTX Trà Ba Tơ mới"
        db.session.commit()
    assert "HTX Trà Ba Tơ mới" in _main(client.get(f"/san-pham/{code}").text)

    with app.app_context():
        inventory.adjust(product_id, warehouse, -1, actor="test", reason="mẫu thử")
        db.session.commit()
    assert "Trực tuyến: còn 2" in _main(client.get(f"/san-pham/{code}").text)

    with app.app_context():
        db.session.get(Product, product_id).price_vnd = 125_000
        db.session.get(Product, product_id).ingredients = "Hoa trà vàng sấy khô"
        db.session.commit()
    page = _main(client.get(f"/san-pham/{code}").text)
    assert "125.000" in page
    assert "100.000" not in page
    assert "Hoa trà vàng sấy khô" in page

    with app.app_context():
        revoke_certificate(
            db.session.get(User, office_id), certificate_id, "Vi phạm chất lượng", today(), today()
        )
        db.session.commit()
    page = _main(client.get(f"/san-pham/{code}").text)
    assert "Sản phẩm này hiện không có giấy chứng nhận OCOP" in page
    assert 'name="csrf_token"' not in page  # no longer for sale: no cart form


def test_a_product_page_gives_each_visitor_their_own_token_and_fee(app, client, no_page_cache):
    with app.app_context():
        units = load_units()
        set_bands()
        product = make_product("Sâm dây", stock=3, shipping_weight_grams=400)
        code, hanoi = product.code, units["VN-01"].id
    other = app.test_client()
    client.get("/giao-hang/chon", query_string={"province": hanoi})

    mine, theirs = client.get(f"/san-pham/{code}").text, other.get(f"/san-pham/{code}").text

    assert "Thành phố Hà Nội" in re.search(r'<p class="delivery-fee">(.*?)</p>', mine)[1]
    assert "delivery-fee" not in theirs
    assert _token(mine) != _token(theirs)
    assert "csrf-token-of-the-visitor" not in mine + theirs
    for visitor, page in ((client, mine), (other, theirs)):
        added = visitor.post("/gio-hang/them", data={"code": code, "csrf_token": _token(page)})
        assert added.status_code == 302


def test_a_qr_check_says_at_once_that_a_certificate_was_revoked(app, client, no_page_cache):
    with app.app_context():
        product = make_product("Rượu Sim Sơn", stars=4, stock=1)
        code, certificate_id = product.code, product.certificates[0].id
        office_id = make_user(role="office").id
    assert "Chứng nhận OCOP còn hiệu lực" in _main(client.get(f"/q/{code}").text)

    with app.app_context():
        revoke_certificate(
            db.session.get(User, office_id), certificate_id, "Hàng giả nhãn", today(), today()
        )
        db.session.commit()
    page = _main(client.get(f"/q/{code}").text)
    assert "Chứng nhận OCOP còn hiệu lực" not in page
    assert "Hàng giả nhãn" in page


def test_a_search_asked_again_finds_what_was_added_since(app, client, no_page_cache):
    with app.app_context():
        make_product("Trà Shan tuyết", stock=1)
    first = _main(client.get("/san-pham?q=tra+shan").text)
    assert "1 sản phẩm khớp" in first

    with app.app_context():
        make_product("Trà Shan cổ thụ", stock=1)
    again = _main(client.get("/san-pham?q=tra+shan").text)
    assert "2 sản phẩm khớp" in again
    assert "<mark>Trà</mark> <mark>Shan</mark> cổ thụ" in again


def test_a_product_not_for_sale_sets_no_cookie(app, client, no_page_cache):
    with app.app_context():
        code = make_product("Mứt gừng", stars=None, stock=1).code
        on_sale = make_product("Mứt sen", stock=1).code
    assert "Set-Cookie" not in client.get(f"/san-pham/{code}").headers
    assert "Set-Cookie" in app.test_client().get(f"/san-pham/{on_sale}").headers  # its token
