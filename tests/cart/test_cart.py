"""The cart takes only what the catalogue sells today, and says so when it refuses."""

import pytest
from sqlalchemy import select

from storefront.cart.models import CartItem
from storefront.extensions import db
from tests.factories import UNSELLABLE_KINDS as KINDS
from tests.factories import make_product, make_unsellable_product, make_user

REFUSED = "không còn mua được"
ADDED = "Đã thêm vào giỏ hàng"


def _session_cart(client) -> dict:
    with client.session_transaction() as session:
        return dict(session.get("cart") or {})


@pytest.mark.parametrize("kind", KINDS)
def test_add_to_cart_of_a_product_not_sold_says_so_and_stores_nothing(client, app_ctx, kind):
    product = make_unsellable_product(kind)
    answer = client.post(
        "/gio-hang/them", data={"code": product.code, "quantity": "1"}, follow_redirects=True
    )
    assert REFUSED in answer.text
    assert ADDED not in answer.text
    assert _session_cart(client) == {}
    assert product.name not in client.get("/gio-hang").text


@pytest.mark.parametrize("kind", KINDS)
def test_posting_its_id_stores_nothing_for_a_visitor_or_a_customer(client, auth, app_ctx, kind):
    product = make_unsellable_product(kind)
    answer = client.post("/gio-hang/cap-nhat", data={f"qty-{product.id}": "1"})
    assert answer.status_code == 302
    assert _session_cart(client) == {}
    auth.login(make_user("lan@example.vn"))
    client.post("/gio-hang/cap-nhat", data={f"qty-{product.id}": "1"})
    assert db.session.scalars(select(CartItem)).all() == []
    assert product.name not in client.get("/gio-hang").text


def test_a_page_left_open_on_a_product_revoked_since_says_it_cannot_be_bought(client, app_ctx):
    product = make_product("Sâm dây", stock=5)
    assert client.get(f"/san-pham/{product.code}").status_code == 200  # the page is open…
    product.certificates[0].status = "revoked"  # …and the office revokes the certificate
    db.session.commit()
    answer = client.post(
        "/gio-hang/them",
        data={"code": product.code, "quantity": "1", "next": f"/san-pham/{product.code}"},
        follow_redirects=True,
    )
    assert REFUSED in answer.text
    assert ADDED not in answer.text
    assert _session_cart(client) == {}


def test_a_line_that_stops_being_sold_stays_flagged_and_can_be_removed(client, app_ctx):
    kept = make_product("Măng khô", stock=5)
    product = make_product("Sâm dây", stock=5)
    for item in (kept, product):
        client.post("/gio-hang/them", data={"code": item.code, "quantity": "2"})
    product.listed = False
    db.session.commit()
    page = client.get("/gio-hang").text
    assert "Không còn bán" in page
    assert "/thanh-toan" not in page
    # The cart's form sends every line back: the flagged one unchanged is no error…
    client.post("/gio-hang/cap-nhat", data={f"qty-{kept.id}": "3", f"qty-{product.id}": "2"})
    assert _session_cart(client) == {str(kept.id): 3, str(product.id): 2}
    # …more of it is refused, and it can be taken out.
    client.post("/gio-hang/cap-nhat", data={f"qty-{product.id}": "3"})
    assert _session_cart(client)[str(product.id)] == 2
    client.post("/gio-hang/cap-nhat", data={"remove": str(product.id)})
    assert _session_cart(client) == {str(kept.id): 3}
