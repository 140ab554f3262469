"""What the scan counts tell the office about counterfeit labels (read only; the counts are
written by scan_counts). Every figure is a sum of counts: there is nobody to point at."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from storefront.catalog.models import Product
from storefront.extensions import db
from storefront.traceability.models import ProductBatch, ScanCount, UnknownScanCount

# A batch scanned this many times more than it has units is worth a look (a label copied onto
# other packs gets scanned by every buyer of every copy).
SCANS_PER_UNIT_WORTH_A_LOOK = 2
ALARMING_VERDICTS = ("expired", "revoked", "superseded", "none")


@dataclass(frozen=True)
class Window:
    first: date
    last: date

    @classmethod
    def ending(cls, today: date, days: int) -> Window:
        return cls(today - timedelta(days=days - 1), today)

    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def unknown_scans_by_day(window: Window) -> list[list]:
    """[day, scans of codes not in the register] for every day of the window (0 included)."""
    rows = db.session.execute(
        select(UnknownScanCount.day, func.sum(UnknownScanCount.count))
        .where(UnknownScanCount.day.between(window.first, window.last))
        .group_by(UnknownScanCount.day)
    ).all()
    counted = {day: int(n) for day, n in rows}
    return [[day, int(counted.get(day, 0))] for day in window.days()]


def unknown_codes(window: Window, limit: int = 20) -> list[list]:
    """[code tried, scans, last day] of the codes not in the register, most scanned first."""
    rows = db.session.execute(
        select(
            UnknownScanCount.code_tried,
            func.sum(UnknownScanCount.count),
            func.max(UnknownScanCount.day),
        )
        .where(UnknownScanCount.day.between(window.first, window.last))
        .group_by(UnknownScanCount.code_tried)
        .order_by(func.sum(UnknownScanCount.count).desc(), UnknownScanCount.code_tried)
        .limit(limit)
    ).all()
    return [[code, int(n), last] for code, n, last in rows]


def alarming_certificate_scans(window: Window) -> list[list]:
    """[product (code), what /q/ said, scans, last day]: products scanned while their certificate
    was expired, revoked, replaced or missing."""
    rows = db.session.execute(
        select(
            Product.name,
            Product.code,
            ScanCount.verdict,
            func.sum(ScanCount.count),
            func.max(ScanCount.day),
        )
        .join(Product, Product.id == ScanCount.product_id)
        .where(
            ScanCount.day.between(window.first, window.last),
            ScanCount.verdict.in_(ALARMING_VERDICTS),
        )
        .group_by(Product.name, Product.code, ScanCount.verdict)
        .order_by(func.sum(ScanCount.count).desc(), Product.code)
    ).all()
    return [[f"{name} ({code})", verdict, int(n), last] for name, code, verdict, n, last in rows]


def batches_scanned_after_expiry(window: Window) -> list[list]:
    """[product (code) / batch, use-by date, scans after it, last day]."""
    rows = db.session.execute(
        select(
            Product.name,
            Product.code,
            ProductBatch.code,
            ProductBatch.expires_on,
            func.sum(ScanCount.count),
            func.max(ScanCount.day),
        )
        .join(ProductBatch, ProductBatch.id == ScanCount.batch_id)
        .join(Product, Product.id == ProductBatch.product_id)
        .where(ScanCount.day.between(window.first, window.last), ScanCount.batch_expired.is_(True))
        .group_by(Product.name, Product.code, ProductBatch.code, ProductBatch.expires_on)
        .order_by(func.sum(ScanCount.count).desc())
    ).all()
    return [
        [f"{name} ({code}) / {batch}", expires, int(n), last]
        for name, code, batch, expires, n, last in rows
    ]


def batches_scanned_beyond_units() -> list[list]:
    """[product (code) / batch, units made, scans ever counted, scans per unit] for batches
    scanned at least SCANS_PER_UNIT_WORTH_A_LOOK times per unit, the most first."""
    scans = func.sum(ScanCount.count)
    rows = db.session.execute(
        select(Product.name, Product.code, ProductBatch.code, ProductBatch.quantity, scans)
        .join(ProductBatch, ProductBatch.id == ScanCount.batch_id)
        .join(Product, Product.id == ProductBatch.product_id)
        .group_by(Product.name, Product.code, ProductBatch.code, ProductBatch.quantity)
        .having(scans >= ProductBatch.quantity * SCANS_PER_UNIT_WORTH_A_LOOK)
        .order_by((scans * 1.0 / ProductBatch.quantity).desc())
    ).all()
    return [
        [f"{name} ({code}) / {batch}", units, int(n), round(int(n) / units, 1)]
        for name, code, batch, units, n in rows
    ]


@dataclass(frozen=True)
class ScanSignals:
    """The scan figures shown beside a shopper's report."""

    product_scans: int | None
    product_alarming_scans: int | None
    batch_scans: int | None
    batch_units: int | None
    batch_expired_scans: int | None
    unknown_code_scans: int | None  # when the code reported is not in the register


def signals_for(
    product_id: int | None, batch_id: int | None, code_tried: str, window: Window
) -> ScanSignals:
    """The counts about what a report names: its product (in the window), its batch (ever), or,
    for a code not in the register, how often that code was scanned in the window."""
    if product_id is None:
        unknown = db.session.scalar(
            select(func.coalesce(func.sum(UnknownScanCount.count), 0)).where(
                UnknownScanCount.code_tried == code_tried,
                UnknownScanCount.day.between(window.first, window.last),
            )
        )
        return ScanSignals(None, None, None, None, None, int(unknown or 0))
    in_window = ScanCount.day.between(window.first, window.last)

    def total(*conditions: Any) -> int:
        return int(
            db.session.scalar(
                select(func.coalesce(func.sum(ScanCount.count), 0)).where(*conditions)
            )
            or 0
        )

    product = ScanCount.product_id == product_id
    batch = db.session.get(ProductBatch, batch_id) if batch_id else None
    return ScanSignals(
        product_scans=total(product, in_window),
        product_alarming_scans=total(product, in_window, ScanCount.verdict.in_(ALARMING_VERDICTS)),
        batch_scans=total(ScanCount.batch_id == batch_id) if batch else None,
        batch_units=batch.quantity if batch else None,
        batch_expired_scans=(
            total(ScanCount.batch_id == batch_id, ScanCount.batch_expired.is_(True))
            if batch
            else None
        ),
        unknown_code_scans=None,
    )


def batches_to_look_at(window: Window) -> list[ProductBatch]:
    """The batches behind the signals, for the office to act on: scanned after their use-by date
    in the window, or scanned at least SCANS_PER_UNIT_WORTH_A_LOOK times per unit; those under
    review first."""
    expired = select(ScanCount.batch_id).where(
        ScanCount.day.between(window.first, window.last), ScanCount.batch_expired.is_(True)
    )
    scans = func.sum(ScanCount.count)
    beyond = (
        select(ScanCount.batch_id)
        .join(ProductBatch, ProductBatch.id == ScanCount.batch_id)
        .group_by(ScanCount.batch_id, ProductBatch.quantity)
        .having(scans >= ProductBatch.quantity * SCANS_PER_UNIT_WORTH_A_LOOK)
    )
    found = db.session.scalars(
        select(ProductBatch).where(ProductBatch.id.in_(expired.union(beyond).subquery().select()))
    ).all()
    return sorted(found, key=lambda b: (b.suspended_at is None, b.product.name, b.code))
