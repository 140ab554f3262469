"""The office's delivery fee rules, and the addresses signed-in customers keep."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.clock import utcnow
from storefront.extensions import UtcDateTime, db
from storefront.register.models import Region


class Zone(enum.StrEnum):
    """Where a parcel goes, seen from the producer's province."""

    SAME_PROVINCE = "province"
    SAME_REGION = "region"  # another province of the same socio-economic region
    NATIONWIDE = "nationwide"


class DeliveryRate(db.Model):
    """One parcel of at most ``max_grams`` to ``zone`` costs ``fee_vnd`` and takes
    ``days_min``–``days_max`` days. A parcel takes the lightest band that holds it (the heaviest
    band when it is heavier than every band)."""

    __tablename__ = "delivery_rates"
    __table_args__ = (
        UniqueConstraint("zone", "max_grams", name="uq_delivery_rates_band"),
        CheckConstraint("fee_vnd >= 0", name="fee_not_negative"),
        CheckConstraint("max_grams > 0", name="band_positive"),
        CheckConstraint("days_min >= 0 AND days_max >= days_min", name="days_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    zone: Mapped[str] = mapped_column(String(16))
    max_grams: Mapped[int] = mapped_column(Integer)
    fee_vnd: Mapped[int] = mapped_column(Integer)
    days_min: Mapped[int] = mapped_column(Integer)
    days_max: Mapped[int] = mapped_column(Integer)


class SavedAddress(db.Model):
    """An address a signed-in customer had goods delivered to, offered at the next checkout."""

    __tablename__ = "saved_addresses"
    __table_args__ = (
        UniqueConstraint("user_id", "commune_id", "address_line", name="uq_saved_addresses_place"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    contact_name: Mapped[str] = mapped_column(String(200))
    contact_phone: Mapped[str] = mapped_column(String(10))
    province_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    commune_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    address_line: Mapped[str] = mapped_column(String(300))
    last_used_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    province: Mapped[Region] = relationship(foreign_keys=[province_id])
    commune: Mapped[Region] = relationship(foreign_keys=[commune_id])
