"""Public pages from the cache: fast for everybody, never stale, never someone else's."""

import random
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import update

from storefront import page_cache
from storefront.catalog.models import Product
from storefront.clock import today
from storefront.extensions import cache, db
from storefront.office.certificates import revoke_certificate
from storefront.register import generation as catalog_generation
from storefront.register.models import CatalogVersion, Showroom
from tests.factories import make_producer, make_product, make_showroom, make_user, stock_at_showroom
from tests.querycount import count_queries

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def visitor(app):
    """A second browser: someone else looking at the shop at the same time."""
    return app.test_client()


@pytest.fixture
def kora(app):
    """A producer's account and product. Requests are made outside any app context of the test's
    own: each then has its own, as on a server (no user or token left over in ``g``)."""
    with app.app_context():
        producer = make_producer("KORA", "Kora Group")
        user = make_user("kora@example.vn", role="producer", producer_code="KORA", name="Chị Hoa")
        product = make_product("Hồng đảng sâm", producer=producer, price_vnd=450000, stock=20)
        return user.email, SimpleNamespace(
            id=product.id, code=product.code, version=product.version
        )


def test_a_public_page_seen_again_costs_no_query_and_is_the_same_page(app, visitor, kora):
    _user, product = kora
    first = visitor.get(f"/san-pham/{product.code}").text
    with app.app_context(), count_queries() as statements:
        again = visitor.get(f"/san-pham/{product.code}").text
    assert statements == []
    assert TOKEN.sub("", again) == TOKEN.sub("", first)
    assert "Hồng đảng sâm" in again


def test_a_new_price_shows_at_once_on_every_cached_page(client, auth, visitor, kora):
    user, product = kora
    pages = [f"/san-pham/{product.code}", "/san-pham", f"/api/v1/products/{product.code}"]
    assert "450.000" in visitor.get(pages[0]).text
    assert "450.000" in visitor.get(pages[1]).text
    assert visitor.get(pages[2]).json["price_vnd"] == 450000
    auth.login(user)
    answer = client.post(
        f"/producer/products/{product.code}/price",
        data={"price-price": "480.000", "price-version": product.version},
    )
    assert answer.status_code == 302
    assert "480.000" in visitor.get(pages[0]).text
    assert "480.000" in visitor.get(pages[1]).text
    assert visitor.get(pages[2]).json["price_vnd"] == 480000


def test_stock_on_a_shelf_and_a_revoked_certificate_show_at_once(app, visitor, kora):
    _user, product = kora
    with app.app_context():
        showroom_id = make_showroom(name="Điểm bán OCOP Măng Đen").id
    assert "Măng Đen" not in visitor.get(f"/san-pham/{product.code}").text
    assert visitor.get(f"/api/v1/verify/{product.code}").json["state"] == "valid"
    with app.app_context():
        stock_at_showroom(
            db.session.get(Product, product.id), db.session.get(Showroom, showroom_id), 3
        )
    assert "Măng Đen" in visitor.get(f"/san-pham/{product.code}").text
    with app.app_context():
        office = make_user("office@example.vn", role="office")
        certificate = db.session.get(Product, product.id).certificates[0]
        revoke_certificate(office, certificate.id, "Vi phạm nhãn mác", today(), today())
        db.session.commit()
    assert visitor.get(f"/api/v1/verify/{product.code}").json["state"] == "revoked"
    assert "Vi phạm nhãn mác" in visitor.get(f"/q/{product.code}").text


def test_each_visitor_gets_their_own_form_token_and_can_use_it(app, client, visitor, kora):
    _user, product = kora
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        first = TOKEN.search(visitor.get(f"/san-pham/{product.code}").text).group(1)
        page = client.get(f"/san-pham/{product.code}").text  # from the cache
        mine = TOKEN.search(page).group(1)
        assert mine != first
        assert page_cache.CSRF_PLACEHOLDER not in page
        added = client.post(
            "/gio-hang/them", data={"code": product.code, "quantity": "2", "csrf_token": mine}
        )
        assert added.status_code == 302
        refused = client.post(
            "/gio-hang/them", data={"code": product.code, "quantity": "1", "csrf_token": first}
        )
        assert refused.status_code == 400  # someone else's token
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    # With something in the cart the page is made for this visitor: the cart shows 2.
    badge = re.search(r'class="badge"[^>]*>(\d+)<', client.get(f"/san-pham/{product.code}").text)
    assert badge
    assert badge.group(1) == "2"
    assert 'class="badge"' not in visitor.get(f"/san-pham/{product.code}").text


def test_signed_in_people_and_waiting_messages_are_never_served_a_shared_page(
    client, auth, visitor, kora
):
    user, product = kora
    assert "Chị Hoa" not in visitor.get(f"/san-pham/{product.code}").text
    auth.login(user)
    page = client.get(f"/san-pham/{product.code}").text
    assert 'title="Chị Hoa"' in page  # the account link of the person signed in
    assert 'title="Chị Hoa"' not in visitor.get(f"/san-pham/{product.code}").text


def test_a_change_made_by_another_process_is_seen_within_the_generations_age(
    app, visitor, kora, monkeypatch
):
    _user, product = kora
    assert "450.000" in visitor.get(f"/san-pham/{product.code}").text
    with app.app_context(), db.engine.begin() as other_process:  # no session: no listeners here
        other_process.execute(update(Product).values(price_vnd=470000))
        other_process.execute(
            update(CatalogVersion).values(generation=CatalogVersion.generation + 1)
        )
    monkeypatch.setattr(catalog_generation, "GENERATION_MAX_AGE", 0.0)  # as if a second had passed
    assert "470.000" in visitor.get(f"/san-pham/{product.code}").text


def test_the_language_is_part_of_the_page_kept(visitor, kora):
    _user, product = kora
    assert 'lang="vi"' in visitor.get("/san-pham").text
    english = visitor.get("/san-pham", headers={"Accept-Language": "en"}).text
    assert 'lang="en"' in english


def test_changes_raise_the_generation_when_committed_and_not_when_rolled_back(app_ctx, kora):
    _user, product = kora
    before = catalog_generation.current()
    db.session.execute(update(Product).where(Product.id == product.id).values(price_vnd=1))
    db.session.rollback()
    assert catalog_generation.current() == before
    db.session.execute(update(Product).where(Product.id == product.id).values(price_vnd=2))
    db.session.commit()
    assert catalog_generation.current() == before + 1
    make_user("someone@example.vn")  # not something a public page shows
    assert catalog_generation.current() == before + 1


def test_pages_are_still_served_when_the_cache_does_not_answer(visitor, kora, monkeypatch):
    _user, product = kora

    def unreachable(*_args, **_kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "get", unreachable)
    monkeypatch.setattr(cache, "set", unreachable)
    for page in (f"/san-pham/{product.code}", "/san-pham"):
        answer = visitor.get(page)
        assert answer.status_code == 200
        assert "Hồng đảng sâm" in answer.text


def test_signed_in_people_get_the_ranking_from_the_cache_but_never_an_old_one(
    app, client, auth, kora, monkeypatch
):
    _user, product = kora
    # The generation is re-read at most once a second: keep this test's counts free of the clock.
    monkeypatch.setattr(catalog_generation, "GENERATION_MAX_AGE", 3600.0)
    with app.app_context():
        make_product("Trà gừng Măng Đen", price_vnd=500000)
        make_user("buyer@example.vn")
    auth.login("buyer@example.vn")  # made afresh for them: no page cache
    url = "/san-pham?sort=price_asc"
    with app.app_context(), count_queries() as first:
        page = client.get(url).text
    assert page.index("Hồng đảng sâm") < page.index("Trà gừng Măng Đen")
    with app.app_context(), count_queries() as again:
        page = client.get(url).text
    assert page.index("Hồng đảng sâm") < page.index("Trà gừng Măng Đen")
    # the ranking's total came from the cache (and fewer queries in all: the footer's operator too)
    assert any("count(" in statement for statement in first)
    assert not any("count(" in statement for statement in again)
    assert len(again) < len(first)
    with app.app_context():
        db.session.execute(
            update(Product).where(Product.name == "Trà gừng Măng Đen").values(price_vnd=90000)
        )
        db.session.commit()
    page = client.get(url).text
    assert page.index("Trà gừng Măng Đen") < page.index("Hồng đảng sâm")


def _page_keys(app) -> set[str]:
    """The pages ``app``'s cache keeps now (the simple cache's own table). Read in the app's
    context: outside one, the cache extension answers for the app it was last set up for."""
    with app.app_context():
        return {key for key in cache.cache._cache if "page:" in key}


def test_made_up_query_strings_fill_no_cache(app, visitor, kora):
    _user, product = kora
    pages = [
        "/",
        "/san-pham",
        f"/san-pham/{product.code}",
        f"/q/{product.code}",
        "/diem-ban",
        f"/api/v1/products/{product.code}",
        f"/qr/{product.code}.svg",
    ]
    with app.app_context():
        cache.clear()
    for page in pages:
        assert visitor.get(page).status_code == 200
    kept = _page_keys(app)
    assert len(kept) == len(pages)
    made_up = random.Random(400)
    names = ["x", "utm_source", "fbclid", "__proto__", "q[]", "sizes", "Page"]
    for n in range(400):
        page = pages[n % len(pages)]
        name = names[n % len(names)] if n % 3 else f"p{made_up.getrandbits(32):x}"
        answer = visitor.get(f"{page}?{name}={made_up.getrandbits(64):x}")
        assert answer.status_code in (200, 422)
    assert len(_page_keys(app) - kept) <= 3


def test_the_same_query_in_any_order_or_spelling_is_one_page(app, visitor, kora):
    with app.app_context():
        cache.clear()
    for query in (
        "stars=4&group=food",
        "group=food&stars=4",
        "group=food&stars=4&q=",
        "group=%66ood&stars=4",
    ):
        assert visitor.get(f"/san-pham?{query}").status_code == 200
    assert len(_page_keys(app)) == 1


def test_a_page_asked_with_unknown_parameters_is_not_served_to_others(app, visitor, kora):
    _user, product = kora
    marker = "zz-made-up-marker"
    first = visitor.get(f"/san-pham/{product.code}?x={marker}")
    assert first.status_code == 200
    other = app.test_client()  # the next visitor, the same page without the parameter
    assert marker not in other.get(f"/san-pham/{product.code}").text
    assert marker not in other.get(f"/san-pham/{product.code}?x=other").text
