"""The programme's reports page: certified products by stars, group, district and year, their
history, what expires soon, beside the plan's indicators and the showrooms per district. Each is
one function of the day returning a Report, computed by SQL aggregation: counts come from the
database, never from loading every row into Python. The page, the CSV/XLSX exports and the print
view all read these."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, distinct, extract, func, not_, select

from storefront.catalog.cards import active_certificate_join
from storefront.catalog.models import Certificate, CertificateStatus, Product, ProductGroup
from storefront.collation import sort_key
from storefront.extensions import db
from storefront.labels import GROUP_NAMES
from storefront.office.certificates import expiring
from storefront.office.charts import Report, single_series
from storefront.office.programme import district_of, programme_kpis, showrooms_per_district
from storefront.register.models import Region


def _certified_per(column, today: date) -> dict:
    """How many products hold a valid certificate on ``today``, per value of ``column``."""
    return dict(
        db.session.execute(
            select(column, func.count(distinct(Product.id)))
            .join(Certificate, active_certificate_join(today))
            .group_by(column)
        ).all()
    )


def products_by_stars(today: date) -> Report:
    counts = _certified_per(Certificate.stars, today)
    rows = [[f"{stars}★", counts.get(stars, 0)] for stars in (3, 4, 5)]
    return Report(
        "stars",
        _("Certified products by stars"),
        [_("Stars"), _("Products")],
        rows,
        chart=single_series("bar", rows, _("Products")),
    )


def products_by_group(today: date) -> Report:
    counts = _certified_per(Product.group, today)
    rows = [[str(GROUP_NAMES[g.value]), counts.get(g.value, 0)] for g in ProductGroup]
    return Report(
        "groups",
        _("Certified products by group"),
        [_("Group"), _("Products")],
        rows,
        chart=single_series("doughnut", rows, _("Products")),
    )


def products_by_region(today: date) -> Report:
    """Certified products per district (or city) they were made in; wards and communes count
    for the district above them. Districts abolished in 2025 keep their products."""
    regions = {r.id: r for r in db.session.scalars(select(Region))}
    totals: dict[int, int] = defaultdict(int)
    for region_id, count in _certified_per(Product.region_id, today).items():
        totals[district_of(regions, region_id)] += count
    rows = sorted(
        ([regions[rid].name, count] for rid, count in totals.items()),
        key=lambda r: (-r[1], sort_key(r[0])),
    )
    return Report(
        "regions",
        _("Certified products by district"),
        [_("District or city"), _("Products")],
        rows,
        chart=single_series("bar", rows, _("Products"), horizontal=True),
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
