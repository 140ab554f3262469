"""The KPI report a province hands in for a plan: the province's heading, the plan and its
period, each target with its actual figure and the gap, and the certified products by stars and
group with their list (the list the office sends up each year). A print view and an XLSX."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload

from storefront import spreadsheets
from storefront.catalog.cards import active_certificate_join
from storefront.catalog.models import Certificate, Product, ProductGroup
from storefront.collation import sort_key
from storefront.extensions import db
from storefront.formatting import format_day
from storefront.labels import GROUP_NAMES, LEVEL_NAMES
from storefront.office.charts import Report
from storefront.office.models import ProgrammePlan
from storefront.office.programme import programme_kpis


@dataclass
class KpiReport:
    authority: str
    office: str
    plan: ProgrammePlan
    as_of: date
    ended: bool
    targets: Report
    by_stars_and_group: Report
    products: Report


def kpi_report(plan: ProgrammePlan, today: date) -> KpiReport:
    """The report of ``plan`` as of ``today``, or of its last day once it has ended."""
    as_of = min(today, plan.period_end)
    rows = sorted(
        db.session.execute(
            select(Product, Certificate)
            .join(Certificate, and_(active_certificate_join(as_of), Certificate.issued_on <= as_of))
            .options(joinedload(Product.producer))
        ).all(),
        key=lambda r: (-r.Certificate.stars, r.Product.group, sort_key(r.Product.name)),
    )
    counts = {(g.value, s): 0 for g in ProductGroup for s in (3, 4, 5)}
    for row in rows:
        counts[(row.Product.group, row.Certificate.stars)] += 1
    by_group: list[list] = [
        [
            str(GROUP_NAMES[g.value]),
            *(counts[(g.value, s)] for s in (3, 4, 5)),
            sum(counts[(g.value, s)] for s in (3, 4, 5)),
        ]
        for g in ProductGroup
    ]
    totals = [sum(counts[(g.value, s)] for g in ProductGroup) for s in (3, 4, 5)]
    by_group.append([_("Total"), *totals, len(rows)])
    return KpiReport(
        authority=current_app.config["REPORT_AUTHORITY"],
        office=current_app.config["REPORT_OFFICE"],
        plan=plan,
        as_of=as_of,
        ended=plan.period_end < today,
        targets=programme_kpis(today, plan),
        by_stars_and_group=Report(
            "stars-groups",
            _("Certified products by stars and group"),
            [_("Group"), "3★", "4★", "5★", _("Total")],
            by_group,
        ),
        products=Report(
            "certified",
            _("Certified products"),
            [
                _("No."),
                _("Product"),
                _("Producer"),
                _("Group"),
                _("Stars"),
                _("Decision"),
                _("Date"),
                _("Level"),
            ],
            [
                [
                    number,
                    r.Product.name,
                    r.Product.producer.name,
                    str(GROUP_NAMES.get(r.Product.group, r.Product.group)),
                    f"{r.Certificate.stars}★",
                    r.Certificate.decision_number,
                    r.Certificate.issued_on,
                    str(LEVEL_NAMES.get(r.Certificate.level, r.Certificate.level)),
                ]
                for number, r in enumerate(rows, start=1)
            ],
        ),
    )


def headings(report: KpiReport) -> list[str]:
    """The lines above every table of the report, as the province writes them."""
    plan = report.plan
    return [
        report.authority.upper(),
        report.office,
        _("Report on the OCOP programme: %(title)s", title=plan.title),
        _(
            "Period %(start)s – %(end)s; figures as of %(date)s.",
            start=format_day(plan.period_start),
            end=format_day(plan.period_end),
            date=format_day(report.as_of),
        ),
    ]


def to_xlsx(report: KpiReport) -> bytes:
    """The report as a workbook: the targets, the counts by stars and group, the list; each
    sheet under the province's heading."""
    tables = (
        (_("Targets"), report.targets),
        (_("By stars and group"), report.by_stars_and_group),
        (_("Certified products"), report.products),
    )
    return spreadsheets.xlsx_workbook(
        [
            spreadsheets.Sheet(
                name, [str(c) for c in table.columns], table.rows, [*headings(report), table.title]
            )
            for name, table in tables
        ]
    )
