"""Goods coming in: transfers counted and received once, direct receipts, stock counts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storefront.extensions import db
from storefront.inventory import services as inventory
from storefront.inventory.models import StockMovement
from storefront.showrooms import receiving, transfers
from storefront.showrooms.errors import NotFound, ScanRefused, ShowroomError
from tests.factories import make_product
from tests.showrooms.helpers import OWN_HOSTS


@pytest.fixture
def transfer(counter):
    jam = make_product("Mứt sim", producer=counter.producer, code="JAM234", stock=20)
    sent = transfers.send_to_showroom(
        counter.producer.id, counter.showroom.id, {jam.id: 10}, actor="test"
    )
    db.session.commit()
    return sent, jam


def on_shelf(counter, product) -> int:
    return inventory.available(product.id, counter.location_id)


def test_a_transfer_counted_as_sent_enters_the_showroom(counter, transfer):
    sent, jam = transfer
    receiving.receive_transfer(counter.staff, sent.id, {})
    db.session.commit()
    assert sent.status == "received"
    assert on_shelf(counter, jam) == 10


def test_a_difference_is_received_with_its_reason(counter, transfer):
    sent, jam = transfer
    receiving.receive_transfer(counter.staff, sent.id, {jam.id: "8"}, "2 hũ vỡ khi vận chuyển")
    db.session.commit()
    assert on_shelf(counter, jam) == 8
    assert sent.lines[0].received_quantity == 8
    reason = db.session.scalar(
        select(StockMovement.reason).where(
            StockMovement.location_id == counter.location_id, StockMovement.product_id == jam.id
        )
    )
    assert reason == "2 hũ vỡ khi vận chuyển"


def test_a_difference_without_a_reason_is_refused_and_changes_nothing(counter, transfer):
    sent, jam = transfer
    with pytest.raises(ShowroomError, match="say why"):
        receiving.receive_transfer(counter.staff, sent.id, {jam.id: "8"}, "")
    db.session.rollback()
    assert sent.status == "in_transit"
    assert on_shelf(counter, jam) == 0


def test_a_transfer_received_twice_is_refused_the_second_time(counter, transfer):
    sent, jam = transfer
    receiving.receive_transfer(counter.staff, sent.id, {})
    db.session.commit()
    with pytest.raises(ShowroomError, match="received or cancelled already"):
        receiving.receive_transfer(counter.staff, sent.id, {})
    db.session.rollback()
    assert on_shelf(counter, jam) == 10


@pytest.mark.parametrize("count", ["-1", "abc", "2.5", "999999999"])
def test_a_bad_count_is_refused(counter, transfer, count):
    sent, jam = transfer
    with pytest.raises(ShowroomError):
        receiving.receive_transfer(counter.staff, sent.id, {jam.id: count}, "x")
    db.session.rollback()
    assert sent.status == "in_transit"


def test_another_showrooms_transfer_is_not_found(counter, transfer):
    sent, _jam = transfer
    with pytest.raises(NotFound):
        receiving.get_transfer(counter.other_staff, sent.id)
    with pytest.raises(NotFound):
        receiving.receive_transfer(counter.other_staff, sent.id, {})
    assert receiving.incoming_transfers(counter.other_staff) == []


def test_goods_handed_in_directly_are_received_by_scan(counter):
    receiving.receive_direct(
        counter.staff, "http://shop.test/q/TEA234", "4", "Anh Tú mang đến", OWN_HOSTS
    )
    db.session.commit()
    assert on_shelf(counter, counter.tea) == 9


def test_goods_with_another_shops_code_are_not_received(counter):
    with pytest.raises(ScanRefused):
        receiving.receive_direct(counter.staff, "https://other.vn/q/TEA234", "4", "", OWN_HOSTS)


@pytest.mark.parametrize("quantity", ["0", "-3", "", "many"])
def test_a_direct_receipt_needs_a_positive_quantity(counter, quantity):
    with pytest.raises(ShowroomError):
        receiving.receive_direct(counter.staff, "TEA234", quantity, "", OWN_HOSTS)


def test_a_stock_count_turns_differences_into_adjustments(counter):
    changed = receiving.count_stock(
        counter.staff, {counter.tea.id: "4", counter.honey.id: "3"}, "Kiểm kho cuối ngày"
    )
    db.session.commit()
    assert changed == 1
    assert on_shelf(counter, counter.tea) == 4
    assert inventory.ledger_sum(counter.tea.id, counter.location_id) == 4


def test_a_negative_count_is_refused_and_changes_nothing(counter):
    with pytest.raises(ShowroomError, match="negative"):
        receiving.count_stock(counter.staff, {counter.tea.id: "3", counter.honey.id: "-1"}, "x")
    db.session.rollback()
    assert on_shelf(counter, counter.tea) == 5


def test_a_count_below_what_pick_up_orders_reserve_is_refused(counter):
    inventory.reserve(counter.tea.id, counter.location_id, 2)
    db.session.commit()
    with pytest.raises(ShowroomError, match="reserved"):
        receiving.count_stock(counter.staff, {counter.tea.id: "1"}, "x")


def test_a_changed_count_needs_a_reason(counter):
    with pytest.raises(ShowroomError, match="Say why"):
        receiving.count_stock(counter.staff, {counter.tea.id: "1"}, "")
