"""Stock locations, stock levels and the movement ledger.

Only storefront.inventory.services changes these rows.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.clock import utcnow
from storefront.extensions import UtcDateTime, db
from storefront.register.models import Producer, Showroom

if TYPE_CHECKING:
    from storefront.catalog.models import Product


class LocationKind(enum.StrEnum):
    WAREHOUSE = "warehouse"  # a producer's own store
    SHOWROOM = "showroom"


class MovementKind(enum.StrEnum):
    RECEIPT = "receipt"
    SALE = "sale"
    ADJUSTMENT = "adjustment"
    TRANSFER = "transfer"
    RETURN = "return"


class StockLocation(db.Model):
    __tablename__ = "stock_locations"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'warehouse' AND producer_id IS NOT NULL AND showroom_id IS NULL)"
            " OR (kind = 'showroom' AND showroom_id IS NOT NULL AND producer_id IS NULL)",
            name="owner_matches_kind",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    producer_id: Mapped[int | None] = mapped_column(ForeignKey("producers.id"), unique=True)
    showroom_id: Mapped[int | None] = mapped_column(ForeignKey("showrooms.id"), unique=True)

    producer: Mapped[Producer | None] = relationship()
    showroom: Mapped[Showroom | None] = relationship()

    @property
    def name(self) -> str:
        return self.showroom.name if self.showroom else self.producer.name


class StockLevel(db.Model):
    """Units physically at a location (quantity) and promised to open orders (reserved)."""

    __tablename__ = "stock_levels"
    __table_args__ = (
        UniqueConstraint("product_id", "location_id", name="uq_stock_levels_product_location"),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        CheckConstraint("reserved <= quantity", name="reserved_within_quantity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_locations.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer, default=0)
    reserved: Mapped[int] = mapped_column(Integer, default=0)

    product: Mapped[Product] = relationship()
    location: Mapped[StockLocation] = relationship()

    @property
    def available(self) -> int:
        return self.quantity - self.reserved


class StockMovement(db.Model):
    """One line of the ledger: a change of quantity at a location, with who, when and why.

    For every (product, location) the sum of ``delta`` equals ``StockLevel.quantity``.
    """

    __tablename__ = "stock_movements"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_locations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    delta: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(String(64))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)

    location: Mapped[StockLocation] = relationship()


class TransferStatus(enum.StrEnum):
    IN_TRANSIT = "in_transit"
    RECEIVED = "received"
    CANCELLED = "cancelled"


class StockTransfer(db.Model):
    """Goods a producer sends to a showroom on consignment. While in transit they are at no
    location: they left the warehouse's ledger and have not yet entered the showroom's."""

    __tablename__ = "stock_transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("stock_locations.id"))
    destination_id: Mapped[int] = mapped_column(ForeignKey("stock_locations.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=TransferStatus.IN_TRANSIT, index=True)
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    producer: Mapped[Producer] = relationship()
    source: Mapped[StockLocation] = relationship(foreign_keys=[source_id])
    destination: Mapped[StockLocation] = relationship(foreign_keys=[destination_id])
    lines: Mapped[list[StockTransferLine]] = relationship(
        back_populates="transfer", cascade="all, delete-orphan", order_by="StockTransferLine.id"
    )

    @property
    def reference(self) -> str:
        return f"CK-{self.id:06d}"


class StockTransferLine(db.Model):
    __tablename__ = "stock_transfer_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        UniqueConstraint("transfer_id", "product_id", name="uq_stock_transfer_lines_product"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("stock_transfers.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int]
    received_quantity: Mapped[int | None]

    transfer: Mapped[StockTransfer] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()
