"""Once a parcel has shipped the buyer cannot cancel; the office records what comes back."""

import re

import pytest
from sqlalchemy import func, select

from storefront.extensions import db
from storefront.inventory.models import MovementKind, StockMovement
from storefront.orders.models import OrderEvent, OrderStatus, PartStatus
from tests.checkout_helpers import add_to_cart, checkout, the_order, warehouse_state
from tests.factories import make_producer, make_product, make_user

CANCEL_BUTTON = "/huy"


def _returns_in_ledger(product) -> int:
    return db.session.scalar(
        select(func.count(StockMovement.id)).filter_by(
            product_id=product.id, kind=MovementKind.RETURN
        )
    )


@pytest.fixture
def shop(app_ctx):
    kora = make_producer("KORA", "Kora Group")
    dgtp = make_producer("DGTP", "Đăk Glei TP")
    ginseng = make_product("Hồng đảng sâm", producer=kora, price_vnd=450000, stock=10)
    shoots = make_product("Măng khô", producer=dgtp, price_vnd=160000, stock=10)
    return ginseng, shoots


def _as(auth, user):
    """The one browser of the test changes hands (requests share the test's app context)."""
    auth.logout()
    auth.login(user)


def _cod_order_with_kora_shipped(client, auth, shop):
    """A cash-on-delivery order from two producers; Kora has shipped its part, DGTP not yet.
    Returns (the buyer's private order link, order number, Kora's part id); the browser is left
    signed out."""
    ginseng, shoots = shop
    add_to_cart(client, ginseng, 2)
    add_to_cart(client, shoots, 1)
    url = checkout(client).location
    order = the_order()
    kora_part = next(p for p in order.parts if p.producer.code == "KORA")
    _as(auth, make_user("hoa@kora.vn", role="producer", producer_code="KORA"))
    shipped = client.post(
        f"/producer/orders/{kora_part.id}/shipped", data={"carrier": "Viettel Post"}
    )
    assert shipped.status_code == 302
    assert warehouse_state(ginseng) == ((8, 0), 8)
    auth.logout()
    return url, order.number, kora_part.id


def _office(client, auth):
    _as(auth, make_user("vp@ocop.vn", role="office"))
    return client


def _return_form(page: str, part_id: int) -> dict:
    """The office's returns form for one part, as the page fills it (every unit back)."""
    form = re.search(rf'action="[^"]*/parts/{part_id}/return".*?</form>', page, re.S).group(0)
    data = dict(re.findall(r'name="((?:ret|seen)-\d+)"[^>]*value="(\d+)"', form))
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    if token:
        data["csrf_token"] = token.group(1)
    return data


def test_the_buyer_cannot_cancel_once_a_part_has_shipped(client, auth, shop):
    ginseng, shoots = shop
    url, number, _part = _cod_order_with_kora_shipped(client, auth, shop)
    page = client.get(url).text
    assert CANCEL_BUTTON not in page  # no button
    events = db.session.scalar(select(func.count(OrderEvent.id)))
    refused = client.post(url.replace(number, f"{number}/huy"), follow_redirects=True)
    assert "đã được gửi đi" in refused.text  # says why, and who to ask
    order = the_order()
    assert order.status == OrderStatus.PLACED
    assert sorted(p.status for p in order.parts) == [PartStatus.PENDING, PartStatus.SHIPPED]
    assert warehouse_state(shoots) == ((10, 1), 10)  # DGTP's units still reserved, nothing released
    assert warehouse_state(ginseng) == ((8, 0), 8)
    assert db.session.scalar(select(func.count(OrderEvent.id))) == events


def test_before_shipping_the_buyer_still_sees_the_button_and_can_cancel(client, shop):
    ginseng, _ = shop
    add_to_cart(client, ginseng, 1)
    url = checkout(client).location
    assert CANCEL_BUTTON in client.get(url).text
    assert client.post(f"/don-hang/{the_order().number}/huy").status_code == 302
    assert the_order().status == OrderStatus.CANCELLED


def test_office_cancels_then_records_the_parcel_back_once(client, auth, shop):
    ginseng, shoots = shop
    _url, number, kora_part = _cod_order_with_kora_shipped(client, auth, shop)
    office = _office(client, auth)
    page = office.get(f"/office/orders/{number}").text
    assert "Hoàn hàng" in page
    office.post(f"/office/orders/{number}/cancel", data={"reason": "Khách đổi ý"})
    order = the_order()
    assert order.status == OrderStatus.CANCELLED
    assert warehouse_state(shoots) == ((10, 0), 10)  # the unshipped part is released
    assert warehouse_state(ginseng) == ((8, 0), 8)  # the shipped parcel is still on its way

    form = _return_form(office.get(f"/office/orders/{number}").text, kora_part)
    form["reason"] = "Khách từ chối nhận"
    answer = office.post(f"/office/orders/{number}/parts/{kora_part}/return", data=form)
    assert answer.status_code == 302
    assert warehouse_state(ginseng) == ((10, 0), 10)  # back in stock; the ledger sums to it
    assert _returns_in_ledger(ginseng) == 1
    order = the_order()
    assert {p.producer.code: p.status for p in order.parts} == {
        "KORA": PartStatus.RETURNED,
        "DGTP": PartStatus.CANCELLED,
    }
    # The same form again (double submit, back and resubmit): nothing more comes back.
    again = office.post(
        f"/office/orders/{number}/parts/{kora_part}/return", data=form, follow_redirects=True
    )
    assert "ghi nhận rồi" in again.text or "Chỉ kiện hàng đã gửi" in again.text
    assert warehouse_state(ginseng) == ((10, 0), 10)
    assert _returns_in_ledger(ginseng) == 1


def test_every_parcel_back_cancels_an_unpaid_shipped_order(client, auth, shop):
    ginseng, _ = shop
    add_to_cart(client, ginseng, 3)
    checkout(client)
    order = the_order()
    part = order.parts[0]
    _as(auth, make_user("hoa@kora.vn", role="producer", producer_code="KORA"))
    client.post(f"/producer/orders/{part.id}/shipped", data={"carrier": "GHN"})
    assert the_order().status == OrderStatus.SHIPPED
    office = _office(client, auth)
    form = _return_form(office.get(f"/office/orders/{order.number}").text, part.id)
    line_id = next(k for k in form if k.startswith("ret-"))
    # One unit first (the rest is still with the carrier): the part stays shipped.
    office.post(
        f"/office/orders/{order.number}/parts/{part.id}/return",
        data={**form, line_id: "1", "reason": "Hộp móp"},
    )
    assert warehouse_state(ginseng) == ((8, 0), 8)
    assert the_order().parts[0].status == PartStatus.SHIPPED
    # Replaying that form changes nothing: it saw 0 units back, there is 1 now.
    office.post(
        f"/office/orders/{order.number}/parts/{part.id}/return",
        data={**form, line_id: "1", "reason": "Hộp móp"},
    )
    assert warehouse_state(ginseng) == ((8, 0), 8)
    rest = _return_form(office.get(f"/office/orders/{order.number}").text, part.id)
    assert rest[line_id] == "2"
    office.post(
        f"/office/orders/{order.number}/parts/{part.id}/return",
        data={**rest, "reason": "Khách từ chối nhận"},
    )
    assert warehouse_state(ginseng) == ((10, 0), 10)
    assert _returns_in_ledger(ginseng) == 2
    final = the_order()
    assert final.parts[0].status == PartStatus.RETURNED
    assert final.status == OrderStatus.CANCELLED
    assert final.paid_at is None


@pytest.mark.parametrize(
    "change",
    [{"ret": "3"}, {"ret": "-1"}, {"ret": "x"}, {"ret": "0"}, {"reason": ""}, {"ret": "9" * 5000}],
)
def test_bad_returns_are_refused_and_change_nothing(client, auth, shop, change):
    ginseng, _ = shop
    _url, number, kora_part = _cod_order_with_kora_shipped(client, auth, shop)
    office = _office(client, auth)
    form = _return_form(office.get(f"/office/orders/{number}").text, kora_part)
    line_id = next(k for k in form if k.startswith("ret-"))
    form["reason"] = change.get("reason", "Khách từ chối nhận")
    form[line_id] = change.get("ret", form[line_id])
    answer = office.post(f"/office/orders/{number}/parts/{kora_part}/return", data=form)
    assert answer.status_code == 302
    assert warehouse_state(ginseng) == ((8, 0), 8)
    assert _returns_in_ledger(ginseng) == 0
    assert the_order().parts[0].status != PartStatus.RETURNED


def test_only_the_office_records_returns(client, auth, shop):
    ginseng, _ = shop
    _url, number, kora_part = _cod_order_with_kora_shipped(client, auth, shop)
    _as(auth, make_user("hoa2@kora.vn", role="producer", producer_code="KORA"))
    answer = client.post(f"/office/orders/{number}/parts/{kora_part}/return", data={"reason": "x"})
    assert answer.status_code in (302, 403, 404)
    assert warehouse_state(ginseng) == ((8, 0), 8)
