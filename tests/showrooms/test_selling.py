"""The counter's services: scans, sales taken off the shelf once, voids and returns."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from storefront.catalog.models import CertificateStatus
from storefront.clock import today
from storefront.extensions import db
from storefront.inventory import services as inventory
from storefront.inventory.models import StockMovement
from storefront.showrooms import (
    counter_products,
    counter_vietqr,
    past_sales,
    sale_recording,
    shifts,
)
from storefront.showrooms.errors import NotFound, ScanRefused, ShowroomError
from storefront.showrooms.models import Sale, SaleReturn
from tests.factories import make_certificate, make_product, stock_at_showroom
from tests.showrooms.helpers import OWN_HOSTS


def sell(counter, lines, *, client_id=None, payment="cash", cash_given=None, staff=None):
    sale, created = sale_recording.record_sale(
        staff or counter.staff,
        client_id or uuid.uuid4().hex,
        [{"code": code, "quantity": quantity} for code, quantity in lines],
        payment=payment,
        cash_given=cash_given,
        today=today(),
    )
    db.session.commit()
    return sale, created


def shelf(counter, product) -> int:
    return inventory.available(product.id, counter.location_id)


# --- scanning --------------------------------------------------------------------------------


def test_a_scan_of_the_qr_url_finds_the_product_with_its_stars_price_and_shelf(counter):
    found = counter_products.scan(counter.staff, "http://shop.test/q/TEA234", OWN_HOSTS, today())
    assert (found.code, found.stars, found.price_vnd, found.available) == ("TEA234", 4, 120_000, 5)


def test_a_scan_of_the_ean_barcode_finds_the_product(counter):
    found = counter_products.scan(counter.staff, "8930000000019", OWN_HOSTS, today())
    assert found.name == "Mật ong Ngọc Linh"
    assert found.stars == 5


def test_an_unknown_code_is_refused(counter):
    with pytest.raises(ScanRefused, match="ZZZ999") as refused:
        counter_products.scan(counter.staff, "ZZZ999", OWN_HOSTS, today())
    assert refused.value.kind == "unknown"


def test_a_product_with_an_expired_certificate_is_refused_with_its_date(counter):
    product = make_product(stars=None, code="OLD234")
    make_certificate(
        product, issued_on=today() - timedelta(days=2000), expires_on=today() - timedelta(days=3)
    )
    stock_at_showroom(product, counter.showroom, 4)
    with pytest.raises(ScanRefused, match="expired") as refused:
        counter_products.scan(counter.staff, "OLD234", OWN_HOSTS, today())
    assert refused.value.kind == CertificateStatus.EXPIRED


def test_a_product_with_a_revoked_certificate_is_refused(counter):
    product = make_product(stars=None, code="REV234")
    make_certificate(product, status="revoked")
    stock_at_showroom(product, counter.showroom, 4)
    with pytest.raises(ScanRefused, match="revoked"):
        counter_products.scan(counter.staff, "REV234", OWN_HOSTS, today())


def test_a_product_this_showroom_does_not_have_is_refused(counter):
    make_product(code="NON234", stock=10)  # only in its producer's warehouse
    with pytest.raises(ScanRefused, match="not in stock") as refused:
        counter_products.scan(counter.staff, "NON234", OWN_HOSTS, today())
    assert refused.value.kind == "out_of_stock"


# --- selling ---------------------------------------------------------------------------------


def test_a_sale_takes_its_units_off_this_showrooms_shelf_with_ledger_rows(counter):
    sale, created = sell(counter, [("TEA234", 2), ("HNY234", 1)], cash_given=500_000)
    assert created
    assert sale.number.startswith("BH")
    assert (sale.total_vnd, sale.change_vnd) == (490_000, 10_000)
    assert (shelf(counter, counter.tea), shelf(counter, counter.honey)) == (3, 2)
    deltas = db.session.scalars(
        select(StockMovement.delta).where(StockMovement.reference == sale.number)
    ).all()
    assert sorted(deltas) == [-2, -1]
    assert inventory.ledger_sum(counter.tea.id, counter.location_id) == 3


def test_the_same_client_id_twice_records_one_sale(counter):
    first, created = sell(counter, [("TEA234", 1)], client_id="counter-sale-0001")
    again, created_again = sell(counter, [("TEA234", 1)], client_id="counter-sale-0001")
    assert created
    assert not created_again
    assert again.id == first.id
    assert shelf(counter, counter.tea) == 4
    assert db.session.scalar(select(func.count(Sale.id))) == 1


def test_lines_of_one_product_are_merged_and_priced_by_the_shop(counter):
    sale, _ = sell(counter, [("tea234", 1), ("TEA234", 2)])
    assert [(line.product_code, line.quantity, line.unit_price_vnd) for line in sale.lines] == [
        ("TEA234", 3, 120_000)
    ]
    assert sale.lines[0].producer_name == "HTX Chè Măng Đen"
    assert sale.lines[0].stars == 4


def test_selling_more_than_is_on_the_shelf_is_refused_and_changes_nothing(counter):
    with pytest.raises(ShowroomError, match="Only 5"):
        sell(counter, [("HNY234", 1), ("TEA234", 6)])
    db.session.rollback()
    assert (shelf(counter, counter.tea), shelf(counter, counter.honey)) == (5, 3)
    assert db.session.scalar(select(func.count(Sale.id))) == 0


def test_units_reserved_for_a_pick_up_order_cannot_be_sold_at_the_counter(counter):
    inventory.reserve(counter.honey.id, counter.location_id, 3)
    db.session.commit()
    with pytest.raises(ShowroomError, match="Only 0"):
        sell(counter, [("HNY234", 1)])


def test_cash_less_than_the_total_is_refused(counter):
    with pytest.raises(ShowroomError, match="less than the total"):
        sell(counter, [("TEA234", 1)], cash_given=100_000)


@pytest.mark.parametrize(
    "lines",
    [
        [],
        "TEA234",
        [{"code": "TEA234", "quantity": 0}],
        [{"code": "TEA234", "quantity": -1}],
        [{"code": "TEA234", "quantity": 1.5}],
        [{"code": "TEA234", "quantity": True}],
        [{"code": "", "quantity": 1}],
        [{"quantity": 1}],
        [{"code": "TEA234", "quantity": 10_000}],
        [None],
        [{"code": "ZZZ999", "quantity": 1}],
    ],
)
def test_bad_lines_are_refused_with_a_message(counter, lines):
    with pytest.raises(ShowroomError):
        sale_recording.record_sale(
            counter.staff, uuid.uuid4().hex, lines, payment="cash", today=today()
        )


@pytest.mark.parametrize("client_id", [None, "", "short", "x" * 65, "has space in it", 12345678])
def test_a_sale_without_a_proper_client_id_is_refused(counter, client_id):
    with pytest.raises(ShowroomError, match="id"):
        sale_recording.record_sale(
            counter.staff,
            client_id,
            [{"code": "TEA234", "quantity": 1}],
            payment="cash",
            today=today(),
        )


def test_a_sale_of_another_showroom_is_not_found_by_its_staff(counter):
    sale, _ = sell(counter, [("TEA234", 1)], client_id="counter-sale-0002")
    with pytest.raises(NotFound):
        past_sales.get_sale(counter.other_staff, sale.number)
    with pytest.raises(NotFound):  # nor can its client id be replayed there
        sell(counter, [("TEA234", 1)], client_id="counter-sale-0002", staff=counter.other_staff)


def _sell_at(counter, sold_at, shift=None, staff=None):
    return sale_recording.record_sale(
        staff or counter.staff,
        uuid.uuid4().hex,
        [{"code": "TEA234", "quantity": 1}],
        payment="vietqr",
        sold_at=sold_at,
        shift=shift,
        today=today(),
    )


def _opened(staff, hours_ago: float):
    """The staff member's open shift, as if opened ``hours_ago``."""
    shift = shifts.current_shift(staff)
    shift.opened_at = sale_recording.utcnow() - timedelta(hours=hours_ago)
    db.session.commit()
    return shift


def test_an_offline_sale_made_during_the_shift_keeps_the_counters_time_and_its_shift(counter):
    """Rung up offline at closing time yesterday, sent when the connection came back today."""
    shift = _opened(counter.staff, 20)
    earlier = sale_recording.utcnow() - timedelta(hours=15)
    sale, created = _sell_at(counter, earlier, shift.id)
    assert created
    assert abs(sale.sold_at - earlier) < timedelta(seconds=1)
    assert sale.shift_id == shift.id


def _close(staff):
    shift = shifts.current_shift(staff)
    shifts.close_shift(staff, shifts.drawer_count(shift).expected, None)
    db.session.commit()
    return shift


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("before its shift", "shift began"),  # opened 2 hours ago, sold 3 hours ago
        ("in the future", "future"),
        ("no open shift", "Open your shift first"),
        ("its shift is closed", "closed and its drawer counted"),
        ("another staff member's shift", "not yours"),
        ("a made-up shift", "not yours"),
    ],
)
def test_a_sale_outside_an_open_shift_is_refused_and_nothing_is_recorded(counter, case, message):
    now = sale_recording.utcnow()
    sold_at = now - timedelta(minutes=10)
    shift = _opened(counter.staff, 2).id
    if case == "before its shift":
        sold_at = now - timedelta(hours=3)
    elif case == "in the future":
        sold_at = now + timedelta(hours=48)
    elif case == "no open shift":
        _close(counter.staff)
        shift = None
    elif case == "its shift is closed":
        _close(counter.staff)
    elif case == "another staff member's shift":
        shift = shifts.current_shift(counter.other_staff).id
    else:
        shift = 987654
    with pytest.raises(ShowroomError, match=message):
        _sell_at(counter, sold_at, shift)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Sale.id))) == 0
    assert shelf(counter, counter.tea) == 5


# --- voids and returns -----------------------------------------------------------------------


def test_voiding_a_sale_puts_everything_back_once(counter):
    sale, _ = sell(counter, [("TEA234", 2), ("HNY234", 1)])
    past_sales.void_sale(counter.staff, sale.number, "Quét nhầm")
    db.session.commit()
    assert (shelf(counter, counter.tea), shelf(counter, counter.honey)) == (5, 3)
    assert sale.status == "voided"
    assert sale.returned_vnd == 490_000
    with pytest.raises(ShowroomError, match="voided already"):
        past_sales.void_sale(counter.staff, sale.number, "again")
    db.session.rollback()
    assert shelf(counter, counter.tea) == 5
    kinds = db.session.scalars(
        select(StockMovement.kind).where(StockMovement.reference == sale.number)
    ).all()
    assert sorted(kinds) == ["return", "return", "sale", "sale"]


def test_a_void_needs_a_reason(counter):
    sale, _ = sell(counter, [("TEA234", 1)])
    with pytest.raises(ShowroomError, match="Say why"):
        past_sales.void_sale(counter.staff, sale.number, "  ")


def test_a_return_takes_back_part_of_a_line_and_refunds_its_price(counter):
    sale, _ = sell(counter, [("TEA234", 3)])
    line = sale.lines[0]
    past_sales.return_items(counter.staff, sale.number, {line.id: "2"}, "Khách đổi ý")
    db.session.commit()
    assert shelf(counter, counter.tea) == 4
    back = db.session.scalar(select(SaleReturn))
    assert (back.quantity, back.amount_vnd, back.kind, back.reason) == (
        2,
        240_000,
        "return",
        "Khách đổi ý",
    )
    with pytest.raises(ShowroomError, match="At most 1"):
        past_sales.return_items(counter.staff, sale.number, {line.id: "2"}, "again")


@pytest.mark.parametrize("quantity", ["-1", "abc", "1.5"])
def test_a_return_of_a_bad_quantity_is_refused(counter, quantity):
    sale, _ = sell(counter, [("TEA234", 1)])
    with pytest.raises(ShowroomError):
        past_sales.return_items(counter.staff, sale.number, {sale.lines[0].id: quantity}, "x")
    db.session.rollback()
    assert shelf(counter, counter.tea) == 4


def test_the_counter_catalogue_holds_only_what_this_showroom_may_sell(counter):
    product = make_product(stars=None, code="REV234")
    make_certificate(product, status="revoked")
    stock_at_showroom(product, counter.showroom, 4)
    codes = [p.code for p in counter_products.counter_catalogue(counter.staff, today())]
    assert codes == ["HNY234", "TEA234"]


def test_counter_vietqr_is_for_the_total_priced_by_the_shop(counter):
    from storefront.vietqr import parse_tlv

    qr = counter_vietqr.counter_vietqr(
        counter.staff, "abcdef12-3456", [{"code": "TEA234", "quantity": 2}], today()
    )
    tags = parse_tlv(qr.payload)
    assert tags["54"] == "240000"
    assert qr.content == "BH ABCDEF12"
    assert qr.image_data_uri.startswith("data:image/png;base64,")
