"""The programme plan's indicators against its targets (the KPIs the office and the province
follow), and the showrooms each district has — one of them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, case, distinct, func, select

from storefront.catalog.cards import active_certificate_join
from storefront.catalog.models import Certificate, Product, ReviewStatus
from storefront.catalog.regions import covered_region_ids
from storefront.collation import sort_key
from storefront.extensions import db
from storefront.formatting import format_day
from storefront.office.charts import Report
from storefront.office.models import ProgrammePlan
from storefront.office.plans import UNIT_INDICATORS, last_ended, plan_in_force
from storefront.register.models import LegalForm, Producer, Region, Showroom

DISTRICT_KINDS = ("district", "city", "town")


def certified_count(today: date, stars: int | None = None) -> int:
    query = select(func.count(distinct(Product.id))).join(
        Certificate, and_(active_certificate_join(today), Certificate.issued_on <= today)
    )
    if stars:
        query = query.where(Certificate.stars == stars)
    return db.session.scalar(query)


def programme_kpis(today: date, plan: ProgrammePlan | None = None) -> Report:
    """The indicators against the targets of ``plan`` (by default the plan in force today), each
    with its actual figure and the gap still to close. An ended plan is measured on its last
    day: its final figures. Without a plan the indicators are still measured, and the report
    says plainly that no plan is in force."""
    if plan is None:
        plan = plan_in_force(today)
    day = min(today, plan.period_end) if plan else today
    certified = certified_count(day)
    five_star = certified_count(day, 5)
    total, cooperatives, enterprises, selling_here = _producer_counts(day)

    def share(part: int) -> float:
        return round(100 * part / total, 1) if total else 0.0

    rows = [
        _row(_("Products with 3 stars or more"), certified, plan and plan.products_3_star_plus),
        _row(_("Products with 5 stars"), five_star, plan and plan.products_5_star),
        _row(
            _("Cooperatives among producers (%)"),
            share(cooperatives),
            plan and plan.cooperative_share_pct,
            "%",
        ),
        _row(
            _("Enterprises (SMEs) among producers (%)"),
            share(enterprises),
            plan and plan.sme_share_pct,
            "%",
        ),
        _row(
            _("Producers selling in this shop (%)"),
            share(selling_here),
            plan and plan.modern_channels_low_pct,
            "%",
            high=plan and plan.modern_channels_high_pct,
        ),
    ]
    if plan is not None and plan.showrooms_per_district and not plan.unit_targets:
        # The 2021–2025 plan counted showrooms per district, the units it was written for.
        districts = showrooms_per_district(day)
        covered = sum(1 for row in districts.rows if row[2] >= plan.showrooms_per_district)
        rows.append(
            [
                _("Districts with a showroom (as the plan counted them)"),
                f"{covered}/{len(districts.rows)}",
                _("%(n)d per district", n=plan.showrooms_per_district),
                len(districts.rows) - covered,
                _met(covered == len(districts.rows) and bool(districts.rows)),
            ]
        )
    for progress in unit_progress(plan, day) if plan else []:
        rows.append(
            [
                f"{UNIT_INDICATORS[progress.indicator]}: {progress.unit}",
                progress.actual,
                f"≥ {progress.target}",
                max(progress.target - progress.actual, 0),
                _met(progress.actual >= progress.target),
            ]
        )
    datasets = [{"label": _("Now"), "data": [certified, five_star]}]
    if plan is not None:
        datasets.append(
            {"label": _("Target"), "data": [plan.products_3_star_plus, plan.products_5_star]}
        )
    return Report(
        "kpis",
        _("Programme indicators against the plan"),
        [_("Indicator"), _("Now"), _("Target"), _("Gap"), _("Met")],
        rows,
        chart={
            "type": "bar",
            "horizontal": True,
            "labels": [rows[0][0], rows[1][0]],
            "datasets": datasets,
        },
        note=_plan_note(plan, today),
        highlights={"certified": certified, "five_star": five_star, "producers": total},
    )


def _producer_counts(day: date) -> tuple[int, int, int, int]:
    """Active producers: all, cooperatives, enterprises, and those selling here on ``day``."""
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
        .join(Certificate, active_certificate_join(day))
        .where(
            Producer.active.is_(True),
            Product.listed.is_(True),
            Product.review_status == ReviewStatus.APPROVED,
        )
    )
    return total, cooperatives, enterprises, selling_here


def _row(label: str, actual, target, unit: str = "", high=None) -> list:
    """[indicator, now, target, gap, met]; without a plan, target and gap are empty."""
    if target is None or target is False:
        return [label, actual, _("no plan in force"), "", ""]
    shown = f"{target}{unit}–{high}{unit}" if high is not None else f"≥ {target}{unit}"
    gap = max(round(target - actual, 1), 0)
    return [label, actual, shown, gap, _met(actual >= target)]


def _met(done: bool) -> str:
    return _("yes") if done else _("not yet")


def _plan_note(plan: ProgrammePlan | None, today: date) -> str:
    if plan is None:
        ended = last_ended(today)
        if ended is None:
            return _("No programme plan is in force: the indicators have no targets.")
        return _(
            "No programme plan is in force on %(date)s. The last one, %(number)s, ended on "
            "%(end)s; the office records the next plan under Plans.",
            date=format_day(today),
            number=ended.number,
            end=format_day(ended.period_end),
        )
    if plan.period_end < today:
        return _(
            "%(title)s: ended on %(end)s; its final figures.",
            title=plan.title,
            end=format_day(plan.period_end),
        )
    return _(
        "%(title)s, in force %(start)s – %(end)s.",
        title=plan.title,
        start=format_day(plan.period_start),
        end=format_day(plan.period_end),
    )


@dataclass
class UnitProgress:
    unit: str
    indicator: str
    target: int
    actual: int


def unit_progress(plan: ProgrammePlan, day: date) -> list[UnitProgress]:
    """Each of the plan's targets per unit with its figure on ``day``: certified products made,
    or open showrooms, in the unit (and in the units merged into it)."""
    if not plan.unit_targets:
        return []
    regions = list(db.session.scalars(select(Region)))
    certified_by_region = dict(
        db.session.execute(
            select(Product.region_id, func.count(distinct(Product.id)))
            .join(Certificate, and_(active_certificate_join(day), Certificate.issued_on <= day))
            .group_by(Product.region_id)
        ).all()
    )
    showrooms_by_region = dict(
        db.session.execute(
            select(Showroom.region_id, func.count(Showroom.id))
            .where(Showroom.active.is_(True))
            .group_by(Showroom.region_id)
        ).all()
    )
    progress = []
    for target in plan.unit_targets:
        covered = covered_region_ids(regions, target.region.code)
        counts = certified_by_region if target.indicator == "certified" else showrooms_by_region
        progress.append(
            UnitProgress(
                target.region.name,
                target.indicator,
                target.target,
                sum(n for region_id, n in counts.items() if region_id in covered),
            )
        )
    return sorted(progress, key=lambda p: (p.indicator, sort_key(p.unit)))


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
        counts[district_of(regions, region_id)] += count
    districts = [r for r in regions.values() if r.kind in DISTRICT_KINDS]
    rows = sorted(
        (
            [
                r.name,
                _("until %(date)s", date=format_day(r.valid_to)) if r.valid_to else "",
                counts.get(r.id, 0),
            ]
            for r in districts
        ),
        key=lambda row: sort_key(row[0]),
    )
    return Report(
        "showrooms",
        _("Showrooms per district"),
        [_("District or city"), _("Existed"), _("Open showrooms")],
        rows,
    )


def district_of(regions: dict[int, Region], region_id: int) -> int:
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
