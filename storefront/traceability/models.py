"""Batches (lô hàng) with their short codes and deliveries to showrooms; scan counts; shoppers'
reports of suspicious labels.

A scan count holds a day (or a month, once old days are summed), what was scanned and how the
check answered, and a number: nothing about who scanned (no address, no cookie, no device).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.clock import utcnow
from storefront.extensions import UtcDateTime, db
from storefront.register.models import Showroom

if TYPE_CHECKING:
    from storefront.catalog.models import Product


class ProductBatch(db.Model):
    """One production batch of a product, recorded by its producer when it reaches the warehouse.
    Its code is printed on batch labels: /q/<product code>/<batch code>."""

    __tablename__ = "product_batches"
    __table_args__ = (
        UniqueConstraint("product_id", "code", name="uq_product_batches_product_code"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    code: Mapped[str] = mapped_column(String(12))
    produced_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    quantity: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by_name: Mapped[str] = mapped_column(String(200))
    # Set by the office while it looks into a batch: its /q/ page says the batch is under review.
    suspended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    suspended_reason: Mapped[str | None] = mapped_column(Text)

    product: Mapped[Product] = relationship()
    deliveries: Mapped[list[BatchDelivery]] = relationship(
        back_populates="batch", order_by="BatchDelivery.delivered_on", cascade="all"
    )

    def expired_on(self, today: date) -> bool:
        return self.expires_on is not None and self.expires_on < today

    @property
    def delivered(self) -> int:
        return sum(d.quantity for d in self.deliveries)


class BatchDelivery(db.Model):
    """Units of a batch a showroom received, and when: what a shopper sees as "where it went"."""

    __tablename__ = "batch_deliveries"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("product_batches.id"), index=True)
    showroom_id: Mapped[int] = mapped_column(ForeignKey("showrooms.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    delivered_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by_name: Mapped[str] = mapped_column(String(200))

    batch: Mapped[ProductBatch] = relationship(back_populates="deliveries")
    showroom: Mapped[Showroom] = relationship()


class Period(enum.StrEnum):
    DAY = "day"
    MONTH = "month"  # days older than SCAN_RETENTION_DAYS, summed; ``day`` is the 1st


class ScanCount(db.Model):
    """How many times a registered product's /q/ page was answered on a day, by what it said.
    Rows are added as counts are written (several per key and day are summed when read)."""

    __tablename__ = "scan_counts"

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(8), default=Period.DAY)
    day: Mapped[date] = mapped_column(Date, index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("product_batches.id"), index=True)
    verdict: Mapped[str] = mapped_column(String(16))  # the certificate's state, as /q/ said it
    batch_expired: Mapped[bool] = mapped_column(default=False)
    from_cache: Mapped[bool] = mapped_column(default=False)
    count: Mapped[int] = mapped_column(Integer)


class UnknownScanCount(db.Model):
    """Scans of a code that is not in the register, per day, with the code tried (shortened)."""

    __tablename__ = "unknown_scan_counts"

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(8), default=Period.DAY)
    day: Mapped[date] = mapped_column(Date, index=True)
    code_tried: Mapped[str] = mapped_column(String(40))
    from_cache: Mapped[bool] = mapped_column(default=False)
    count: Mapped[int] = mapped_column(Integer)


class ReportStatus(enum.StrEnum):
    NEW = "new"
    ANSWERED = "answered"
    CLOSED = "closed"


class LabelReport(db.Model):
    """A shopper's report of a suspicious label, sent from a /q/ page. The contact is whatever the
    shopper chose to leave (or nothing); nothing else about them is kept."""

    __tablename__ = "label_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"), index=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("product_batches.id"))
    code_tried: Mapped[str] = mapped_column(String(40))  # as scanned, even when not registered
    what_seen: Mapped[str] = mapped_column(Text)
    where_seen: Mapped[str] = mapped_column(String(300))
    contact: Mapped[str | None] = mapped_column(String(200))
    photo: Mapped[str | None] = mapped_column(
        String(80)
    )  # stored name, checked like product pictures
    status: Mapped[str] = mapped_column(String(16), default=ReportStatus.NEW, index=True)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    answered_by_name: Mapped[str | None] = mapped_column(String(200))

    product: Mapped[Product | None] = relationship()
    batch: Mapped[ProductBatch | None] = relationship()
