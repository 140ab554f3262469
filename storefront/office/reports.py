"""The programme's reports, each one function returning a Report (a table, and a chart of it),
computed by SQL aggregation: counts and sums come from the database, never from loading every
row into Python. The office page, the CSV/XLSX exports and the print view all read these.

Sales by showroom, producer, product, group and payment way, and the consignment settlement per
producer, are in SALES_REPORTS: functions of a period rather than of a day (see ``sales_totals``
for what counts as a sale).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, distinct, extract, func, not_, select

from storefront.catalog.models import (
    Certificate,
    CertificateStatus,
    Product,
    ProductGroup,
    ReviewStatus,
)
from storefront.catalog.services import active_certificate_join
from storefront.clock import day_bounds
from storefront.demo.seed import DATA_FILE
from storefront.extensions import db
from storefront.labels import GROUP_NAMES
from storefront.office.certificates import expiring
from storefront.orders.models import Order, OrderLine, OrderPart, OrderStatus, PaymentMethod
from storefront.register.models import LegalForm, Producer, Region, Showroom
from storefront.showrooms.models import Sale, SaleLine, SalePayment
from storefront.showrooms.reports import counter_sales_and_returns, settlement_rows

DISTRICT_KINDS = ("district", "city", "town")


@dataclass
class Report:
    name: str
    title: str
    columns: list[str]
    rows: list[list]
    chart: dict | None = None  # Chart.js type, labels and datasets, drawn by office-charts.js
    note: str = ""
    highlights: dict = field(default_factory=dict)
    money: tuple[int, ...] = ()  # columns of amounts in đồng, shown as "120.000 ₫" on the page


@cache
def programme_plan() -> dict:
    """The province plan's targets (Kon Tum's 908/KH-UBND in the demo data)."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))["programme"]


def certified_count(today: date, stars: int | None = None) -> int:
    query = select(func.count(distinct(Product.id))).join(
        Certificate, active_certificate_join(today)
    )
    if stars:
        query = query.where(Certificate.stars == stars)
    return db.session.scalar(query)


def programme_kpis(today: date) -> Report:
    """The plan's indicators against its targets, as of ``today``."""
    targets = programme_plan()["targets"]
    certified = certified_count(today)
    five_star = certified_count(today, 5)
    total, cooperatives, enterprises = db.session.execute(
        select(
            func.count(Producer.id),
            func.coalesce(
                func.sum(case((Producer.legal_form == LegalForm.COOPERATIVE, 1), else_=0)), 0
            ),
            func.coalesce(
                func.sum(case((Producer.legal_form == LegalForm.ENTERPRISE, 1), else_=0)), 0
            ),
        ).where(Producer.active.is_(True))
    ).one()
    selling_here = db.session.scalar(
        select(func.count(distinct(Producer.id)))
        .join(Product, Product.producer_id == Producer.id)
        .join(Certificate, active_certificate_join(today))
        .where(
            Producer.active.is_(True),
            Product.listed.is_(True),
            Product.review_status == ReviewStatus.APPROVED,
        )
    )
    districts = showrooms_per_district(today)
    covered = sum(1 for row in districts.rows if row[2] >= targets["showrooms_per_district"])
    low, high = targets["share_producers_modern_channels"]

    def share(part: int) -> float:
        return round(100 * part / total, 1) if total else 0.0

    rows = [
        [
            _("Products with 3 stars or more"),
            certified,
            f"≥ {targets['products_3_star_plus']}",
            certified >= targets["products_3_star_plus"],
        ],
        [
            _("Products with 5 stars"),
            five_star,
            f"≥ {targets['products_5_star']}",
            five_star >= targets["products_5_star"],
        ],
        [
            _("Cooperatives among producers (%)"),
            share(cooperatives),
            f"≥ {targets['share_producers_cooperative']:.0%}",
            share(cooperatives) >= 100 * targets["share_producers_cooperative"],
        ],
        [
            _("Enterprises (SMEs) among producers (%)"),
            share(enterprises),
            f"≥ {targets['share_producers_sme']:.0%}",
            share(enterprises) >= 100 * targets["share_producers_sme"],
        ],
        [
            _("Producers selling in this shop (%)"),
            share(selling_here),
            f"{low:.0%}–{high:.0%}",
            share(selling_here) >= 100 * low,
        ],
        [
            _("Districts with a showroom"),
            f"{covered}/{len(districts.rows)}",
            _("%(n)d per district", n=targets["showrooms_per_district"]),
            covered == len(districts.rows) and bool(districts.rows),
        ],
    ]
    return Report(
        "kpis",
        _("Programme indicators against the plan"),
        [_("Indicator"), _("Now"), _("Target"), _("Met")],
        [
            [label, value, target, _("yes") if met else _("not yet")]
            for label, value, target, met in rows
        ],
        chart={
            "type": "bar",
            "horizontal": True,
            "labels": [_("Products with 3 stars or more"), _("Products with 5 stars")],
            "datasets": [
                {"label": _("Now"), "data": [certified, five_star]},
                {
                    "label": _("Target"),
                    "data": [targets["products_3_star_plus"], targets["products_5_star"]],
                },
            ],
        },
        note=programme_plan()["plan"],
        highlights={"certified": certified, "five_star": five_star, "producers": total},
    )


def products_by_stars(today: date) -> Report:
    counts = dict(
        db.session.execute(
            select(Certificate.stars, func.count(distinct(Product.id)))
            .join(Certificate, active_certificate_join(today))
            .group_by(Certificate.stars)
        ).all()
    )
    rows = [[f"{stars}★", counts.get(stars, 0)] for stars in (3, 4, 5)]
    return Report(
        "stars",
        _("Certified products by stars"),
        [_("Stars"), _("Products")],
        rows,
        chart=_single("bar", rows, _("Products")),
    )


def products_by_group(today: date) -> Report:
    counts = dict(
        db.session.execute(
            select(Product.group, func.count(distinct(Product.id)))
            .join(Certificate, active_certificate_join(today))
            .group_by(Product.group)
        ).all()
    )
    rows = [[str(GROUP_NAMES[g.value]), counts.get(g.value, 0)] for g in ProductGroup]
    return Report(
        "groups",
        _("Certified products by group"),
        [_("Group"), _("Products")],
        rows,
        chart=_single("doughnut", rows, _("Products")),
    )


def products_by_region(today: date) -> Report:
    """Certified products per district (or city) they were made in; wards and communes count
    for the district above them. Districts abolished in 2025 keep their products."""
    per_unit = db.session.execute(
        select(Product.region_id, func.count(distinct(Product.id)))
        .join(Certificate, active_certificate_join(today))
        .group_by(Product.region_id)
    ).all()
    regions = {r.id: r for r in db.session.scalars(select(Region))}
    totals: dict[int, int] = defaultdict(int)
    for region_id, count in per_unit:
        totals[_district_of(regions, region_id)] += count
    rows = sorted(
        ([regions[rid].name, count] for rid, count in totals.items()), key=lambda r: (-r[1], r[0])
    )
    return Report(
        "regions",
        _("Certified products by district"),
        [_("District or city"), _("Products")],
        rows,
        chart=_single("bar", rows, _("Products"), horizontal=True),
    )


def products_by_year(today: date) -> Report:
    """Products certified today, by the year of their certificate and by stars."""
    year = extract("year", Certificate.issued_on)
    counts = db.session.execute(
        select(year, Certificate.stars, func.count(distinct(Product.id)))
        .join(Certificate, active_certificate_join(today))
        .group_by(year, Certificate.stars)
    ).all()
    table: dict[int, dict[int, int]] = defaultdict(lambda: {3: 0, 4: 0, 5: 0})
    for y, stars, count in counts:
        table[int(y)][stars] = count
    rows = [[y, t[3], t[4], t[5], sum(t.values())] for y, t in sorted(table.items())]
    return Report(
        "years",
        _("Certified products by year of certification"),
        [_("Year"), "3★", "4★", "5★", _("Total")],
        rows,
        chart={
            "type": "bar",
            "stacked": True,
            "labels": [str(r[0]) for r in rows],
            "datasets": [
                {"label": f"{s}★", "data": [r[i] for r in rows]}
                for i, s in ((1, 3), (2, 4), (3, 5))
            ],
        },
    )


def history(today: date) -> Report:
    """For each year: certificates issued in it, and products holding a valid certificate at its
    end (today, for the current year). One aggregate query per year."""
    first = db.session.scalar(select(func.min(Certificate.issued_on)))
    rows = []
    if first is not None:
        for y in range(first.year, today.year + 1):
            end = min(date(y, 12, 31), today)
            issued = db.session.scalar(
                select(func.count(Certificate.id)).where(
                    Certificate.issued_on >= date(y, 1, 1), Certificate.issued_on <= end
                )
            )
            valid = db.session.scalar(
                select(func.count(distinct(Certificate.product_id))).where(
                    Certificate.issued_on <= end,
                    Certificate.expires_on >= end,
                    not_(
                        and_(
                            Certificate.status == CertificateStatus.REVOKED,
                            Certificate.revoked_on <= end,
                        )
                    ),
                )
            )
            rows.append([y, issued, valid])
    return Report(
        "history",
        _("History: certificates issued and products certified, by year"),
        [_("Year"), _("Certificates issued"), _("Products certified at year end")],
        rows,
        chart={
            "type": "line",
            "labels": [str(r[0]) for r in rows],
            "datasets": [
                {"label": _("Products certified at year end"), "data": [r[2] for r in rows]},
                {"label": _("Certificates issued"), "data": [r[1] for r in rows]},
            ],
        },
    )


def expiring_soon(today: date) -> Report:
    rows = [
        [
            c.product.name,
            c.product.producer.name,
            c.decision_number,
            f"{c.stars}★",
            c.expires_on,
            (c.expires_on - today).days,
        ]
        for c in expiring(today, 90)
    ]
    return Report(
        "expiring",
        _("Certificates expiring in the next 90 days"),
        [_("Product"), _("Producer"), _("Decision"), _("Stars"), _("Expires on"), _("Days left")],
        rows,
    )


def showrooms_per_district(today: date) -> Report:
    """Open showrooms in each district or city of the plan's province (including units abolished
    in the 2025 reform, which the plan was written for)."""
    regions = {r.id: r for r in db.session.scalars(select(Region))}
    per_unit = db.session.execute(
        select(Showroom.region_id, func.count(Showroom.id))
        .where(Showroom.active.is_(True))
        .group_by(Showroom.region_id)
    ).all()
    counts: dict[int, int] = defaultdict(int)
    for region_id, count in per_unit:
        counts[_district_of(regions, region_id)] += count
    districts = [r for r in regions.values() if r.kind in DISTRICT_KINDS]
    rows = sorted(
        (
            [
                r.name,
                _("until %(date)s", date=r.valid_to.strftime("%d/%m/%Y")) if r.valid_to else "",
                counts.get(r.id, 0),
            ]
            for r in districts
        ),
        key=lambda row: row[0],
    )
    return Report(
        "showrooms",
        _("Showrooms per district"),
        [_("District or city"), _("Existed"), _("Open showrooms")],
        rows,
    )


def _district_of(regions: dict[int, Region], region_id: int) -> int:
    """The district-level unit a unit belongs to (itself for a district or a province)."""
    region = regions[region_id]
    seen = set()
    while (
        region.kind not in DISTRICT_KINDS + ("province",)
        and region.parent_id
        and region.id not in seen
    ):
        seen.add(region.id)
        region = regions[region.parent_id]
    return region.id


def _single(kind: str, rows: list[list], label: str, horizontal: bool = False) -> dict:
    return {
        "type": kind,
        "horizontal": horizontal,
        "labels": [str(r[0]) for r in rows],
        "datasets": [{"label": label, "data": [r[1] for r in rows]}],
    }


REPORTS: dict[str, tuple[object, Callable[[date], Report]]] = {
    "kpis": (_l("Indicators"), programme_kpis),
    "stars": (_l("By stars"), products_by_stars),
    "groups": (_l("By group"), products_by_group),
    "regions": (_l("By district"), products_by_region),
    "years": (_l("By year"), products_by_year),
    "history": (_l("History"), history),
    "expiring": (_l("Expiring"), expiring_soon),
    "showrooms": (_l("Showrooms"), showrooms_per_district),
}


def build(name: str, today: date) -> Report:
    return REPORTS[name][1](today)


def build_all(today: date) -> list[Report]:
    return [build(name, today) for name in REPORTS]


# --- sales -------------------------------------------------------------------------------------

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


def _revenue_chart(rows: list[list], top: int = 15) -> dict:
    shown = rows[:top]
    return {
        "type": "bar",
        "horizontal": True,
        "labels": [str(r[0]) for r in shown],
        "datasets": [{"label": _("Revenue (VND)"), "data": [r[-1] for r in shown]}],
    }


def _period_note(date_from: date, date_to: date) -> str:
    return _(
        "From %(start)s to %(end)s (Vietnam time).",
        start=date_from.strftime("%d/%m/%Y"),
        end=date_to.strftime("%d/%m/%Y"),
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
        chart=_revenue_chart(rows),
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
        chart=_revenue_chart(rows),
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
        chart=_revenue_chart(rows),
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
