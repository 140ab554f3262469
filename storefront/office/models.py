from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storefront.clock import utcnow
from storefront.extensions import UtcDateTime, db


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
    column per indicator: the office's data. The programme's indicators are measured against the
    latest plan that has begun."""

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
    showrooms_per_district: Mapped[int]
