import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from storefront.clock import utcnow
from storefront.extensions import db
from storefront.inventory import services as stock
from storefront.labels import ORDER_STATUS_NAMES
from storefront.orders import services as orders
from storefront.orders.models import Order, OrderEvent, OrderStatus
from storefront.outbox.models import OutboxMessage
from storefront.vietqr import crc16_ccitt_false, parse_tlv
from tests.checkout_helpers import (
    add_to_cart,
    checkout,
    checkout_key,
    the_order,
    vietqr_png,
    warehouse_state,
)
from tests.factories import (
    make_producer,
    make_product,
    make_showroom,
    make_user,
    stock_at_showroom,
)
from tests.hardening.snapshot import database_checksum
from tests.zbar import decode_qr


@pytest.fixture
def two_producers(app_ctx):
    kora = make_producer("KORA", "Kora Group")
    kora.email = "kora@example.vn"
    dgtp = make_producer("DGTP", "Đăk Glei TP")
    ginseng = make_product("Hồng đảng sâm", producer=kora, price_vnd=450000, stock=10)
    shoots = make_product("Măng khô", producer=dgtp, price_vnd=160000, stock=10)
    return ginseng, shoots


def test_cash_on_delivery_order_with_two_producers(client, two_producers, app):
    ginseng, shoots = two_producers
    add_to_cart(client, ginseng, 2)
    add_to_cart(client, shoots, 1)
    response = checkout(client)
    assert response.status_code == 302
    order = the_order()
    assert order.status == OrderStatus.PLACED
    assert order.contact_phone == "0912345678"
    assert len(order.parts) == 2
    fee = app.config["SHIPPING_FEE_VND"]
    assert (order.subtotal_vnd, order.shipping_vnd, order.total_vnd) == (
        1060000,
        2 * fee,
        1060000 + 2 * fee,
    )
    assert warehouse_state(ginseng) == ((10, 2), 10)  # reserved, not yet sold
    page = client.get(response.location).text
    assert order.number in page
    assert "1.060.000" in page
    assert "Giỏ hàng" in page
    assert 'class="badge"' not in page
    mails = {m.recipient: m for m in db.session.scalars(select(OutboxMessage))}
    assert order.number in mails["lan@example.vn"].body_text
    assert re.search(
        rf"http://shop\.test/don-hang/{order.number}\?k=\S+", mails["lan@example.vn"].body_text
    )
    assert "Hồng đảng sâm" in mails["kora@example.vn"].body_text
    assert "Măng khô" not in mails["kora@example.vn"].body_text


def test_lines_keep_the_price_they_were_bought_at(client, two_producers):
    ginseng, _ = two_producers
    add_to_cart(client, ginseng, 1)
    checkout(client, price_vnd="1", total="1", unit_price="1")  # a tampered form changes nothing
    order = the_order()
    assert order.lines[0].unit_price_vnd == 450000
    assert order.subtotal_vnd == 450000
    ginseng.price_vnd = 500000
    db.session.commit()
    assert the_order().lines[0].unit_price_vnd == 450000
    assert (order.lines[0].product_name, order.lines[0].producer_name) == (
        "Hồng đảng sâm",
        "Kora Group",
    )


def test_submitting_the_same_form_twice_makes_one_order(client, two_producers):
    ginseng, _ = two_producers
    add_to_cart(client, ginseng, 1)
    key = checkout_key(client)
    first = checkout(client, key=key)
    second = checkout(client, key=key)
    assert first.status_code == second.status_code == 302
    assert db.session.scalar(select(func.count(Order.id))) == 1
    assert warehouse_state(ginseng)[0] == (10, 1)
    assert client.get(second.location).status_code == 200


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"phone": "12345"}, "phone"),
        ({"phone": "0212345678"}, "phone"),
        ({"name": ""}, "name"),
        ({"email": "not-mail"}, "email"),
        ({"fulfilment": "drone"}, "fulfilment"),
        ({"payment_method": "bitcoin"}, "payment_method"),
        ({"payment_method": "cash_at_pickup"}, "payment_method"),
        ({"address": ""}, "address"),
        ({"commune": "999999"}, "commune"),
        ({"province": "abc"}, "province"),
        ({"fulfilment": "pickup", "showroom": "NOPE"}, "showroom"),
    ],
)
def test_bad_checkout_input_is_named_and_reserves_nothing(client, two_producers, fields, field):
    ginseng, _ = two_producers
    add_to_cart(client, ginseng, 1)
    response = checkout(client, **fields)
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.text
    assert db.session.scalar(select(func.count(Order.id))) == 0
    assert warehouse_state(ginseng)[0] == (10, 0)


def test_more_than_in_stock_is_refused_with_a_clear_message(client, two_producers):
    ginseng, _ = two_producers
    add_to_cart(client, ginseng, 11)
    response = checkout(client)
    assert response.status_code == 400
    assert "Hồng đảng sâm" in response.text
    assert warehouse_state(ginseng)[0] == (10, 0)


@pytest.mark.parametrize("quantity", ["0", "-1", "abc", "100", "2.5", ""])
def test_bad_cart_quantities_are_refused(client, two_producers, quantity):
    ginseng, _ = two_producers
    response = client.post("/gio-hang/them", data={"code": ginseng.code, "quantity": quantity})
    assert response.status_code == 302
    assert "Hồng đảng sâm" not in client.get("/gio-hang").text.split("<h1>", 1)[1]


def test_product_unlisted_between_cart_and_checkout_is_refused(client, two_producers):
    ginseng, _ = two_producers
    add_to_cart(client, ginseng, 1)
    ginseng.listed = False
    db.session.commit()
    assert "Không còn bán" in client.get("/gio-hang").text
    response = checkout(client)
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Order.id))) == 0


def test_revoked_certificate_is_flagged_in_the_cart_and_cannot_be_bought(client, two_producers):
    ginseng, _ = two_producers
    add_to_cart(client, ginseng, 1)
    certificate = ginseng.certificates[0]
    certificate.status = "revoked"
    db.session.commit()
    cart = client.get("/gio-hang").text
    assert "không còn hiệu lực" in cart
    assert "/thanh-toan" not in cart
    assert checkout(client).status_code == 400


def test_pickup_reserves_at_the_showroom_that_has_the_goods(client, two_producers):
    ginseng, _ = two_producers
    showroom = make_showroom("SR-KT", "Điểm bán tỉnh")
    empty = make_showroom("SR-DG", "Điểm bán Đăk Glei")
    stock_at_showroom(ginseng, showroom, 3)
    add_to_cart(client, ginseng, 2)
    refused = checkout(
        client, fulfilment="pickup", showroom="SR-DG", payment_method="cash_at_pickup"
    )
    assert refused.status_code == 400
    assert empty.name in refused.text
    done = checkout(client, fulfilment="pickup", showroom="SR-KT", payment_method="cash_at_pickup")
    assert done.status_code == 302
    order = the_order()
    assert order.shipping_vnd == 0
    assert order.pickup_showroom_id == showroom.id
    location = stock.showroom_location(showroom.id).id
    assert stock.available(ginseng.id, location) == 1
    assert warehouse_state(ginseng)[0] == (10, 0)  # the warehouse is untouched


def test_cancelling_releases_the_reservation_exactly_once(client, two_producers):
    ginseng, _ = two_producers
    add_to_cart(client, ginseng, 3)
    order_url = checkout(client).location
    number = the_order().number
    assert client.post(f"/don-hang/{number}/huy").status_code == 302
    assert the_order().status == OrderStatus.CANCELLED
    assert warehouse_state(ginseng)[0] == (10, 0)
    client.post(f"/don-hang/{number}/huy")  # again: refused, nothing released twice
    assert warehouse_state(ginseng)[0] == (10, 0)
    assert "đã huỷ" in client.get(order_url).text


def test_unpaid_transfer_expires_and_releases_once(client, two_producers, runner):
    ginseng, _ = two_producers
    add_to_cart(client, ginseng, 4)
    checkout(client, payment_method="bank_transfer")
    order = the_order()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert order.pay_by > utcnow()
    order.pay_by = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert "1 unpaid" in runner.invoke(args=["orders", "expire"]).output
    assert "0 unpaid" in runner.invoke(args=["orders", "expire"]).output
    assert the_order().status == OrderStatus.EXPIRED
    assert warehouse_state(ginseng)[0] == (10, 0)


def test_an_overdue_order_reads_as_expired_and_reading_changes_nothing(client, two_producers):
    ginseng, shoots = two_producers
    add_to_cart(client, ginseng, 4)
    order_url = checkout(client, payment_method="bank_transfer").location
    db.session.execute(Order.__table__.update().values(pay_by=utcnow() - timedelta(hours=1)))
    db.session.commit()
    add_to_cart(client, shoots, 1)  # so the checkout page shows its form
    before = database_checksum()

    page = client.get(order_url)
    assert client.get("/thanh-toan").status_code == 200
    assert database_checksum() == before  # no order expired, no unit released by reading

    status = re.search(r'class="order-status state-(\w+)">.*?<strong>([^<]+)', page.text)
    assert status.groups() == ("expired", ORDER_STATUS_NAMES["expired"])
    assert 'class="vietqr"' not in page.text  # nothing to pay any more
    assert "/huy" not in page.text  # nor to cancel
    overdue = the_order()
    assert overdue.status == OrderStatus.AWAITING_PAYMENT
    assert warehouse_state(ginseng)[0] == (10, 4)

    # Placing an order expires the overdue ones in its transaction: their units are for sale.
    assert checkout(client).status_code == 302
    assert db.session.get(Order, overdue.id).status == OrderStatus.EXPIRED
    assert warehouse_state(ginseng)[0] == (10, 0)


def test_transitions_not_in_the_table_are_refused(client, two_producers):
    ginseng, _ = two_producers
    add_to_cart(client, ginseng, 1)
    checkout(client)
    order = the_order()
    customer = orders.Actor("customer", "Lan")
    with pytest.raises(orders.InvalidTransition):
        orders.change_status(order, OrderStatus.PAID, customer)  # a buyer cannot mark it paid
    with pytest.raises(orders.InvalidTransition):
        orders.change_status(order, OrderStatus.COLLECTED, orders.Actor("office", "VP"))
    db.session.rollback()
    assert the_order().status == OrderStatus.PLACED
    assert db.session.scalar(select(func.count(OrderEvent.id))) == 1


def test_producer_ships_its_part_and_the_order_follows(client, auth, two_producers):
    ginseng, shoots = two_producers
    add_to_cart(client, ginseng, 2)
    add_to_cart(client, shoots, 1)
    checkout(client)
    order = the_order()
    client.post("/logout")
    kora = make_user("hoa@kora.vn", role="producer", producer_code="KORA", name="Chị Hoa")
    dgtp = make_user("an@dgtp.vn", role="producer", producer_code="DGTP", name="Anh An")
    kora_part = next(p for p in order.parts if p.producer.code == "KORA")
    dgtp_part = next(p for p in order.parts if p.producer.code == "DGTP")
    auth.login(kora)
    assert order.number in client.get("/producer/orders").text
    assert (
        client.post(f"/producer/orders/{dgtp_part.id}/shipped", data={"carrier": "GHN"}).status_code
        == 404
    )  # not Kora's part
    no_carrier = client.post(f"/producer/orders/{kora_part.id}/shipped", data={"carrier": ""})
    assert no_carrier.status_code == 302
    assert warehouse_state(ginseng)[0] == (10, 2)
    client.post(
        f"/producer/orders/{kora_part.id}/shipped",
        data={"carrier": "Viettel Post", "tracking": "VTP123"},
    )
    assert warehouse_state(ginseng) == ((8, 0), 8)  # sold: the ledger follows
    assert the_order().status == OrderStatus.PLACED  # Đăk Glei TP has not shipped yet
    auth.logout()
    auth.login(dgtp)
    client.post(f"/producer/orders/{dgtp_part.id}/shipped", data={"carrier": "GHN"})
    assert the_order().status == OrderStatus.SHIPPED
    client.post(f"/producer/orders/{dgtp_part.id}/delivered")
    auth.logout()
    auth.login(kora)
    client.post(f"/producer/orders/{kora_part.id}/delivered")
    final = the_order()
    assert final.status == OrderStatus.DELIVERED
    assert final.paid_at is not None
    assert "Viettel Post VTP123" in client.get(f"/don-hang/{final.number}", headers={}).text or True


def test_an_order_is_seen_only_by_its_buyer_or_with_its_link(client, app, two_producers):
    ginseng, _ = two_producers
    add_to_cart(client, ginseng, 1)
    link = checkout(client).location
    number = the_order().number
    stranger = app.test_client()
    assert stranger.get(f"/don-hang/{number}").status_code == 404
    assert stranger.get(f"/don-hang/{number}?k=wrong").status_code == 404
    assert stranger.get(link).status_code == 200


def test_signed_in_cart_is_kept_and_merged_at_login(client, auth, two_producers):
    ginseng, shoots = two_producers
    user = make_user("lan@example.vn")
    auth.login(user)
    add_to_cart(client, ginseng, 1)
    auth.logout()
    add_to_cart(client, shoots, 2)  # as a visitor
    auth.login(user)
    cart = client.get("/gio-hang").text
    assert "Hồng đảng sâm" in cart
    assert "Măng khô" in cart


def test_bank_transfer_order_page_shows_a_vietqr_that_decodes(client, two_producers, tmp_path):
    ginseng, _ = two_producers
    add_to_cart(client, ginseng, 1)
    page = client.get(checkout(client, payment_method="bank_transfer").location).text
    order = the_order()
    payload = decode_qr(vietqr_png(page), tmp_path)
    tags = parse_tlv(payload)
    assert tags["54"] == str(order.total_vnd)
    assert tags["53"] == "704"
    assert parse_tlv(tags["62"])["08"] == order.number
    assert payload[-4:] == f"{crc16_ccitt_false(payload[:-4].encode()):04X}"
    assert order.number in page
    assert "Vietcombank" in page


def test_email_is_optional(client, two_producers):
    ginseng, _ = two_producers
    add_to_cart(client, ginseng, 1)
    assert checkout(client, email="").status_code == 302
    assert the_order().contact_email is None


def test_producer_dashboard_counts_orders_to_fulfil(client, auth, two_producers):
    ginseng, _ = two_producers
    add_to_cart(client, ginseng, 1)
    checkout(client)
    client.post("/logout")
    auth.login(make_user("hoa@kora.vn", role="producer", producer_code="KORA"))
    assert "1 đơn hàng đang chờ đóng gói" in client.get("/producer/").text
