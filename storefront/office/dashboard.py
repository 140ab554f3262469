"""What the office sees first: what waits for it, what is about to expire, and the headline
numbers, each from one aggregate query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from storefront.audit.models import AuditEntry
from storefront.audit.reading import ReadableEntry, describe
from storefront.catalog.models import Certificate, Product, ReviewStatus
from storefront.extensions import db
from storefront.office.certificates import expiring
from storefront.office.charts import Report
from storefront.office.models import ProgrammePlan
from storefront.office.plans import plan_in_force
from storefront.office.programme import programme_kpis


@dataclass
class Summary:
    pending: list[Product]
    expiring: list[Certificate]
    kpis: Report
    recent: list[ReadableEntry]
    plan: ProgrammePlan | None  # in force today


def summary(today: date) -> Summary:
    pending = db.session.scalars(
        select(Product)
        .where(Product.review_status == ReviewStatus.PENDING)
        .order_by(Product.created_at)
        .limit(20)
    ).all()
    recent = db.session.scalars(
        select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(8)
    ).all()
    return Summary(
        list(pending),
        expiring(today, 90),
        programme_kpis(today),
        [describe(e) for e in recent],
        plan_in_force(today),
    )
