"""Orders a customer can follow: "Đơn hàng của tôi" by status, each parcel's carrier and tracking
page, a timeline, "Mua lại", a message at each step; every parcel can be marked delivered (by its
producer, or by the office from the carrier's confirmation), and cash on delivery is then paid."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from storefront.clock import today
from storefront.extensions import db
from storefront.office.sales_reports import sales_totals
from storefront.orders.models import OrderStatus, PartStatus
from storefront.orders.tracking import ensure_default_carriers
from storefront.outbox.models import Channel, OutboxMessage
from tests.checkout_helpers import add_to_cart, checkout, the_order, warehouse_state
from tests.factories import make_producer, make_product, make_user


@pytest.fixture
def shop(app_ctx):
    ensure_default_carriers()
    db.session.commit()
    kora = make_producer("KORA", "Kora Group")
    dgtp = make_producer("DGTP", "Đăk Glei TP")
    ginseng = make_product("Hồng đảng sâm", producer=kora, price_vnd=450000, stock=10)
    shoots = make_product("Măng khô", producer=dgtp, price_vnd=160000, stock=10)
    return ginseng, shoots


@pytest.fixture
def buyer(app_ctx):
    return make_user("lan@example.vn")


def _as(auth, user):
    auth.logout()
    auth.login(user)


def _ship(client, auth, code, carrier="Viettel Post", tracking="VTP123456"):
    order = the_order()
    part = next(p for p in order.parts if p.producer.code == code)
    _as(auth, make_user(f"{code.lower()}@ocop.vn", role="producer", producer_code=code))
    answer = client.post(
        f"/producer/orders/{part.id}/shipped", data={"carrier": carrier, "tracking": tracking}
    )
    assert answer.status_code == 302
    return part.id


def _cod_order_from_two_producers(client, shop):
    ginseng, shoots = shop
    add_to_cart(client, ginseng, 2)
    add_to_cart(client, shoots, 1)
    return checkout(client).location


def messages_to(recipient: str) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboxMessage).filter_by(recipient=recipient).order_by(OutboxMessage.id)
        )
    )


def test_a_shipped_cod_order_stays_on_the_producers_list_until_delivered_then_is_paid(
    client, auth, shop
):
    _cod_order_from_two_producers(client, shop)
    kora_part = _ship(client, auth, "KORA")
    dgtp_part = _ship(client, auth, "DGTP", carrier="GHN", tracking="GHN987")
    assert the_order().status == OrderStatus.SHIPPED

    listed = client.get("/producer/orders").text  # DGTP's portal: its part is still there
    assert f"/producer/orders/{dgtp_part}/delivered" in listed
    client.post(f"/producer/orders/{dgtp_part}/delivered")
    _as(auth, make_user("kora2@ocop.vn", role="producer", producer_code="KORA"))
    assert f"/producer/orders/{kora_part}/delivered" in client.get("/producer/orders").text
    client.post(f"/producer/orders/{kora_part}/delivered")

    order = the_order()
    assert order.status == OrderStatus.DELIVERED
    assert order.paid_at is not None  # cash on delivery counts as paid
    day = today()
    by_producer = sales_totals(day, day, "producer")
    assert sorted(units for units, _revenue in by_producer.values()) == [1, 2]  # in the reports
    assert {p.status for p in order.parts} == {PartStatus.DELIVERED}
    assert f"/producer/orders/{kora_part}/" not in client.get("/producer/orders").text


def test_the_office_marks_a_parcel_delivered_from_the_carriers_confirmation(client, auth, shop):
    ginseng, _ = shop
    add_to_cart(client, ginseng, 1)
    checkout(client)
    part = _ship(client, auth, "KORA")
    _as(auth, make_user("vp@ocop.vn", role="office"))
    number = the_order().number
    assert f"/parts/{part}/delivered" in client.get(f"/office/orders/{number}").text

    client.post(f"/office/orders/{number}/parts/{part}/delivered")

    order = the_order()
    assert (order.status, order.paid_at is not None) == (OrderStatus.DELIVERED, True)
    assert "Delivery confirmed" in order.events[-2].note or "xác nhận" in order.events[-2].note


def test_the_order_page_links_each_parcel_to_its_carriers_tracking_page(client, auth, shop, buyer):
    auth.login(buyer)
    _cod_order_from_two_producers(client, shop)
    number = the_order().number
    _ship(client, auth, "KORA", carrier="viettel post", tracking="VTP123456")
    _ship(client, auth, "DGTP", carrier="Ship riêng", tracking="X1")
    _as(auth, buyer)

    page = client.get(f"/don-hang/{number}").text

    assert 'href="https://viettelpost.com.vn/tra-cuu-hanh-trinh-don/?key=VTP123456"' in page
    assert "Ship riêng" in page  # an unknown carrier is shown, without a link
    timeline = re.search(r'<ol class="timeline[^"]*">(.*?)</ol>', page, re.S).group(1)
    assert timeline.count("<time") == len(the_order().events)
    assert "Kora Group" in timeline


def test_the_office_edits_a_tracking_page_and_a_bad_one_is_refused(client, auth, shop, buyer):
    ginseng, _ = shop
    auth.login(buyer)
    add_to_cart(client, ginseng, 1)
    checkout(client)
    number = the_order().number
    _ship(client, auth, "KORA", carrier="GHN", tracking="GHN42")
    _as(auth, make_user("vp@ocop.vn", role="office"))

    client.post("/office/carriers/ghn", data={"tracking_url": "https://ghn.vn/tra-cuu/{code}"})
    for bad in ("javascript:alert(1)//{code}", "https://ghn.vn/no-placeholder"):
        refused = client.post("/office/carriers/ghn", data={"tracking_url": bad})
        assert refused.status_code == 302

    _as(auth, buyer)
    assert 'href="https://ghn.vn/tra-cuu/GHN42"' in client.get(f"/don-hang/{number}").text


def test_my_orders_has_tabs_by_status(client, auth, shop, buyer):
    ginseng, shoots = shop
    auth.login(buyer)
    add_to_cart(client, ginseng, 1)
    checkout(client, payment_method="bank_transfer")
    add_to_cart(client, shoots, 1)
    checkout(client)

    everything = client.get("/tai-khoan/don-hang").text
    awaiting = client.get("/tai-khoan/don-hang?tab=awaiting").text
    processing = client.get("/tai-khoan/don-hang?tab=processing").text
    cancelled = client.get("/tai-khoan/don-hang?tab=cancelled").text

    assert "Hồng đảng sâm" in everything
    assert "Măng khô" in everything
    assert "Hồng đảng sâm" in awaiting
    assert "Măng khô" not in awaiting
    assert "Măng khô" in processing
    assert "Hồng đảng sâm" not in processing
    assert "Hồng đảng sâm" not in cancelled
    assert "Măng khô" not in cancelled


def test_buy_again_puts_back_what_is_sold_today_and_names_the_rest(client, auth, shop, buyer):
    ginseng, shoots = shop
    auth.login(buyer)
    add_to_cart(client, ginseng, 2)
    add_to_cart(client, shoots, 1)
    checkout(client)
    number = the_order().number
    shoots.listed = False  # the producer stopped selling it
    db.session.commit()

    answer = client.post(f"/don-hang/{number}/mua-lai", follow_redirects=True)

    assert "Hồng đảng sâm" in answer.text
    assert re.search(r"flash-warning[^>]*>[^<]*Măng khô", answer.text)
    cart = client.get("/gio-hang").text
    assert re.search(r'name="qty-\d+"[^>]*value="2"', cart)
    assert warehouse_state(ginseng) == ((10, 2), 10)  # the cart reserves nothing


def test_the_buyer_hears_of_each_parcel_and_of_delivery_by_email(client, auth, shop, buyer):
    ginseng, _ = shop
    add_to_cart(client, ginseng, 1)
    checkout(client)
    part = _ship(client, auth, "KORA", carrier="GHTK", tracking="S1234")
    client.post(f"/producer/orders/{part}/delivered")

    kinds = [m.kind for m in messages_to("lan@example.vn")]
    assert kinds == ["order_confirmation", "order_parcel_shipped", "order_delivered"]
    shipped = messages_to("lan@example.vn")[1]
    assert "https://i.ghtk.vn/S1234" in shipped.body_text


def test_a_buyer_without_email_gets_sms(client, auth, shop):
    ginseng, _ = shop
    add_to_cart(client, ginseng, 1)
    checkout(client, email="")
    _ship(client, auth, "KORA", carrier="J&T", tracking="JT77")

    sms = messages_to("0912345678")
    assert [m.channel for m in sms] == [Channel.SMS, Channel.SMS]
    assert [m.kind for m in sms] == ["order_confirmation", "order_parcel_shipped"]
    assert "billcode=JT77" in sms[1].body_text


def test_a_delivered_parcel_that_comes_back_is_put_back_once_and_leaves_the_reports(
    client, auth, shop
):
    ginseng, _ = shop
    add_to_cart(client, ginseng, 2)
    checkout(client)
    part = _ship(client, auth, "KORA")
    client.post(f"/producer/orders/{part}/delivered")
    assert warehouse_state(ginseng) == ((8, 0), 8)
    _as(auth, make_user("vp@ocop.vn", role="office"))
    order = the_order()
    line = order.lines[0]
    form = {f"ret-{line.id}": "2", f"seen-{line.id}": "0", "reason": "Khách trả lại"}

    first = client.post(f"/office/orders/{order.number}/parts/{part}/return", data=form)
    again = client.post(f"/office/orders/{order.number}/parts/{part}/return", data=form)

    assert (first.status_code, again.status_code) == (302, 302)
    assert warehouse_state(ginseng) == ((10, 0), 10)  # back once; the ledger sums to it
    assert the_order().status == OrderStatus.REFUNDED  # it was paid (cash on delivery)
    day = today()
    assert sales_totals(day, day, "producer") == {}
