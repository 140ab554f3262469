"""Batches made the way a producer makes them (receiving stock), for the traceability tests."""

from __future__ import annotations

from datetime import date

from storefront.extensions import db
from storefront.producers import stock
from storefront.traceability import batches
from storefront.traceability.models import ProductBatch, ScanCount, UnknownScanCount
from tests.factories import make_user


def producer_of(product):
    return make_user(role="producer", producer_code=product.producer.code)


def make_batch(
    product,
    quantity: int = 100,
    produced_on: date | None = None,
    expires_on: date | None = None,
    today: date | None = None,
    producer=None,
) -> ProductBatch:
    producer = producer or producer_of(product)
    batch = stock.receive_batch(
        producer,
        product.id,
        str(quantity),
        "",
        produced_on=produced_on.isoformat() if produced_on else None,
        expires_on=expires_on.isoformat() if expires_on else None,
        today=today or produced_on or date.today(),
    )
    db.session.commit()
    return batch


def deliver(batch, showroom, quantity: int, on: date, producer=None) -> None:
    producer = producer or producer_of(batch.product)
    batches.record_delivery(producer, batch.id, showroom.code, quantity, on, on)
    db.session.commit()


def scans_counted(**where) -> int:
    rows = db.session.query(ScanCount).filter_by(**where).all()
    return sum(r.count for r in rows)


def unknown_scans_counted(**where) -> int:
    rows = db.session.query(UnknownScanCount).filter_by(**where).all()
    return sum(r.count for r in rows)
