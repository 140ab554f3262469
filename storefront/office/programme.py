"""The programme plan's indicators against its targets (the KPIs the office and the province
follow), and the showrooms each district has — one of them."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import case, distinct, func, select

from storefront.catalog.cards import active_certificate_join
from storefront.catalog.models import Certificate, Product, ReviewStatus
from storefront.collation import sort_key
from storefront.extensions import db
from storefront.formatting import format_day
from storefront.office.charts import Report
from storefront.office.models import ProgrammePlan
from storefront.register.models import LegalForm, Producer, Region, Showroom

DISTRICT_KINDS = ("district", "city", "town")


def current_plan(today: date) -> ProgrammePlan | None:
    """The plan the indicators are measured against: the latest one that has begun by ``today``
    (it stays the reference after its period ends, until the next plan is recorded)."""
    return db.session.scalar(
        select(ProgrammePlan)
        .where(ProgrammePlan.period_start <= today)
        .order_by(ProgrammePlan.period_start.desc(), ProgrammePlan.id.desc())
        .limit(1)
    )


def certified_count(today: date, stars: int | None = None) -> int:
    query = select(func.count(distinct(Product.id))).join(
        Certificate, active_certificate_join(today)
    )
    if stars:
        query = query.where(Certificate.stars == stars)
    return db.session.scalar(query)


def programme_kpis(today: date) -> Report:
    """The plan's indicators against its targets, as of ``today``. Without a plan the indicators
    are still measured, and the report says there is nothing to measure them against."""
    plan = current_plan(today)
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
    per_district = plan.showrooms_per_district if plan else 1
    covered = sum(1 for row in districts.rows if row[2] >= per_district)

    def share(part: int) -> float:
        return round(100 * part / total, 1) if total else 0.0

    labels = [
        _("Products with 3 stars or more"),
        _("Products with 5 stars"),
        _("Cooperatives among producers (%)"),
        _("Enterprises (SMEs) among producers (%)"),
        _("Producers selling in this shop (%)"),
        _("Districts with a showroom"),
    ]
    now = [
        certified,
        five_star,
        share(cooperatives),
        share(enterprises),
        share(selling_here),
        f"{covered}/{len(districts.rows)}",
    ]
    if plan is None:
        targets = [(_("no plan"), "")] * len(labels)
    else:
        targets = [
            (f"≥ {plan.products_3_star_plus}", certified >= plan.products_3_star_plus),
            (f"≥ {plan.products_5_star}", five_star >= plan.products_5_star),
            (f"≥ {plan.cooperative_share_pct}%", share(cooperatives) >= plan.cooperative_share_pct),
            (f"≥ {plan.sme_share_pct}%", share(enterprises) >= plan.sme_share_pct),
            (
                f"{plan.modern_channels_low_pct}%–{plan.modern_channels_high_pct}%",
                share(selling_here) >= plan.modern_channels_low_pct,
            ),
            (
                _("%(n)d per district", n=plan.showrooms_per_district),
                covered == len(districts.rows) and bool(districts.rows),
            ),
        ]
    datasets = [{"label": _("Now"), "data": [certified, five_star]}]
    if plan is not None:
        datasets.append(
            {"label": _("Target"), "data": [plan.products_3_star_plus, plan.products_5_star]}
        )
    return Report(
        "kpis",
        _("Programme indicators against the plan"),
        [_("Indicator"), _("Now"), _("Target"), _("Met")],
        [
            [
                label,
                value,
                target,
                met if isinstance(met, str) else _("yes") if met else _("not yet"),
            ]
            for label, value, (target, met) in zip(labels, now, targets, strict=True)
        ],
        chart={"type": "bar", "horizontal": True, "labels": labels[:2], "datasets": datasets},
        note=plan.title
        if plan
        else _(
            "No programme plan is recorded, so the indicators have no targets to be measured "
            "against."
        ),
        highlights={"certified": certified, "five_star": five_star, "producers": total},
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
