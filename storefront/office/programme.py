"""The programme plan's indicators against its targets (the KPIs the office and the province
follow), and the showrooms each district has — one of them."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import case, distinct, func, select

from storefront.catalog.models import Certificate, Product, ReviewStatus
from storefront.catalog.services import active_certificate_join
from storefront.demo.seed import DATA_FILE
from storefront.extensions import db
from storefront.formatting import format_day
from storefront.office.charts import Report
from storefront.register.models import LegalForm, Producer, Region, Showroom

DISTRICT_KINDS = ("district", "city", "town")


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
        key=lambda row: row[0],
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
