"""Checkout as a shopper anywhere in Vietnam: province then commune (two steps without script),
an old three-tier address in today's units, saved addresses, pick-up only where the goods are,
the cart's steppers and "Buy now"."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select

from storefront.delivery.models import SavedAddress
from storefront.extensions import db
from storefront.orders import services
from storefront.orders.models import Order, OrderStatus
from storefront.register.models import NATIONAL_SOURCE, Region
from tests.checkout_helpers import add_to_cart, checkout, the_order
from tests.delivery.helpers import load_units
from tests.factories import make_product, make_showroom, make_user, stock_at_showroom

STEP = {"idempotency_key": "key-1", "name": "", "phone": "", "fulfilment": "delivery"}


def order_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Order))


def datalist(page: str) -> list[str]:
    listed = re.search(r'<datalist id="commune-list">(.*?)</datalist>', page, re.S)
    return re.findall(r'<option value="([^"]+)">', listed[1]) if listed else []


def test_without_script_the_province_step_lists_its_communes_and_places_nothing(client, app_ctx):
    units = load_units()
    add_to_cart(client, make_product(stock=2))
    first = client.get("/thanh-toan").text
    assert datalist(first) == []  # no province yet: the commune waits for it
    assert 'name="step" value="province"' in first
    page = client.post(
        "/thanh-toan", data={**STEP, "step": "province", "province": units["VN-01"].id}
    )
    assert page.status_code == 200
    assert datalist(page.text) == ["Phường Ba Đình", "Phường Hoàn Kiếm"]
    assert 'class="errors"' not in page.text  # a step is not a refusal
    assert order_count() == 0
    # With script, htmx asks for the same field as the province changes.
    fragment = client.get("/thanh-toan/giao-den", query_string={"province": units["VN-79"].id})
    assert datalist(fragment.text) == ["Phường Sài Gòn"]
    assert 'hx-swap-oob="true"' in fragment.text


def test_a_commune_of_another_province_is_refused(client, app_ctx):
    units = load_units()
    add_to_cart(client, make_product(stock=2))
    response = checkout(client, province=units["VN-01"].id, commune="Phường Sài Gòn")
    assert response.status_code == 400
    assert 'id="commune-error"' in response.text
    assert order_count() == 0


def test_an_address_written_before_the_reform_is_offered_in_todays_units(client, app_ctx):
    units = load_units()
    add_to_cart(client, make_product(stock=2))
    page = client.post(
        "/thanh-toan",
        data={
            **STEP,
            "step": "convert",
            "old_address": "12 Lê Lợi, Phường Quang Trung, Thành phố Kon Tum, Tỉnh Kon Tum",
        },
    ).text
    assert f'<option value="{units["VN-51"].id}" selected>Quảng Ngãi</option>' in page
    assert 'value="Phường Kon Tum"' in page
    assert 'id="address"' in page
    assert 'value="12 Lê Lợi"' in page
    unknown = client.post(
        "/thanh-toan", data={**STEP, "step": "convert", "old_address": "không rõ ở đâu"}
    ).text
    assert "Không nhận ra địa chỉ này" in unknown
    assert order_count() == 0


def test_a_returning_customer_picks_a_saved_address(client, app_ctx, auth):
    units = load_units()
    customer = make_user()
    auth.login(customer)
    product = make_product(stock=5)
    add_to_cart(client, product)
    assert (
        checkout(
            client,
            name="Trần Văn Bình",
            province=units["VN-79"].id,
            commune="Phường Sài Gòn",
            address="8 Nguyễn Huệ",
        ).status_code
        == 302
    )
    add_to_cart(client, product)
    page = client.get("/thanh-toan").text
    assert "Trần Văn Bình · 8 Nguyễn Huệ, Phường Sài Gòn, Thành phố Hồ Chí Minh" in page
    assert 'value="8 Nguyễn Huệ"' in page  # the latest one is filled in
    assert 'value="Phường Sài Gòn"' in page
    # Someone else's saved address is never offered or filled in.
    auth.logout()
    auth.login(make_user())
    add_to_cart(client, product)
    saved_id = re.search(r"dia_chi=(\d+)", page)[1]
    other = client.get(f"/thanh-toan?dia_chi={saved_id}").text
    assert "Nguyễn Huệ" not in other


def test_a_customer_forgets_a_saved_address_and_nobody_else_can(client, app_ctx, auth):
    units = load_units()
    customer = make_user()
    auth.login(customer)
    product = make_product(stock=5)
    add_to_cart(client, product)
    placed = checkout(
        client,
        name="Trần Văn Bình",
        province=units["VN-79"].id,
        commune="Phường Sài Gòn",
        address="8 Nguyễn Huệ",
    )
    assert placed.status_code == 302
    listed = client.get("/tai-khoan/dia-chi").text
    assert "8 Nguyễn Huệ, Phường Sài Gòn, Thành phố Hồ Chí Minh" in listed
    saved = db.session.scalar(select(SavedAddress))
    assert f'action="/tai-khoan/dia-chi/{saved.id}/xoa"' in listed

    auth.logout()
    auth.login(make_user())
    assert client.post(f"/tai-khoan/dia-chi/{saved.id}/xoa").status_code == 404
    assert "Nguyễn Huệ" not in client.get("/tai-khoan/dia-chi").text
    assert db.session.scalar(select(func.count()).select_from(SavedAddress)) == 1

    auth.logout()
    auth.login(customer)
    forgotten = client.post(f"/tai-khoan/dia-chi/{saved.id}/xoa", follow_redirects=True)
    assert forgotten.status_code == 200
    assert "Đã xoá địa chỉ." in forgotten.text
    assert "Nguyễn Huệ" not in forgotten.text
    assert db.session.scalar(select(func.count()).select_from(SavedAddress)) == 0
    assert the_order().address_line == "8 Nguyễn Huệ"  # the order keeps where it went
    add_to_cart(client, product)
    assert "Nguyễn Huệ" not in client.get("/thanh-toan").text
    assert client.post(f"/tai-khoan/dia-chi/{saved.id}/xoa").status_code == 404


def test_pick_up_offers_only_showrooms_holding_every_item(client, app_ctx):
    load_units()
    honey = make_product("Mật ong rừng", stock=5)
    tea = make_product("Trà dây", stock=5)
    full = make_showroom("SR-KT", "Điểm giới thiệu và bán sản phẩm OCOP tỉnh Kon Tum")
    short = make_showroom("SR-DG", "Điểm giới thiệu và bán sản phẩm OCOP huyện Đăk Glei")
    stock_at_showroom(honey, full, 3)
    stock_at_showroom(tea, full, 3)
    stock_at_showroom(honey, short, 3)
    add_to_cart(client, honey)
    add_to_cart(client, tea, 2)
    page = client.get("/thanh-toan").text
    choice = (
        r'<input type="radio" name="showroom" value="{}"([^>]*)>\s*<span><strong>([^<]*)</strong>'
    )
    enabled = re.search(choice.format("SR-KT"), page)
    disabled = re.search(choice.format("SR-DG"), page)
    assert "disabled" not in enabled[1]
    assert "checked" in enabled[1]
    assert enabled[2] == "Tỉnh Kon Tum"  # what tells them apart on a phone
    assert "disabled" in disabled[1]
    assert disabled[2] == "Huyện Đăk Glei"
    assert "2 × Trà dây" in page[disabled.end() : disabled.end() + 300]

    refused = checkout(
        client, fulfilment="pickup", showroom="SR-DG", payment_method="cash_at_pickup"
    )
    assert refused.status_code == 400
    assert order_count() == 0
    placed = checkout(
        client, fulfilment="pickup", showroom="SR-KT", payment_method="cash_at_pickup"
    )
    assert placed.status_code == 302
    order = the_order()
    assert order.shipping_vnd == 0
    ready_words = "we tell you when it is ready"
    staff = services.Actor("staff", "Nhân viên", showroom_id=full.id)
    services.change_status(order, OrderStatus.READY_FOR_PICKUP, staff)
    db.session.commit()
    page = client.get(placed.location).text
    words = re.search(r'<p class="pickup-words">(.*?)</p>', page, re.S)[1]
    assert "tell you when" not in words
    assert "báo" not in words  # nor its Vietnamese, "chúng tôi sẽ báo khi sẵn sàng"
    assert ready_words not in page


def test_the_cart_steppers_change_a_line_and_buy_now_goes_to_checkout(client, app_ctx):
    product = make_product(stock=5)
    add_to_cart(client, product)
    page = client.get("/gio-hang").text
    assert f'name="set" value="{product.id}:2"' in page  # + works as a plain button too
    assert 'hx-trigger="change delay:400ms, submit"' in page
    response = client.post(
        "/gio-hang/cap-nhat", data={f"qty-{product.id}": "1", "set": f"{product.id}:2"}
    )
    assert response.status_code == 302
    assert (
        f'name="qty-{product.id}" type="number" inputmode="numeric" min="0" max="99" value="2"'
        in client.get("/gio-hang").text
    )
    client.post("/gio-hang/cap-nhat", data={f"qty-{product.id}": "2", "set": f"{product.id}:0"})
    assert "qty-" not in client.get("/gio-hang").text  # − at 1 removes the line

    product_page = client.get(f"/san-pham/{product.code}").text
    assert 'name="next" value="/thanh-toan"' in product_page
    bought = client.post(
        "/gio-hang/them", data={"code": product.code, "quantity": "1", "next": "/thanh-toan"}
    )
    assert bought.status_code == 302
    assert bought.location.endswith("/thanh-toan")
    assert client.get("/thanh-toan").status_code == 200


def test_a_ward_added_since_is_offered_and_one_ended_is_not(client, app_ctx):
    """The communes are read once per catalogue generation: a change of the country's units
    (what `flask regions sync` writes) shows at the next checkout."""
    units = load_units()
    add_to_cart(client, make_product(stock=2))
    hanoi = units["VN-01"].id
    asked = {**STEP, "step": "province", "province": hanoi}
    assert datalist(client.post("/thanh-toan", data=asked).text) == [
        "Phường Ba Đình",
        "Phường Hoàn Kiếm",
    ]

    db.session.add(
        Region(
            code="VN-01-TEST",
            name="Phường Cửa Nam",
            kind="ward",
            parent_id=hanoi,
            source=NATIONAL_SOURCE,
        )
    )
    units["VN-00070"].valid_to = date(2026, 11, 1)  # Phường Hoàn Kiếm ends
    db.session.commit()
    assert datalist(client.post("/thanh-toan", data=asked).text) == [
        "Phường Ba Đình",
        "Phường Cửa Nam",
    ]
