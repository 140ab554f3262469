"""The day's report and the consignment settlement."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from storefront.accounts.access import NotAllowed
from storefront.clock import today
from storefront.extensions import db
from storefront.showrooms import past_sales, pickups, reports, sale_recording
from storefront.showrooms.errors import ShowroomError
from tests.factories import make_producer, make_product, make_user, stock_at_showroom
from tests.showrooms.helpers import place_pickup


def sell(counter, lines, payment="cash", cash_given=None):
    sale, _ = sale_recording.record_sale(
        counter.staff,
        uuid.uuid4().hex,
        [{"code": c, "quantity": q} for c, q in lines],
        payment=payment,
        cash_given=cash_given,
        today=today(),
    )
    db.session.commit()
    return sale


@pytest.fixture
def busy_day(counter):
    other = make_producer("HTX2", "HTX Dệt Đăk Tô")
    scarf = make_product("Khăn thổ cẩm", producer=other, price_vnd=300_000, code="SCF234")
    stock_at_showroom(scarf, counter.showroom, 2)
    cash = sell(counter, [("TEA234", 2), ("SCF234", 1)], cash_given=600_000)  # 540.000
    sell(counter, [("HNY234", 1)], payment="vietqr")  # 250.000
    past_sales.return_items(counter.staff, cash.number, {cash.lines[0].id: "1"}, "Khách đổi ý")
    order = place_pickup(counter, quantity=1)
    pickups.mark_ready(counter.staff, order.number)
    pickups.hand_over(counter.staff, order.number, order.pickup_code, cash_received=True)
    db.session.commit()
    return other


def test_the_day_report_counts_sales_refunds_and_the_cash_in_the_drawer(counter, busy_day):
    report = reports.day_report(counter.staff, today())
    assert (report.totals.count, report.totals.sold, report.totals.returned) == (
        2,
        790_000,
        120_000,
    )
    assert report.by_payment["cash"].net == 420_000
    assert report.by_payment["vietqr"].net == 250_000
    assert report.by_payment["cash_at_pickup"].sold == 120_000
    assert report.cash_in_drawer == 540_000
    assert dict((name, a.net) for name, a in report.by_producer) == {
        "HTX Chè Măng Đen": 370_000,
        "HTX Dệt Đăk Tô": 300_000,
    }


def test_another_day_is_empty(counter, busy_day):
    report = reports.day_report(counter.staff, today() - timedelta(days=1))
    assert report.totals.count == 0
    assert report.cash_in_drawer == 0


def test_the_settlement_owes_a_producer_its_sales_and_pick_ups_less_returns(counter, busy_day):
    statement = reports.settlement(counter.staff, counter.producer.id, None, today(), today())
    lines = {line.product_code: line for line in statement.lines}
    assert (lines["TEA234"].sold_units, lines["TEA234"].returned_units) == (3, 1)
    assert lines["HNY234"].sold_vnd == 250_000
    assert statement.due_vnd == 240_000 + 120_000 + 250_000 - 120_000
    assert statement.showroom.id == counter.showroom.id  # staff see their own showroom only


def test_the_producer_and_the_office_see_the_same_statement(counter, busy_day):
    producer_user = make_user("p@example.vn", "producer", producer_code="HTX1")
    office = make_user("o@example.vn", "office")
    mine = reports.settlement(producer_user, busy_day.id, None, today(), today())
    assert mine.producer.id == counter.producer.id  # a producer reads only its own
    theirs = reports.settlement(office, counter.producer.id, counter.showroom.id, today(), today())
    assert mine.due_vnd == theirs.due_vnd == 490_000


def test_a_customer_may_not_read_a_statement(counter):
    customer = make_user("c@example.vn", "customer")
    with pytest.raises(NotAllowed):
        reports.settlement(customer, counter.producer.id, None, today(), today())


def test_a_period_that_ends_before_it_starts_is_refused(counter):
    with pytest.raises(ShowroomError, match="ends before"):
        reports.settlement(
            counter.staff, counter.producer.id, None, today(), today() - timedelta(1)
        )
