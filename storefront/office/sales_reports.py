"""Sales by showroom, producer, product, group and payment way, and the consignment settlement
per producer: functions of a period rather than of a day (see ``sales_totals`` for what counts as
a sale), each returning a Report computed by SQL aggregation."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from storefront.catalog.models import Product, ProductGroup
from storefront.clock import day_bounds
from storefront.extensions import db
from storefront.formatting import format_day
from storefront.labels import GROUP_NAMES
from storefront.office.charts import Report, revenue_chart
from storefront.orders.models import Order, OrderLine, OrderPart, OrderStatus, PaymentMethod
from storefront.register.models import Producer, Showroom
from storefront.showrooms.models import Sale, SaleLine, SalePayment
from storefront.showrooms.reports import counter_sales_and_returns, settlement_rows

NOT_SOLD = (OrderStatus.CANCELLED, OrderStatus.EXPIRED, OrderStatus.REFUNDED)
MAX_SALES_DAYS = 366


def sales_period(today: date, date_from: date | None, date_to: date | None) -> tuple[date, date]:
    """The period asked for, in Vietnam days: this month so far unless told; the ends swapped if
    reversed, and at most a year (counted back from its end)."""
    date_from = date_from or today.replace(day=1)
    date_to = date_to or max(today, date_from)
    if date_from > date_to:
        date_from, date_to = date_to, date_from
    if (date_to - date_from).days >= MAX_SALES_DAYS:
        date_from = date_to - timedelta(days=MAX_SALES_DAYS - 1)
    return date_from, date_to


def sales_totals(date_from: date, date_to: date, key: str) -> dict[tuple, list[int]]:
    """Units and revenue (VND) sold in ``[date_from, date_to]`` (Vietnam days), grouped by
    ``key``: "producer", "product", "group" or "payment". Three aggregate queries.

    What counts as a sale:

    * an online order counts on the day it was paid (``paid_at`` in the period; cash on delivery
      and cash at pick-up orders are paid when handed over), unless it is now cancelled, expired
      or refunded; its goods count at the prices on its lines (shipping is not revenue of the
      products, so it is left out);
    * a counter sale counts on the day it was sold, every line of it, even if voided later; units
      and money given back at the counter (returns and voids) are taken off on the day they were
      given back, whatever the day of the sale, as in the showroom's day report.

    Showrooms and consignment settlements count pick-up orders when collected instead (see
    ``storefront.showrooms.reports.settlement_rows``): that is when the showroom hands the goods
    over and owes the producer."""
    start = day_bounds(date_from)[0]
    end = day_bounds(date_to)[1]
    sale_key, order_key = {
        "producer": ((SaleLine.producer_id,), (OrderPart.producer_id,)),
        "product": ((SaleLine.product_id,), (OrderLine.product_id,)),
        "group": ((Product.group,), (Product.group,)),
        "payment": ((Sale.payment_method,), (Order.payment_method,)),
    }[key]
    counter, returns = counter_sales_and_returns(sale_key, start, end)
    online = (
        select(*order_key, func.sum(OrderLine.quantity), func.sum(OrderLine.line_total_vnd))
        .join(Order, Order.id == OrderLine.order_id)
        .where(Order.paid_at >= start, Order.paid_at < end, Order.status.not_in(NOT_SOLD))
        .group_by(*order_key)
    )
    if key == "producer":
        online = online.join(OrderPart, OrderPart.id == OrderLine.part_id)
    if key == "group":
        counter = counter.join(Product, Product.id == SaleLine.product_id)
        returns = returns.join(Product, Product.id == SaleLine.product_id)
        online = online.join(Product, Product.id == OrderLine.product_id)
    totals: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    width = len(sale_key)
    for query, sign, channel in (
        (counter, 1, "counter"),
        (returns, -1, "counter"),
        (online, 1, "online"),
    ):
        for row in db.session.execute(query):
            group = tuple(row[:width])
            if key == "payment":
                group = (channel, *group)
            totals[group][0] += sign * (row[width] or 0)
            totals[group][1] += sign * (row[width + 1] or 0)
    return totals


def _names(model, ids) -> dict[int, str]:
    ids = [i for i in ids if i is not None]
    if not ids:
        return {}
    return dict(db.session.execute(select(model.id, model.name).where(model.id.in_(ids))).all())


def _ranked(rows: list[list]) -> list[list]:
    """Largest revenue first (the last column), then by name."""
    return sorted(rows, key=lambda r: (-r[-1], str(r[0])))


def _period_note(date_from: date, date_to: date) -> str:
    return _(
        "From %(start)s to %(end)s (Vietnam time).",
        start=format_day(date_from),
        end=format_day(date_to),
    )


def sales_by_showroom(date_from: date, date_to: date) -> Report:
    """Per showroom: counter sales and pick-up orders collected there, less what was given back
    at its counter; the same arithmetic as the consignment settlement."""
    totals = settlement_rows(date_from, date_to, by="showroom")
    names = _names(Showroom, [key[0] for key, *_rest in totals])
    rows = _ranked(
        [
            [
                names.get(key[0], "?"),
                sold_units - returned_units,
                sold_vnd,
                returned_vnd,
                sold_vnd - returned_vnd,
            ]
            for key, sold_units, sold_vnd, returned_units, returned_vnd in totals
        ]
    )
    return Report(
        "sales-showrooms",
        _("Sales by showroom"),
        [
            _("Showroom"),
            _("Units (net)"),
            _("Sold (VND)"),
            _("Given back (VND)"),
            _("Revenue (VND)"),
        ],
        rows,
        chart=revenue_chart(rows),
        money=(2, 3, 4),
        note=_period_note(date_from, date_to)
        + " "
        + _("Counter sales and pick-up orders collected at the showroom, less returns and voids."),
    )


def sales_by_producer(date_from: date, date_to: date) -> Report:
    totals = sales_totals(date_from, date_to, "producer")
    names = _names(Producer, [key[0] for key in totals])
    rows = _ranked([[names.get(k[0], "?"), units, vnd] for k, (units, vnd) in totals.items()])
    return Report(
        "sales-producers",
        _("Sales by producer"),
        [_("Producer"), _("Units"), _("Revenue (VND)")],
        rows,
        chart=revenue_chart(rows),
        money=(2,),
        note=_period_note(date_from, date_to),
    )


def sales_by_product(date_from: date, date_to: date) -> Report:
    totals = sales_totals(date_from, date_to, "product")
    ids = [key[0] for key in totals]
    products = {}
    if ids:
        products = {
            pid: (code, name, producer)
            for pid, code, name, producer in db.session.execute(
                select(Product.id, Product.code, Product.name, Producer.name)
                .join(Producer, Producer.id == Product.producer_id)
                .where(Product.id.in_(ids))
            )
        }
    rows = _ranked(
        [[*products.get(k[0], ("?", "?", "?")), units, vnd] for k, (units, vnd) in totals.items()]
    )
    rows = [[r[1], r[0], r[2], r[3], r[4]] for r in rows]
    rows.sort(key=lambda r: (-r[-1], r[0]))
    return Report(
        "sales-products",
        _("Sales by product"),
        [_("Product"), _("Code"), _("Producer"), _("Units"), _("Revenue (VND)")],
        rows,
        chart=revenue_chart(rows),
        money=(4,),
        note=_period_note(date_from, date_to),
    )


def sales_by_group(date_from: date, date_to: date) -> Report:
    totals = sales_totals(date_from, date_to, "group")
    rows = []
    for g in ProductGroup:
        units, vnd = totals.get((g.value,), (0, 0))
        rows.append([str(GROUP_NAMES[g.value]), units, vnd])
    return Report(
        "sales-groups",
        _("Sales by OCOP group"),
        [_("Group"), _("Units"), _("Revenue (VND)")],
        rows,
        chart={
            "type": "doughnut",
            "labels": [r[0] for r in rows if r[2]],
            "datasets": [{"label": _("Revenue (VND)"), "data": [r[2] for r in rows if r[2]]}],
        },
        money=(2,),
        note=_period_note(date_from, date_to),
    )


def payment_label(channel: str, method: str) -> str:
    return {
        ("counter", SalePayment.CASH): _("Counter: cash"),
        ("counter", SalePayment.VIETQR): _("Counter: VietQR"),
        ("online", PaymentMethod.BANK_TRANSFER): _("Online: bank transfer (VietQR)"),
        ("online", PaymentMethod.CASH_ON_DELIVERY): _("Online: cash on delivery"),
        ("online", PaymentMethod.CASH_AT_PICKUP): _("Online: cash at pick-up"),
        ("online", PaymentMethod.CARD): _("Online: card"),
    }.get((channel, method), f"{channel}: {method}")


def sales_by_payment(date_from: date, date_to: date) -> Report:
    totals = sales_totals(date_from, date_to, "payment")
    rows = _ranked([[payment_label(*key), units, vnd] for key, (units, vnd) in totals.items()])
    return Report(
        "sales-payments",
        _("Sales by payment way"),
        [_("Payment way"), _("Units"), _("Revenue (VND)")],
        rows,
        chart={
            "type": "doughnut",
            "labels": [r[0] for r in rows],
            "datasets": [{"label": _("Revenue (VND)"), "data": [r[2] for r in rows]}],
        },
        money=(2,),
        note=_period_note(date_from, date_to),
    )


def consignment_settlements(date_from: date, date_to: date) -> Report:
    """What every producer is owed for the period across all showrooms: the same arithmetic as
    each producer's own statement (``storefront.showrooms.reports.settlement``)."""
    totals = settlement_rows(date_from, date_to, by="producer")
    names = _names(Producer, [key[0] for key, *_rest in totals])
    rows = sorted(
        (
            [
                names.get(key[0], "?"),
                sold_units,
                sold_vnd,
                returned_units,
                returned_vnd,
                sold_vnd - returned_vnd,
            ]
            for key, sold_units, sold_vnd, returned_units, returned_vnd in totals
        ),
        key=lambda r: (-r[-1], r[0]),
    )
    return Report(
        "settlements",
        _("Consignment settlement per producer, all showrooms"),
        [
            _("Producer"),
            _("Units sold"),
            _("Sold (VND)"),
            _("Units returned"),
            _("Returned (VND)"),
            _("Due (VND)"),
        ],
        rows,
        money=(2, 4, 5),
        note=_period_note(date_from, date_to)
        + " "
        + _("Counter sales and collected pick-ups, less returns and voids."),
    )


SALES_REPORTS: dict[str, tuple[object, Callable[[date, date], Report]]] = {
    "sales-showrooms": (_l("By showroom"), sales_by_showroom),
    "sales-producers": (_l("By producer"), sales_by_producer),
    "sales-products": (_l("By product"), sales_by_product),
    "sales-groups": (_l("By group"), sales_by_group),
    "sales-payments": (_l("By payment way"), sales_by_payment),
    "settlements": (_l("Consignment settlement"), consignment_settlements),
}


def build_sales(name: str, date_from: date, date_to: date) -> Report:
    return SALES_REPORTS[name][1](date_from, date_to)


def build_all_sales(date_from: date, date_to: date) -> list[Report]:
    return [build_sales(name, date_from, date_to) for name in SALES_REPORTS]
