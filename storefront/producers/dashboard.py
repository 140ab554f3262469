"""The producer's overview: every own product with price, stock per location and a low-stock flag,
the certificates that expire soon, and how many transfers and orders wait."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from storefront.accounts.models import User
from storefront.catalog.models import Certificate, CertificateStatus, Product
from storefront.extensions import db
from storefront.inventory.models import (
    LocationKind,
    StockLevel,
    StockLocation,
    StockTransfer,
    TransferStatus,
)
from storefront.orders.models import Order, OrderPart, PartStatus
from storefront.orders.transitions import PARTS_WORKABLE
from storefront.producers.access import producer_id_of
from storefront.register.models import Showroom

LOW_STOCK = 5
EXPIRY_WARNING_DAYS = 90


@dataclass
class ProductRow:
    product: Product
    warehouse: int = 0  # units physically in the own warehouse
    reserved: int = 0
    showrooms: list[tuple[str, int]] = field(default_factory=list)  # (showroom name, available)
    certificate: Certificate | None = None

    @property
    def available(self) -> int:
        return self.warehouse - self.reserved

    @property
    def low(self) -> bool:
        return self.available <= LOW_STOCK


@dataclass
class Dashboard:
    rows: list[ProductRow]
    expiring: list[Certificate]
    in_transit: int
    orders_to_fulfil: int


def dashboard(actor: User, today: date) -> Dashboard:
    """The producer's products with price, stock per location, low-stock flags, and the
    certificates that expire within 90 days. A fixed number of queries."""
    producer_id = producer_id_of(actor)
    products = db.session.scalars(
        select(Product)
        .where(Product.producer_id == producer_id)
        .options(selectinload(Product.certificates))
        .order_by(Product.name)
    ).all()
    rows = {p.id: ProductRow(p, certificate=_active(p, today)) for p in products}
    levels = db.session.execute(
        select(
            StockLevel.product_id,
            StockLevel.quantity,
            StockLevel.reserved,
            StockLocation.kind,
            Showroom.name,
        )
        .join(StockLocation, StockLocation.id == StockLevel.location_id)
        .outerjoin(Showroom, Showroom.id == StockLocation.showroom_id)
        .where(StockLevel.product_id.in_(rows))
        .order_by(Showroom.name)
    ).all()
    for product_id, quantity, reserved, kind, showroom_name in levels:
        row = rows[product_id]
        if kind == LocationKind.WAREHOUSE:
            row.warehouse, row.reserved = quantity, reserved
        elif quantity:
            row.showrooms.append((showroom_name, quantity - reserved))
    horizon = today + timedelta(days=EXPIRY_WARNING_DAYS)
    expiring = sorted(
        (
            r.certificate
            for r in rows.values()
            if r.certificate and r.certificate.expires_on <= horizon
        ),
        key=lambda c: c.expires_on,
    )
    in_transit = db.session.execute(
        select(func.count(StockTransfer.id)).where(
            StockTransfer.producer_id == producer_id,
            StockTransfer.status == TransferStatus.IN_TRANSIT,
        )
    ).scalar_one()
    orders_to_fulfil = db.session.execute(
        select(func.count(OrderPart.id))
        .join(Order, Order.id == OrderPart.order_id)
        .where(
            OrderPart.producer_id == producer_id,
            Order.status.in_(PARTS_WORKABLE),
            OrderPart.status.in_([PartStatus.PENDING, PartStatus.PACKED]),
        )
    ).scalar_one()
    return Dashboard(list(rows.values()), expiring, in_transit, orders_to_fulfil)


def _active(product: Product, today: date) -> Certificate | None:
    for certificate in product.certificates:
        if certificate.state_on(today) == CertificateStatus.ACTIVE:
            return certificate
    return None
