"""The inventory service: every change of stock, what it writes to the ledger, and what it refuses.

A refused call must change nothing. Each such test rolls the session back as a real caller would
(the service only flushes) and then reads the stored rows again.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import func, select

from storefront.extensions import db
from storefront.inventory import services as inventory
from storefront.inventory.models import (
    LocationKind,
    MovementKind,
    StockLevel,
    StockLocation,
    StockMovement,
)
from storefront.inventory.services import InvalidQuantity, OutOfStock, StockError
from tests.factories import make_producer, make_showroom, make_user


def stocked(product, location, quantity, reserved=0) -> None:
    """``quantity`` units at ``location``, ``reserved`` of them promised, committed."""
    inventory.receive(product.id, location.id, quantity, actor="setup")
    if reserved:
        inventory.reserve(product.id, location.id, reserved)
    db.session.commit()


@contextmanager
def refused(error=StockError):
    """The block must raise ``error``; the transaction is then rolled back as a caller would."""
    with pytest.raises(error) as caught:
        yield caught
    db.session.rollback()


def movements(product, location) -> list[StockMovement]:
    return list(
        db.session.scalars(
            select(StockMovement)
            .filter_by(product_id=product.id, location_id=location.id)
            .order_by(StockMovement.id)
        )
    )


# --- receive ---------------------------------------------------------------------------------


def test_receive_adds_to_quantity_and_writes_a_receipt_row(product, warehouse, stock_of):
    inventory.receive(product.id, warehouse.id, 7, actor="Chị Lan", reason="lô tháng 5")
    db.session.commit()
    inventory.receive(product.id, warehouse.id, 3, actor="Chị Lan", reference="PN-12")
    db.session.commit()

    stock = stock_of(product, warehouse)
    assert (stock.quantity, stock.reserved, stock.ledger_sum) == (10, 0, 10)
    rows = movements(product, warehouse)
    assert [(r.kind, r.delta) for r in rows] == [
        (MovementKind.RECEIPT, 7),
        (MovementKind.RECEIPT, 3),
    ]
    assert rows[0].reason == "lô tháng 5"
    assert rows[1].reference == "PN-12"
    assert rows[0].created_at is not None


def test_receive_at_a_location_without_a_level_row_creates_it(product, showroom, stock_of):
    assert not stock_of(product, showroom).exists

    inventory.receive(product.id, showroom.id, 4, actor="test")
    db.session.commit()

    stock = stock_of(product, showroom)
    assert stock.exists
    assert (stock.quantity, stock.reserved, stock.movements) == (4, 0, 1)


def test_service_calls_only_flush_so_a_rollback_undoes_them(product, warehouse, stock_of):
    stocked(product, warehouse, 5)
    inventory.receive(product.id, warehouse.id, 3, actor="test")
    inventory.reserve(product.id, warehouse.id, 2)
    assert inventory.available(product.id, warehouse.id) == 6  # seen inside the transaction

    db.session.rollback()

    stock = stock_of(product, warehouse)
    assert (stock.quantity, stock.reserved, stock.movements) == (5, 0, 1)


# --- refused quantities ----------------------------------------------------------------------

BAD_QUANTITIES = [0, -1, -5, True, False, 1.0, 2.5, "3", None]

OPERATIONS = {
    "receive": lambda p, a, b, n: inventory.receive(p, a, n, actor="test"),
    "transfer": lambda p, a, b, n: inventory.transfer(p, a, b, n, actor="test"),
    "reserve": lambda p, a, b, n: inventory.reserve(p, a, n),
    "release": lambda p, a, b, n: inventory.release(p, a, n),
    "commit_sale": lambda p, a, b, n: inventory.commit_sale(p, a, n, actor="test"),
    "commit_sale_reserved": lambda p, a, b, n: inventory.commit_sale(
        p, a, n, actor="test", reserved=True
    ),
    "return_goods": lambda p, a, b, n: inventory.return_goods(p, a, n, actor="test", reason="x"),
}


@pytest.mark.parametrize("operation", OPERATIONS)
def test_zero_negative_bool_float_or_text_quantity_is_refused_and_changes_nothing(
    operation, product, warehouse, showroom, stock_of, subtests
):
    stocked(product, warehouse, 10, reserved=4)
    before = stock_of(product, warehouse), stock_of(product, showroom)

    for quantity in BAD_QUANTITIES:
        with subtests.test(quantity=quantity):
            with refused(InvalidQuantity):
                OPERATIONS[operation](product.id, warehouse.id, showroom.id, quantity)

            assert (stock_of(product, warehouse), stock_of(product, showroom)) == before


def test_adjust_by_zero_bool_float_or_text_is_refused_and_changes_nothing(
    product, warehouse, stock_of, subtests
):
    stocked(product, warehouse, 10, reserved=4)
    before = stock_of(product, warehouse)

    for delta in [0, True, False, 1.0, -2.5, "3", None]:
        with subtests.test(delta=delta):
            with refused(InvalidQuantity):
                inventory.adjust(product.id, warehouse.id, delta, actor="test", reason="kiểm kho")

            assert stock_of(product, warehouse) == before


# --- adjust ----------------------------------------------------------------------------------


def test_adjust_changes_quantity_by_delta_and_writes_adjustment_rows_with_the_reason(
    product, warehouse, stock_of
):
    stocked(product, warehouse, 10)

    inventory.adjust(product.id, warehouse.id, -3, actor="kiểm kho", reason="vỡ 3 hộp")
    inventory.adjust(product.id, warehouse.id, 1, actor="kiểm kho", reason="đếm lại")
    db.session.commit()

    stock = stock_of(product, warehouse)
    assert (stock.quantity, stock.ledger_sum) == (8, 8)
    adjustments = movements(product, warehouse)[1:]
    assert [(r.kind, r.delta, r.reason) for r in adjustments] == [
        (MovementKind.ADJUSTMENT, -3, "vỡ 3 hộp"),
        (MovementKind.ADJUSTMENT, 1, "đếm lại"),
    ]


@pytest.mark.parametrize("reason", [None, "", "   ", "\n\t"], ids=repr)
def test_adjust_without_reason_is_refused_and_changes_nothing(reason, product, warehouse, stock_of):
    stocked(product, warehouse, 10)
    before = stock_of(product, warehouse)

    with refused(InvalidQuantity):
        inventory.adjust(product.id, warehouse.id, -2, actor="test", reason=reason)

    assert stock_of(product, warehouse) == before


def test_adjust_below_reserved_is_refused(product, warehouse, stock_of):
    stocked(product, warehouse, 10, reserved=6)
    before = stock_of(product, warehouse)

    with refused(OutOfStock):
        inventory.adjust(product.id, warehouse.id, -5, actor="test", reason="mất")

    assert stock_of(product, warehouse) == before


def test_adjust_down_to_exactly_what_is_reserved_is_allowed(product, warehouse, stock_of):
    stocked(product, warehouse, 10, reserved=6)

    inventory.adjust(product.id, warehouse.id, -4, actor="test", reason="mất")
    db.session.commit()

    stock = stock_of(product, warehouse)
    assert (stock.quantity, stock.reserved, stock.available, stock.ledger_sum) == (6, 6, 0, 6)


def test_adjust_below_zero_is_refused(product, warehouse, stock_of):
    stocked(product, warehouse, 3)
    before = stock_of(product, warehouse)

    with refused(OutOfStock):
        inventory.adjust(product.id, warehouse.id, -4, actor="test", reason="mất")

    assert stock_of(product, warehouse) == before


def test_adjust_down_where_nothing_was_ever_stocked_is_refused_and_leaves_no_row(
    product, showroom, stock_of
):
    with refused(OutOfStock):
        inventory.adjust(product.id, showroom.id, -1, actor="test", reason="mất")

    assert not stock_of(product, showroom).exists
    assert stock_of(product, showroom).movements == 0


def test_adjust_up_where_nothing_was_stocked_creates_the_level(product, showroom, stock_of):
    inventory.adjust(product.id, showroom.id, 2, actor="test", reason="tìm thấy")
    db.session.commit()

    stock = stock_of(product, showroom)
    assert (stock.exists, stock.quantity, stock.ledger_sum) == (True, 2, 2)


# --- transfer --------------------------------------------------------------------------------


def test_transfer_moves_units_and_writes_a_transfer_row_at_each_end(
    product, warehouse, showroom, stock_of
):
    stocked(product, warehouse, 10)

    inventory.transfer(
        product.id, warehouse.id, showroom.id, 4, actor="xe tải", reason="bổ sung", reference="CK-1"
    )
    db.session.commit()

    source, destination = stock_of(product, warehouse), stock_of(product, showroom)
    assert (source.quantity, source.ledger_sum) == (6, 6)
    assert (destination.quantity, destination.ledger_sum) == (4, 4)
    out, arrived = movements(product, warehouse)[-1], movements(product, showroom)[-1]
    assert (out.kind, out.delta, arrived.kind, arrived.delta) == (
        MovementKind.TRANSFER,
        -4,
        MovementKind.TRANSFER,
        4,
    )
    assert out.reference == arrived.reference == "CK-1"
    assert out.actor_name == arrived.actor_name == "xe tải"


def test_transfer_of_more_than_available_is_refused(product, warehouse, showroom, stock_of):
    stocked(product, warehouse, 10, reserved=4)
    before = stock_of(product, warehouse), stock_of(product, showroom)

    with refused(OutOfStock):
        inventory.transfer(product.id, warehouse.id, showroom.id, 7, actor="test")

    assert (stock_of(product, warehouse), stock_of(product, showroom)) == before
    # exactly what is available may go
    inventory.transfer(product.id, warehouse.id, showroom.id, 6, actor="test")
    db.session.commit()
    assert stock_of(product, warehouse).available == 0
    assert stock_of(product, showroom).quantity == 6


def test_transfer_from_a_location_without_stock_is_refused(product, warehouse, showroom, stock_of):
    with refused(OutOfStock):
        inventory.transfer(product.id, showroom.id, warehouse.id, 1, actor="test")

    assert not stock_of(product, showroom).exists
    assert not stock_of(product, warehouse).exists


def test_transfer_to_the_same_location_is_refused(product, warehouse, stock_of):
    stocked(product, warehouse, 5)
    before = stock_of(product, warehouse)

    with refused(InvalidQuantity):
        inventory.transfer(product.id, warehouse.id, warehouse.id, 2, actor="test")

    assert stock_of(product, warehouse) == before


# --- reserve and release ---------------------------------------------------------------------


def test_reserve_keeps_quantity_and_writes_no_ledger_row(product, warehouse, stock_of):
    stocked(product, warehouse, 5)

    inventory.reserve(product.id, warehouse.id, 2, reference="DH-1")
    db.session.commit()

    stock = stock_of(product, warehouse)
    assert (stock.quantity, stock.reserved, stock.available, stock.movements) == (5, 2, 3, 1)


def test_reserved_units_are_not_available_to_others(product, warehouse, showroom, stock_of):
    stocked(product, warehouse, 10, reserved=8)
    assert inventory.available(product.id, warehouse.id) == 2
    before = stock_of(product, warehouse)

    with refused(OutOfStock):
        inventory.reserve(product.id, warehouse.id, 3)
    with refused(OutOfStock):
        inventory.commit_sale(product.id, warehouse.id, 3, actor="quầy")
    with refused(OutOfStock):
        inventory.transfer(product.id, warehouse.id, showroom.id, 3, actor="test")
    assert stock_of(product, warehouse) == before

    inventory.reserve(product.id, warehouse.id, 2)
    db.session.commit()
    assert stock_of(product, warehouse).available == 0


def test_reserve_more_than_available_is_refused_and_changes_nothing(product, warehouse, stock_of):
    stocked(product, warehouse, 3)
    before = stock_of(product, warehouse)

    with refused(OutOfStock) as caught:
        inventory.reserve(product.id, warehouse.id, 4)

    assert (caught.value.product_id, caught.value.location_id, caught.value.wanted) == (
        product.id,
        warehouse.id,
        4,
    )
    assert stock_of(product, warehouse) == before


def test_reserve_where_nothing_was_ever_stocked_is_refused(product, showroom, stock_of):
    with refused(OutOfStock):
        inventory.reserve(product.id, showroom.id, 1)

    assert not stock_of(product, showroom).exists


def test_release_gives_back_exactly_once(product, warehouse, stock_of):
    stocked(product, warehouse, 5, reserved=3)

    inventory.release(product.id, warehouse.id, 3, reference="DH-1")
    db.session.commit()
    after_first = stock_of(product, warehouse)
    assert (after_first.quantity, after_first.reserved, after_first.available) == (5, 0, 5)
    assert after_first.movements == 1  # a release changes no quantity: no ledger row

    with refused(InvalidQuantity):
        inventory.release(product.id, warehouse.id, 3, reference="DH-1")

    assert stock_of(product, warehouse) == after_first


def test_release_of_more_than_is_reserved_is_refused(product, warehouse, stock_of):
    stocked(product, warehouse, 5, reserved=2)
    before = stock_of(product, warehouse)

    with refused(InvalidQuantity):
        inventory.release(product.id, warehouse.id, 3)

    assert stock_of(product, warehouse) == before


def test_release_where_nothing_was_ever_stocked_is_refused(product, showroom, stock_of):
    with refused(InvalidQuantity):
        inventory.release(product.id, showroom.id, 1)

    assert not stock_of(product, showroom).exists


# --- commit_sale -----------------------------------------------------------------------------


def test_commit_sale_from_reservation_lowers_quantity_and_reserved(product, warehouse, stock_of):
    stocked(product, warehouse, 10, reserved=4)

    inventory.commit_sale(
        product.id, warehouse.id, 3, actor="hệ thống", reserved=True, reference="DH-7"
    )
    db.session.commit()

    stock = stock_of(product, warehouse)
    assert (stock.quantity, stock.reserved, stock.available, stock.ledger_sum) == (7, 1, 6, 7)
    sale = movements(product, warehouse)[-1]
    assert (sale.kind, sale.delta, sale.reference) == (MovementKind.SALE, -3, "DH-7")


def test_commit_sale_from_reservation_larger_than_the_reservation_is_refused(
    product, warehouse, stock_of
):
    stocked(product, warehouse, 10, reserved=2)
    before = stock_of(product, warehouse)

    with refused(InvalidQuantity):
        inventory.commit_sale(product.id, warehouse.id, 3, actor="test", reserved=True)

    assert stock_of(product, warehouse) == before


def test_commit_sale_without_reservation_takes_available_units(product, warehouse, stock_of):
    stocked(product, warehouse, 10, reserved=4)

    inventory.commit_sale(product.id, warehouse.id, 6, actor="quầy", reason="bán lẻ")
    db.session.commit()

    stock = stock_of(product, warehouse)
    assert (stock.quantity, stock.reserved, stock.available, stock.ledger_sum) == (4, 4, 0, 4)
    sale = movements(product, warehouse)[-1]
    assert (sale.kind, sale.delta, sale.reason) == (MovementKind.SALE, -6, "bán lẻ")


def test_commit_sale_without_reservation_of_more_than_available_is_refused(
    product, warehouse, stock_of
):
    stocked(product, warehouse, 10, reserved=4)
    before = stock_of(product, warehouse)

    with refused(OutOfStock):
        inventory.commit_sale(product.id, warehouse.id, 7, actor="quầy")

    assert stock_of(product, warehouse) == before


def test_commit_sale_where_nothing_was_ever_stocked_is_refused(product, showroom, stock_of):
    with refused(OutOfStock):
        inventory.commit_sale(product.id, showroom.id, 1, actor="quầy")
    with refused(InvalidQuantity):
        inventory.commit_sale(product.id, showroom.id, 1, actor="quầy", reserved=True)

    assert not stock_of(product, showroom).exists
    assert stock_of(product, showroom).movements == 0


# --- return_goods ----------------------------------------------------------------------------


def test_return_goods_adds_back_to_quantity_and_writes_a_return_row(product, warehouse, stock_of):
    stocked(product, warehouse, 5, reserved=1)
    inventory.commit_sale(product.id, warehouse.id, 3, actor="quầy")
    db.session.commit()

    inventory.return_goods(
        product.id, warehouse.id, 2, actor="quầy", reason="khách đổi ý", reference="TH-1"
    )
    db.session.commit()

    stock = stock_of(product, warehouse)
    assert (stock.quantity, stock.reserved, stock.available, stock.ledger_sum) == (4, 1, 3, 4)
    row = movements(product, warehouse)[-1]
    assert (row.kind, row.delta, row.reason, row.reference) == (
        MovementKind.RETURN,
        2,
        "khách đổi ý",
        "TH-1",
    )


def test_return_goods_to_a_location_without_a_level_row_creates_it(product, showroom, stock_of):
    inventory.return_goods(product.id, showroom.id, 1, actor="quầy", reason="trả hàng")
    db.session.commit()

    stock = stock_of(product, showroom)
    assert (stock.exists, stock.quantity, stock.ledger_sum) == (True, 1, 1)


# --- the ledger ------------------------------------------------------------------------------


def test_ledger_rows_carry_actor_name_and_reason(app_ctx, product, warehouse):
    office = make_user(role="office", name="Nguyễn Văn An")
    no_name = make_user(role="office", email="kho@example.vn")

    inventory.receive(product.id, warehouse.id, 10, actor=office, reason="nhập kho")
    inventory.adjust(product.id, warehouse.id, -1, actor=no_name, reason="hộp móp")
    inventory.commit_sale(product.id, warehouse.id, 2, actor="Quầy 1", reason="bán lẻ")
    inventory.return_goods(product.id, warehouse.id, 1, actor=None, reason="hết hạn giữ")
    db.session.commit()

    rows = movements(product, warehouse)
    assert [(r.actor_name, r.actor_id, r.reason) for r in rows] == [
        ("Nguyễn Văn An", office.id, "nhập kho"),
        ("kho@example.vn", no_name.id, "hộp móp"),
        ("Quầy 1", None, "bán lẻ"),
        ("system", None, "hết hạn giữ"),
    ]


def test_ledger_sums_to_quantity_after_a_mixed_sequence(product, warehouse, showroom, stock_of):
    p, w, s = product.id, warehouse.id, showroom.id
    inventory.receive(p, w, 20, actor="t")
    inventory.transfer(p, w, s, 8, actor="t")
    inventory.reserve(p, s, 5)
    inventory.commit_sale(p, s, 3, actor="t", reserved=True)
    inventory.release(p, s, 2)
    inventory.commit_sale(p, s, 1, actor="t")
    inventory.return_goods(p, s, 1, actor="t", reason="đổi")
    inventory.adjust(p, w, -2, actor="t", reason="vỡ")
    db.session.commit()

    for location, expected in ((warehouse, 10), (showroom, 5)):
        stock = stock_of(product, location)
        assert stock.quantity == stock.ledger_sum == expected
        assert stock.reserved == 0
        assert inventory.ledger_sum(p, location.id) == expected
        assert inventory.available(p, location.id) == expected


def test_available_and_ledger_sum_of_a_pair_never_stocked_are_zero(product, showroom):
    assert inventory.available(product.id, showroom.id) == 0
    assert inventory.ledger_sum(product.id, showroom.id) == 0


def test_available_sees_changes_made_earlier_in_the_same_transaction(product, warehouse):
    """A StockLevel already loaded in the session must not hide a later conditional UPDATE."""
    stocked(product, warehouse, 5)
    level = db.session.scalar(
        select(StockLevel).filter_by(product_id=product.id, location_id=warehouse.id)
    )
    assert level.available == 5

    inventory.reserve(product.id, warehouse.id, 2)
    assert inventory.available(product.id, warehouse.id) == 3
    inventory.commit_sale(product.id, warehouse.id, 1, actor="t")
    assert inventory.available(product.id, warehouse.id) == 2
    assert inventory.ledger_sum(product.id, warehouse.id) == 4


# --- locations -------------------------------------------------------------------------------


def test_warehouse_of_makes_the_producers_location_once(app_ctx):
    producer = make_producer()

    first = inventory.warehouse_of(producer.id)
    db.session.commit()
    second = inventory.warehouse_of(producer.id)

    assert first.id == second.id
    assert (second.kind, second.producer_id, second.showroom_id) == (
        LocationKind.WAREHOUSE,
        producer.id,
        None,
    )
    assert second.name == producer.name
    count = db.session.scalar(
        select(func.count()).select_from(StockLocation).filter_by(producer_id=producer.id)
    )
    assert count == 1


def test_showroom_location_makes_the_showrooms_location_once(app_ctx):
    showroom = make_showroom()

    first = inventory.showroom_location(showroom.id)
    db.session.commit()
    second = inventory.showroom_location(showroom.id)

    assert first.id == second.id
    assert (second.kind, second.showroom_id, second.producer_id) == (
        LocationKind.SHOWROOM,
        showroom.id,
        None,
    )
    assert second.name == showroom.name
