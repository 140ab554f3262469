"""A showroom's day (sales, cash expected in the drawer, by payment way and by producer) and the
consignment settlement: what a showroom sold of a producer's goods in a period, what came back,
and what is owed to the producer. Read only."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TypeVar

from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from storefront.accounts.access import NotAllowed
from storefront.accounts.models import Role, User
from storefront.clock import day_bounds
from storefront.extensions import db
from storefront.orders.models import (
    Fulfilment,
    Order,
    OrderEvent,
    OrderLine,
    OrderPart,
    OrderStatus,
    PaymentMethod,
)
from storefront.payments.models import Payment
from storefront.register.models import Producer, Showroom
from storefront.showrooms.errors import ShowroomError
from storefront.showrooms.models import Sale, SaleLine, SalePayment, SaleReturn, Shift
from storefront.showrooms.shifts import DrawerCount, drawer_count, shifts_between
from storefront.showrooms.staff import own_showroom_id

_Coded = TypeVar("_Coded", Producer, Showroom)

MAX_PERIOD_DAYS = 366
CASH_AT_PICKUP = "cash_at_pickup"


@dataclass
class Amounts:
    sold: int = 0
    returned: int = 0
    count: int = 0

    @property
    def net(self) -> int:
        return self.sold - self.returned


@dataclass
class DayReport:
    day: date
    showroom: Showroom
    sales: list[Sale]
    totals: Amounts
    by_payment: dict[str, Amounts]  # cash, vietqr, cash_at_pickup
    by_producer: list[tuple[str, Amounts]]
    # The shifts opened that day, each with what its drawer should hold: expected vs counted.
    shifts: list[tuple[Shift, DrawerCount]] = field(default_factory=list)

    @property
    def cash_in_drawer(self) -> int:
        """Cash sales less cash given back, plus cash taken for pick-up orders (the floats the
        shifts started with come on top: see ``shifts``)."""
        return self.by_payment[SalePayment.CASH].net + self.by_payment[CASH_AT_PICKUP].net


def day_report(actor: User, day: date) -> DayReport:
    """Everything that happened at the counter on ``day`` (Vietnam time). A fixed number of
    queries."""
    showroom_id = own_showroom_id(actor)
    start, end = day_bounds(day)
    sales = list(
        db.session.scalars(
            select(Sale)
            .where(Sale.showroom_id == showroom_id, Sale.sold_at >= start, Sale.sold_at < end)
            .order_by(Sale.sold_at)
        )
    )
    by_payment = {way: Amounts() for way in (SalePayment.CASH, SalePayment.VIETQR, CASH_AT_PICKUP)}
    producers: dict[str, Amounts] = defaultdict(Amounts)
    totals = Amounts()
    for sale in sales:
        by_payment[sale.payment_method].sold += sale.total_vnd
        by_payment[sale.payment_method].count += 1
        totals.sold += sale.total_vnd
        totals.count += 1
    for producer_name, amount in db.session.execute(
        select(SaleLine.producer_name, func.sum(SaleLine.line_total_vnd))
        .join(Sale, Sale.id == SaleLine.sale_id)
        .where(Sale.showroom_id == showroom_id, Sale.sold_at >= start, Sale.sold_at < end)
        .group_by(SaleLine.producer_name)
    ):
        producers[producer_name].sold += amount
    # Money given back today, whenever its sale was made.
    for method, producer_name, amount in db.session.execute(
        select(Sale.payment_method, SaleLine.producer_name, func.sum(SaleReturn.amount_vnd))
        .join(Sale, Sale.id == SaleReturn.sale_id)
        .join(SaleLine, SaleLine.id == SaleReturn.line_id)
        .where(
            Sale.showroom_id == showroom_id,
            SaleReturn.created_at >= start,
            SaleReturn.created_at < end,
        )
        .group_by(Sale.payment_method, SaleLine.producer_name)
    ):
        by_payment[method].returned += amount
        producers[producer_name].returned += amount
        totals.returned += amount
    pickup_cash = db.session.execute(
        select(func.count(Payment.id), func.coalesce(func.sum(Payment.amount_vnd), 0))
        .join(Order, Order.id == Payment.order_id)
        .where(
            Order.pickup_showroom_id == showroom_id,
            Payment.method == PaymentMethod.CASH_AT_PICKUP,
            Payment.created_at >= start,
            Payment.created_at < end,
        )
    ).one()
    by_payment[CASH_AT_PICKUP].count, by_payment[CASH_AT_PICKUP].sold = pickup_cash
    return DayReport(
        day,
        db.session.get_one(Showroom, showroom_id),
        sales,
        totals,
        by_payment,
        sorted(producers.items()),
        [(shift, drawer_count(shift)) for shift in shifts_between(showroom_id, start, end)],
    )


# --- consignment settlement ------------------------------------------------------------------


@dataclass
class SettlementLine:
    product_code: str
    product_name: str
    sold_units: int = 0
    sold_vnd: int = 0
    returned_units: int = 0
    returned_vnd: int = 0

    @property
    def due_vnd(self) -> int:
        return self.sold_vnd - self.returned_vnd


@dataclass
class Settlement:
    producer: Producer
    showroom: Showroom | None  # None: every showroom
    date_from: date
    date_to: date
    lines: list[SettlementLine] = field(default_factory=list)

    @property
    def sold_vnd(self) -> int:
        return sum(line.sold_vnd for line in self.lines)

    @property
    def returned_vnd(self) -> int:
        return sum(line.returned_vnd for line in self.lines)

    @property
    def due_vnd(self) -> int:
        return self.sold_vnd - self.returned_vnd


def settlement_scope(
    actor: User, producer_id: int | None, showroom_id: int | None
) -> tuple[int | None, int | None]:
    """Who may read which statement: staff for their own showroom (any producer), a producer
    for itself (any showroom), the office for any. Returns (producer_id, showroom_id)."""
    role = getattr(actor, "role", None)
    if role == Role.STAFF:
        return producer_id, own_showroom_id(actor)
    if role == Role.PRODUCER and actor.producer_id is not None:
        return actor.producer_id, showroom_id
    if role == Role.OFFICE:
        return producer_id, showroom_id
    raise NotAllowed()


def settlement(
    actor: User, producer_id: int | None, showroom_id: int | None, date_from: date, date_to: date
) -> Settlement:
    """What a producer is owed for its consigned goods sold in ``[date_from, date_to]``: counter
    sales and collected pick-up orders, less what came back, per product."""
    producer_id, showroom_id = settlement_scope(actor, producer_id, showroom_id)
    producer = db.session.get(Producer, producer_id) if producer_id else None
    if producer is None:
        raise ShowroomError(_("Choose a producer."))
    if date_from > date_to:
        raise ShowroomError(_("The period ends before it starts."))
    if (date_to - date_from).days >= MAX_PERIOD_DAYS:
        raise ShowroomError(_("Choose a period of at most a year."))
    lines: dict[str, SettlementLine] = {}
    for (code, name), sold_units, sold_vnd, returned_units, returned_vnd in settlement_rows(
        date_from, date_to, by="product", producer_id=producer.id, showroom_id=showroom_id
    ):
        entry = lines.setdefault(code, SettlementLine(code, name))
        entry.sold_units += sold_units
        entry.sold_vnd += sold_vnd
        entry.returned_units += returned_units
        entry.returned_vnd += returned_vnd
    return Settlement(
        producer,
        db.session.get(Showroom, showroom_id) if showroom_id else None,
        date_from,
        date_to,
        sorted(lines.values(), key=lambda entry: entry.product_name),
    )


SETTLEMENT_KEYS = {
    # What a settlement is grouped by: (counter sale line, pick-up order) columns.
    "product": (
        (SaleLine.product_code, SaleLine.product_name),
        (OrderLine.product_code, OrderLine.product_name),
    ),
    "producer": ((SaleLine.producer_id,), (OrderPart.producer_id,)),
    "showroom": ((Sale.showroom_id,), (Order.pickup_showroom_id,)),
}


def counter_sales_and_returns(key: tuple, start: datetime, end: datetime) -> tuple[Select, Select]:
    """Two aggregate queries grouped by ``key``: counter sale lines sold in [start, end), and
    what was given back in [start, end) whenever the sale was — (key…, units, đồng) each."""
    sales = (
        select(*key, func.sum(SaleLine.quantity), func.sum(SaleLine.line_total_vnd))
        .join(Sale, Sale.id == SaleLine.sale_id)
        .where(Sale.sold_at >= start, Sale.sold_at < end)
        .group_by(*key)
    )
    returns = (
        select(*key, func.sum(SaleReturn.quantity), func.sum(SaleReturn.amount_vnd))
        .join(SaleLine, SaleLine.id == SaleReturn.line_id)
        .join(Sale, Sale.id == SaleReturn.sale_id)
        .where(SaleReturn.created_at >= start, SaleReturn.created_at < end)
        .group_by(*key)
    )
    return sales, returns


def settlement_rows(
    date_from: date,
    date_to: date,
    by: str = "product",
    producer_id: int | None = None,
    showroom_id: int | None = None,
) -> list[tuple[tuple, int, int, int, int]]:
    """The consignment arithmetic, for one producer or all, one showroom or all, in
    ``[date_from, date_to]`` (Vietnam days), grouped ``by`` product, producer or showroom.

    Sold: counter sale lines by when they were sold (a sale voided later still counts here,
    its void comes back as a return), plus pick-up orders by when they were collected.
    Returned: units and money given back at the counter (returns and voids) by when it was
    given back, whenever the sale was made. Three aggregate queries whatever the data size.
    Returns ``(key, sold_units, sold_vnd, returned_units, returned_vnd)`` per group."""
    start = day_bounds(date_from)[0]
    end = day_bounds(date_to)[1]
    sale_key, order_key = SETTLEMENT_KEYS[by]
    sales, returns = counter_sales_and_returns(sale_key, start, end)
    collected = (
        select(*order_key, func.sum(OrderLine.quantity), func.sum(OrderLine.line_total_vnd))
        .join(OrderPart, OrderPart.id == OrderLine.part_id)
        .join(Order, Order.id == OrderLine.order_id)
        .join(OrderEvent, OrderEvent.order_id == Order.id)
        .where(
            Order.fulfilment == Fulfilment.PICKUP,
            OrderEvent.to_status == OrderStatus.COLLECTED,
            OrderEvent.created_at >= start,
            OrderEvent.created_at < end,
        )
        .group_by(*order_key)
    )
    if producer_id is not None:
        sales = sales.where(SaleLine.producer_id == producer_id)
        returns = returns.where(SaleLine.producer_id == producer_id)
        collected = collected.where(OrderPart.producer_id == producer_id)
    if showroom_id is not None:
        sales = sales.where(Sale.showroom_id == showroom_id)
        returns = returns.where(Sale.showroom_id == showroom_id)
        collected = collected.where(Order.pickup_showroom_id == showroom_id)
    width = len(sale_key)
    totals: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for query, offset in ((sales, 0), (collected, 0), (returns, 2)):
        for row in db.session.execute(query):
            entry = totals[tuple(row[:width])]
            entry[offset] += row[width] or 0
            entry[offset + 1] += row[width + 1] or 0
    return [(key, *amounts) for key, amounts in totals.items()]  # type: ignore[misc]  # 4 amounts


def statement_choices() -> list[Producer]:
    """The producers a statement can be asked for, by name."""
    return list(db.session.scalars(select(Producer).order_by(Producer.name)))


def by_code(model: type[_Coded], code: str | None) -> _Coded | None:
    """A producer or showroom by its code from a query string; None for none or unknown."""
    if not code:
        return None
    return db.session.scalar(select(model).where(model.code == code[:32]))


def default_period(today: date) -> tuple[date, date]:
    """This month so far."""
    return today.replace(day=1), today


def previous_day(day: date) -> date:
    return day - timedelta(days=1)
