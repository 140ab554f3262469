from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.clock import utcnow
from storefront.extensions import UtcDateTime, db
from storefront.register.models import Region


class ExpiryWarning(db.Model):
    """That the 90- or 30-day warning for a certificate went out, so it goes out once."""

    __tablename__ = "certificate_expiry_warnings"
    __table_args__ = (
        UniqueConstraint("certificate_id", "days_before", name="uq_expiry_warning_threshold"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"), index=True)
    days_before: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ProgrammePlan(db.Model):
    """A province plan for the OCOP programme (kế hoạch, e.g. 908/KH-UBND) and its targets, one
    column per province-wide indicator, and targets per unit (PlanUnitTarget): the office's data,
    edited on /office/plans with its history in the audit log. The indicators are measured
    against the plan in force (its period holds today); an ended plan keeps its final figures."""

    __tablename__ = "programme_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    period_start: Mapped[date]
    period_end: Mapped[date]
    products_3_star_plus: Mapped[int]
    products_5_star: Mapped[int]
    # Shares of the active producers, in per cent.
    cooperative_share_pct: Mapped[int]
    sme_share_pct: Mapped[int]
    modern_channels_low_pct: Mapped[int]
    modern_channels_high_pct: Mapped[int]
    # The 2021–2025 plan's "one showroom per district"; later plans set showrooms per unit.
    showrooms_per_district: Mapped[int]

    unit_targets: Mapped[list[PlanUnitTarget]] = relationship(
        order_by="PlanUnitTarget.id", cascade="all, delete-orphan"
    )


class PlanUnitTarget(db.Model):
    """A plan's target for one of today's units (a commune, a ward or the province): how many
    certified products, or open showrooms, the plan wants there. Never a district: districts were
    abolished on 1 July 2025, and a target is set for a unit that exists when it is set."""

    __tablename__ = "programme_unit_targets"
    __table_args__ = (
        UniqueConstraint("plan_id", "region_id", "indicator", name="uq_programme_unit_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("programme_plans.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    indicator: Mapped[str] = mapped_column(String(32))
    target: Mapped[int]

    region: Mapped[Region] = relationship()
