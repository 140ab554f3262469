"""Shifts: opened with a counted float, closed with the drawer counted; what the drawer should
hold, and a difference taken only with its reason."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from storefront.clock import today
from storefront.extensions import db
from storefront.showrooms import past_sales, pickups, reports, sale_recording, shifts
from storefront.showrooms.errors import NotFound, ShowroomError
from storefront.showrooms.models import Shift
from tests.showrooms.helpers import place_pickup


def sell(counter, code, quantity, payment="cash"):
    sale, _ = sale_recording.record_sale(
        counter.staff,
        uuid.uuid4().hex,
        [{"code": code, "quantity": quantity}],
        payment=payment,
        today=today(),
    )
    db.session.commit()
    return sale


@pytest.fixture
def shift(counter):
    """Chị Lan's shift, reopened with a float of 500.000 ₫ counted into the drawer."""
    current = shifts.current_shift(counter.staff)
    shifts.close_shift(counter.staff, 0, None)
    db.session.commit()
    assert not current.is_open
    opened = shifts.open_shift(counter.staff, "500.000")
    db.session.commit()
    return opened


def test_a_second_shift_cannot_be_opened_while_one_is_open(counter, shift):
    with pytest.raises(ShowroomError, match="already open"):
        shifts.open_shift(counter.staff, "0")
    db.session.rollback()
    assert db.session.scalar(select(func.count(Shift.id)).where(Shift.closed_at.is_(None))) == 2


@pytest.mark.parametrize("amount", ["", "-1", "12,5", "một triệu", None])
def test_a_float_that_is_not_whole_dong_is_refused(counter, shift, amount):
    shifts.close_shift(counter.staff, 500_000, None)
    db.session.commit()
    with pytest.raises(ShowroomError):
        shifts.open_shift(counter.staff, amount)
    db.session.rollback()
    assert shifts.current_shift(counter.staff) is None


def test_the_drawer_holds_the_float_cash_sales_less_cash_given_back_plus_pick_up_cash(
    counter, shift
):
    sell(counter, "TEA234", 2)  # 240.000 cash
    sell(counter, "HNY234", 1, payment="vietqr")  # not in the drawer
    returned = sell(counter, "TEA234", 1)  # 120.000 cash, then given back
    past_sales.void_sale(counter.staff, returned.number, "Khách đổi ý")
    order = place_pickup(counter, quantity=1)
    pickups.mark_ready(counter.staff, order.number)
    pickups.hand_over(counter.staff, order.number, order.pickup_code, cash_received=True)
    db.session.commit()
    drawer = shifts.drawer_count(shift)
    assert (drawer.cash_sales, drawer.cash_returned, drawer.pickup_cash) == (
        360_000,
        120_000,
        120_000,
    )
    assert drawer.expected == 500_000 + 360_000 - 120_000 + 120_000


def test_a_count_that_matches_closes_the_shift_and_keeps_the_expected_amount(counter, shift):
    sell(counter, "TEA234", 1)
    closed = shifts.close_shift(counter.staff, "620.000", "")
    db.session.commit()
    assert (closed.expected_cash_vnd, closed.counted_cash_vnd, closed.difference_vnd) == (
        620_000,
        620_000,
        0,
    )
    assert closed.difference_reason is None
    assert shifts.current_shift(counter.staff) is None
    with pytest.raises(ShowroomError, match="Open your shift first"):
        sell(counter, "TEA234", 1)


def test_a_count_that_differs_needs_a_reason_and_changes_nothing_without_one(counter, shift):
    sell(counter, "TEA234", 1)
    with pytest.raises(ShowroomError, match="620.000") as refused:
        shifts.close_shift(counter.staff, "600.000", "  ")
    assert refused.value.field == "reason"
    db.session.rollback()
    assert shifts.current_shift(counter.staff).id == shift.id
    closed = shifts.close_shift(counter.staff, "600.000", "Thối nhầm cho khách")
    db.session.commit()
    assert closed.difference_vnd == -20_000
    assert closed.difference_reason == "Thối nhầm cho khách"
    report = reports.day_report(counter.staff, today())
    mine = [s for s, _drawer in report.shifts if s.id == shift.id]
    assert mine[0].difference_reason == "Thối nhầm cho khách"


def test_another_showrooms_shift_is_not_found(counter, shift):
    with pytest.raises(NotFound):
        shifts.get_shift(counter.other_staff, shift.id)
