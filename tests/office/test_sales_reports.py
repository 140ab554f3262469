"""The office's sales reports and consignment settlements: orders placed through the checkout
page and paid, collected or cancelled, counter sales with a return; every number is what a person
would add up by hand."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from storefront.clock import today
from storefront.extensions import db
from storefront.office import sales_reports
from storefront.orders import services as orders
from storefront.orders.models import Order, OrderStatus
from storefront.payments.services import record_payment
from storefront.showrooms import past_sales, pickups, sale_recording, shifts
from storefront.showrooms import reports as showroom_reports
from tests.checkout_helpers import add_to_cart, checkout
from tests.factories import make_producer, make_product, make_user, stock_at_showroom
from tests.querycount import count_queries
from tests.showrooms.helpers import open_shift, place_pickup


@pytest.fixture(autouse=True)
def _english(app_ctx):
    """Labels are matched in English (the shop's default language is Vietnamese)."""
    from flask_babel import force_locale

    with force_locale("en"):
        yield


def sell(staff, lines, payment="cash", cash_given=None):
    if shifts.current_shift(staff) is None:
        open_shift(staff)
    sale, _ = sale_recording.record_sale(
        staff,
        uuid.uuid4().hex,
        [{"code": c, "quantity": q} for c, q in lines],
        payment=payment,
        cash_given=cash_given,
        today=today(),
    )
    db.session.commit()
    return sale


def order_online(app, product, quantity, method="bank_transfer") -> Order:
    shop = app.test_client()
    add_to_cart(shop, product, quantity)
    response = checkout(shop, payment_method=method)
    assert response.status_code == 302, response.text[:500]
    return db.session.scalar(select(Order).order_by(Order.id.desc()).limit(1))


@pytest.fixture
def month(app, counter):
    """Counter: cash sale tea×2 + scarf×1 (540.000), VietQR honey×1 (250.000), one tea given
    back (120.000); a pick-up tea×1 paid in cash when collected (120.000). Online: jam×2 paid by
    transfer (160.000), jam×1 cancelled, jam×1 placed cash on delivery (not paid yet), jam×3 paid
    40 days ago (outside this month)."""
    weaver = make_producer("HTX2", "HTX Dệt Đăk Tô")
    scarf = make_product(
        "Khăn thổ cẩm", producer=weaver, price_vnd=300_000, code="SCF234", group="handicrafts"
    )
    stock_at_showroom(scarf, counter.showroom, 2)
    jam = make_product(
        "Mứt chanh dây", producer=counter.producer, price_vnd=80_000, code="JAM234", stock=20
    )
    cash = sell(counter.staff, [("TEA234", 2), ("SCF234", 1)], cash_given=600_000)
    sell(counter.staff, [("HNY234", 1)], payment="vietqr")
    past_sales.return_items(counter.staff, cash.number, {cash.lines[0].id: "1"}, "Khách đổi ý")
    pickup = place_pickup(counter, quantity=1)
    pickups.mark_ready(counter.staff, pickup.number)
    pickups.hand_over(counter.staff, pickup.number, pickup.pickup_code, cash_received=True)
    db.session.commit()

    paid = order_online(app, jam, 2)
    record_payment(paid, paid.total_vnd, "bank_transfer", recorded_by="office")
    cancelled = order_online(app, jam, 1)
    orders.change_status(cancelled, OrderStatus.CANCELLED, orders.Actor("office", "Chị Lan"))
    order_online(app, jam, 1, method="cod")
    old = order_online(app, jam, 3)
    record_payment(old, old.total_vnd, "bank_transfer", recorded_by="office")
    old.paid_at = old.paid_at - timedelta(days=40)
    db.session.commit()
    return today().replace(day=1), today()


def rows(report):
    return {row[0]: row[1:] for row in report.rows}


def test_sales_by_payment_way(month):
    assert rows(sales_reports.sales_by_payment(*month)) == {
        "Counter: cash": [2, 420_000],
        "Counter: VietQR": [1, 250_000],
        "Online: cash at pick-up": [1, 120_000],
        "Online: bank transfer (VietQR)": [2, 160_000],
    }


def test_sales_by_producer_product_and_group(month):
    assert rows(sales_reports.sales_by_producer(*month)) == {
        "HTX Chè Măng Đen": [5, 650_000],
        "HTX Dệt Đăk Tô": [1, 300_000],
    }
    assert rows(sales_reports.sales_by_product(*month)) == {
        "Khăn thổ cẩm": ["SCF234", "HTX Dệt Đăk Tô", 1, 300_000],
        "Mật ong Ngọc Linh": ["HNY234", "HTX Chè Măng Đen", 1, 250_000],
        "Trà Măng Đen": ["TEA234", "HTX Chè Măng Đen", 2, 240_000],
        "Mứt chanh dây": ["JAM234", "HTX Chè Măng Đen", 2, 160_000],
    }
    assert [r[0] for r in sales_reports.sales_by_product(*month).rows][0] == "Khăn thổ cẩm"
    groups = {
        name: values
        for name, values in rows(sales_reports.sales_by_group(*month)).items()
        if values[0]
    }
    assert list(groups.values()) == [[5, 650_000], [1, 300_000]]  # food, handicrafts


def test_sales_by_showroom_counts_the_counter_and_collected_pick_ups(month, counter):  # noqa: F811
    assert rows(sales_reports.sales_by_showroom(*month)) == {
        "Điểm bán OCOP Kon Tum": [4, 910_000, 120_000, 790_000],
    }


def test_settlements_per_producer_match_each_producers_own_statement(month, counter):  # noqa: F811
    report = rows(sales_reports.consignment_settlements(*month))
    assert report == {
        "HTX Chè Măng Đen": [4, 610_000, 1, 120_000, 490_000],
        "HTX Dệt Đăk Tô": [1, 300_000, 0, 0, 300_000],
    }
    producer_user = make_user("p@example.vn", "producer", producer_code="HTX1")
    own = showroom_reports.settlement(producer_user, None, None, *month)
    assert own.due_vnd == report["HTX Chè Măng Đen"][-1]


def test_the_period_filters_what_counts(month):
    before = today() - timedelta(days=40)
    assert rows(sales_reports.sales_by_payment(before, before)) == {
        "Online: bank transfer (VietQR)": [3, 240_000]
    }
    yesterday = today() - timedelta(days=1)
    assert sales_reports.sales_by_producer(yesterday, yesterday).rows == []
    assert sales_reports.sales_period(today(), None, None) == month
    assert sales_reports.sales_period(today(), today(), yesterday) == (yesterday, today())


def test_the_sales_page_and_its_csv(month, office_client):
    page = office_client.get("/office/sales")
    assert page.status_code == 200
    assert "Mứt chanh dây" in page.text
    assert "chart-sales-producers" in page.text
    start, end = month
    response = office_client.get(
        f"/office/sales/settlements.csv?from={start.isoformat()}&to={end.isoformat()}"
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    table = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert table[1:] == [
        ["HTX Chè Măng Đen", "4", "610000", "1", "120000", "490000"],
        ["HTX Dệt Đăk Tô", "1", "300000", "0", "0", "300000"],
    ]
    assert office_client.get("/office/sales/sales-groups.xlsx").status_code == 200
    assert office_client.get("/office/sales/nothing.csv").status_code == 404


@pytest.mark.parametrize("role", ["customer", "producer", "staff"])
def test_only_the_office_reads_sales(client, auth, app_ctx, role):
    bindings = {"producer": {"producer_code": "HTX9"}, "staff": {"showroom_code": "SR9"}}
    if role == "producer":
        make_producer("HTX9")
    if role == "staff":
        from tests.factories import make_showroom

        make_showroom("SR9")
    auth.login(make_user(f"{role}@example.vn", role, **bindings.get(role, {})))
    assert client.get("/office/sales").status_code in (403, 404)
    assert client.get("/office/sales/settlements.csv").status_code in (403, 404)


def test_the_sales_page_sends_a_fixed_number_of_queries(app, month, office_client, counter):  # noqa: F811
    def page_queries() -> int:
        db.session.expire_all()  # the signed-in user is loaded again each time, as in a request
        with count_queries() as statements:
            assert office_client.get("/office/sales").status_code == 200
        return len(statements)

    first = page_queries()
    other = make_producer("HTX3", "HTX Gốm")
    for n in range(5):
        product = make_product(f"Bình gốm {n}", producer=other, code=f"POT{n}00", price_vnd=50_000)
        stock_at_showroom(product, counter.showroom, 3)
        sell(counter.staff, [(product.code, 2)])
    assert page_queries() == first
