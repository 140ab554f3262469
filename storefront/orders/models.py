"""Orders: what was bought, at what price, from whom, and every change of state."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.catalog.models import Product
from storefront.clock import utcnow
from storefront.extensions import UtcDateTime, db
from storefront.register.models import Producer, Region, Showroom


class Fulfilment(enum.StrEnum):
    DELIVERY = "delivery"
    PICKUP = "pickup"


class PaymentMethod(enum.StrEnum):
    BANK_TRANSFER = "bank_transfer"  # VietQR
    CASH_ON_DELIVERY = "cod"
    CASH_AT_PICKUP = "cash_at_pickup"
    CARD = "card"  # Stripe Checkout, when configured


class OrderStatus(enum.StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    PLACED = "placed"  # cash on delivery or at pick-up: to be paid when handed over
    PAID = "paid"
    READY_FOR_PICKUP = "ready_for_pickup"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    COLLECTED = "collected"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    REFUNDED = "refunded"


class PartStatus(enum.StrEnum):
    """One producer's share of a delivery order, which that producer packs and ships."""

    PENDING = "pending"
    PACKED = "packed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    RETURNED = "returned"  # the parcel came back to the producer (recorded by the office)
    CANCELLED = "cancelled"


class Order(db.Model):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint("total_vnd >= 0", name="total_not_negative"),
        CheckConstraint(
            "(fulfilment = 'pickup') = (pickup_showroom_id IS NOT NULL)", name="pickup_showroom"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # DH…, the transfer content
    # sha256 of the checkout form's one-time key bound to the browser session that got the form:
    # the same form submitted twice makes one order; the key itself is never stored.
    idempotency_digest: Mapped[str] = mapped_column(String(64), unique=True)
    # sha256 of the secret in the guest's order link; the secret itself is never stored.
    access_digest: Mapped[str] = mapped_column(String(64))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(24), index=True)
    fulfilment: Mapped[str] = mapped_column(String(16))
    payment_method: Mapped[str] = mapped_column(String(24))
    contact_name: Mapped[str] = mapped_column(String(200))
    contact_phone: Mapped[str] = mapped_column(String(10))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    province_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    address_line: Mapped[str | None] = mapped_column(String(300))
    pickup_showroom_id: Mapped[int | None] = mapped_column(ForeignKey("showrooms.id"), index=True)
    # Shown only to the buyer (order page, e-mail); the showroom checks it at hand-over.
    pickup_code: Mapped[str | None] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(Text)
    subtotal_vnd: Mapped[int] = mapped_column(Integer)
    shipping_vnd: Mapped[int] = mapped_column(Integer, default=0)
    total_vnd: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    # Unpaid orders expire at this time and give their reserved units back.
    pay_by: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    paid_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)  # sales reports
    stripe_session_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    # The buyer confirmed being 18 or older (asked when a line is sold to adults only).
    age_confirmed: Mapped[bool] = mapped_column(default=False, server_default=false())

    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.id"
    )
    parts: Mapped[list[OrderPart]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderPart.id"
    )
    events: Mapped[list[OrderEvent]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderEvent.id"
    )
    province: Mapped[Region | None] = relationship(foreign_keys=[province_id])
    commune: Mapped[Region | None] = relationship(foreign_keys=[commune_id])
    pickup_showroom: Mapped[Showroom | None] = relationship()

    def state_on(self, now: datetime) -> str:
        """The status as it stands at ``now``: an unpaid order past its pay-by time is expired
        even before the expiry job (`flask orders expire`) has recorded it."""
        if (
            self.status == OrderStatus.AWAITING_PAYMENT
            and self.pay_by is not None
            and self.pay_by < now
        ):
            return OrderStatus.EXPIRED
        return self.status


class OrderPart(db.Model):
    """The lines of one producer in an order, fulfilled by that producer."""

    __tablename__ = "order_parts"
    __table_args__ = (UniqueConstraint("order_id", "producer_id", name="uq_order_parts_producer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=PartStatus.PENDING)
    carrier: Mapped[str | None] = mapped_column(String(100))
    tracking_number: Mapped[str | None] = mapped_column(String(100))
    # This parcel's delivery fee and the days it was promised in, as quoted at checkout
    # (storefront.delivery.fees); 0 and none for pick-up. The order's shipping_vnd is their sum.
    shipping_vnd: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    days_min: Mapped[int | None] = mapped_column(Integer)
    days_max: Mapped[int | None] = mapped_column(Integer)

    order: Mapped[Order] = relationship(back_populates="parts")
    producer: Mapped[Producer] = relationship()
    lines: Mapped[list[OrderLine]] = relationship(back_populates="part", order_by="OrderLine.id")


class OrderLine(db.Model):
    """A snapshot: name, unit, unit price and producer as they were when the order was placed."""

    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price_vnd >= 0", name="price_not_negative"),
        CheckConstraint(
            "returned_quantity >= 0 AND returned_quantity <= quantity", name="returned_within"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("order_parts.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    # Where the units are reserved: the producer's warehouse, or the pick-up showroom.
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_locations.id"))
    product_code: Mapped[str] = mapped_column(String(16))
    product_name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(64))
    producer_name: Mapped[str] = mapped_column(String(300))
    unit_price_vnd: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    line_total_vnd: Mapped[int] = mapped_column(Integer)
    # Units of a shipped line that came back to the warehouse (office returns, once each).
    returned_quantity: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The product's notices (catalog ProductNotice values, space-separated) when it was sold.
    notices: Mapped[str] = mapped_column(String(100), default="", server_default="")

    order: Mapped[Order] = relationship(back_populates="lines")
    part: Mapped[OrderPart] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()

    @property
    def returnable(self) -> int:
        return self.quantity - self.returned_quantity


class OrderEvent(db.Model):
    """The status history: every change with who, when and why."""

    __tablename__ = "order_events"
    # Pick-ups collected in a period (showroom sales, consignment settlements).
    __table_args__ = (Index("ix_order_events_to_status_created_at", "to_status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    part_id: Mapped[int | None] = mapped_column(ForeignKey("order_parts.id"))
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    order: Mapped[Order] = relationship(back_populates="events")
    part: Mapped[OrderPart | None] = relationship()


class Carrier(db.Model):
    """A delivery company whose tracking page a parcel's number opens. The office edits the
    URL templates (``{code}`` stands for the tracking number); the five big Vietnamese carriers
    are seeded by the migration."""

    __tablename__ = "carriers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)  # ghn, ghtk, viettelpost, …
    name: Mapped[str] = mapped_column(String(100))
    tracking_url: Mapped[str] = mapped_column(String(500))  # https://…{code}…
    # Other ways producers write its name ("VTP", "Giao Hàng Nhanh"), comma-separated.
    aliases: Mapped[str] = mapped_column(String(300), default="", server_default="")
