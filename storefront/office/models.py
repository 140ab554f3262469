from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
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
