"""Notices by kind of product: the office sets them on a group (or one subgroup of it); they
follow the group onto the product page, the cart, checkout (where alcohol needs the buyer's age
confirmed) and the receipt (the order page and its e-mail)."""

import pytest
from sqlalchemy import func, select

from storefront.audit.models import AuditEntry
from storefront.catalog.models import ProductNoticeRule
from storefront.extensions import db
from storefront.orders.models import Order
from storefront.outbox.models import OutboxMessage
from tests.checkout_helpers import add_to_cart, checkout, place_order, the_order, warehouse_state
from tests.factories import make_product, make_user

ADULTS = 'class="product-notice notice-adults_only"'
MEDICINE = 'class="product-notice notice-not_a_medicine"'
UNDER_18 = "Không bán cho người dưới 18 tuổi"
NOT_A_MEDICINE = "Thực phẩm này không phải là thuốc, không có tác dụng thay thế thuốc chữa bệnh."


@pytest.fixture
def shelf(app_ctx):
    wine = make_product("Rượu sâm dây", group="drinks", subgroup="Rượu", stock=10)
    juice = make_product("Nước yến sâm", group="drinks", subgroup="Đồ uống không cồn", stock=10)
    pills = make_product("Viên sâm", group="herbal", subgroup="Thực phẩm bảo vệ sức khỏe", stock=10)
    tea = make_product("Trà gừng", group="food", stock=10)
    return wine, juice, pills, tea


@pytest.fixture
def office_rules(client, auth, shelf):
    """The office sets both rules through its page, as the office would."""
    auth.login(make_user("office@example.vn", role="office"))
    for group, subgroup, notice in (
        ("drinks", "ruou", "adults_only"),  # typed without accents: still the same subgroup
        ("herbal", "Thực phẩm bảo vệ sức khoẻ", "not_a_medicine"),  # "khoẻ" / "khỏe"
    ):
        response = client.post(
            "/office/notices", data={"group": group, "subgroup": subgroup, "notice": notice}
        )
        assert response.status_code == 302, response.text[:500]
    auth.logout()
    return shelf


def test_notices_follow_the_group_onto_product_pages(client, office_rules):
    wine, juice, pills, tea = office_rules
    pages = {p.name: client.get(f"/san-pham/{p.code}").text for p in office_rules}
    assert ADULTS in pages[wine.name]
    assert MEDICINE not in pages[wine.name]
    assert UNDER_18 in pages[wine.name]
    assert MEDICINE in pages[pills.name]
    assert ADULTS not in pages[pills.name]
    assert NOT_A_MEDICINE in pages[pills.name]
    for other in (juice, tea):  # another subgroup of drinks, another group
        assert ADULTS not in pages[other.name]
        assert MEDICINE not in pages[other.name]
    # The API says the same.
    assert client.get(f"/api/v1/products/{wine.code}").json["notices"] == ["adults_only"]
    assert client.get(f"/api/v1/products/{tea.code}").json["notices"] == []


def test_a_rule_on_the_whole_group_covers_every_product_of_it_and_its_removal_too(
    client, auth, shelf
):
    wine, juice, _pills, tea = shelf
    office = make_user("office@example.vn", role="office")
    auth.login(office)
    client.post(
        "/office/notices", data={"group": "drinks", "subgroup": "", "notice": "adults_only"}
    )
    auth.logout()
    assert ADULTS in client.get(f"/san-pham/{juice.code}").text
    assert ADULTS in client.get(f"/san-pham/{wine.code}").text
    assert ADULTS not in client.get(f"/san-pham/{tea.code}").text

    rule = db.session.scalar(select(ProductNoticeRule))
    auth.login(office)
    assert client.post(f"/office/notices/{rule.id}/delete").status_code == 302
    auth.logout()
    # The cached page is not served after the change.
    assert ADULTS not in client.get(f"/san-pham/{juice.code}").text
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["notice_rule.added", "notice_rule.removed"]


def test_the_same_rule_twice_is_refused_and_nothing_is_added(client, auth, office_rules):
    auth.login(make_user("office2@example.vn", role="office"))
    response = client.post(
        "/office/notices", data={"group": "drinks", "subgroup": "RƯỢU", "notice": "adults_only"}
    )
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(ProductNoticeRule.id))) == 2


def test_cart_and_checkout_show_the_notices(client, office_rules):
    wine, _juice, pills, _tea = office_rules
    add_to_cart(client, wine)
    add_to_cart(client, pills)
    cart = client.get("/gio-hang").text
    assert ADULTS in cart
    assert MEDICINE in cart
    page = client.get("/thanh-toan").text
    assert 'name="age_confirmed"' in page
    assert ADULTS in page
    assert MEDICINE in page


def test_alcohol_is_not_sold_without_the_age_confirmation(client, office_rules):
    wine = office_rules[0]
    add_to_cart(client, wine, 2)
    response = checkout(client)
    assert response.status_code == 400
    assert 'id="age_confirmed-error"' in response.text
    assert db.session.scalar(select(func.count(Order.id))) == 0
    assert warehouse_state(wine) == ((10, 0), 10)  # nothing reserved


def test_with_the_age_confirmed_the_receipt_keeps_the_notices(client, office_rules):
    wine, _juice, pills, _tea = office_rules
    add_to_cart(client, pills)
    placed = place_order(client, wine, age_confirmed="y")
    order = the_order()
    assert order.age_confirmed is True
    assert {line.product_name: line.notices for line in order.lines} == {
        wine.name: "adults_only",
        pills.name: "not_a_medicine",
    }
    receipt = client.get(f"/don-hang/{placed.number}?k={placed.secret}").text
    assert ADULTS in receipt
    assert MEDICINE in receipt
    mail = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.kind == "order_confirmation")
    )
    assert UNDER_18 in mail.body_text
    assert NOT_A_MEDICINE in mail.body_text


def test_a_cart_without_alcohol_asks_no_age(client, office_rules):
    pills = office_rules[2]
    add_to_cart(client, pills)
    assert 'name="age_confirmed"' not in client.get("/thanh-toan").text
    assert checkout(client).status_code == 302
    assert the_order().age_confirmed is False
