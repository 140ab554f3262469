"""What the showrooms' counters record: sales, their lines and returns (the showrooms themselves
are in storefront.register)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.clock import utcnow
from storefront.extensions import UtcDateTime, db
from storefront.register.models import Showroom


class SaleStatus(enum.StrEnum):
    COMPLETED = "completed"
    VOIDED = "voided"


class SalePayment(enum.StrEnum):
    CASH = "cash"
    VIETQR = "vietqr"


class Shift(db.Model):
    """One staff member's turn at one showroom's counter: opened with the cash float counted into
    the drawer, closed with the drawer counted. Sales are rung up inside an open shift only."""

    __tablename__ = "pos_shifts"
    __table_args__ = (
        CheckConstraint("opening_float_vnd >= 0", name="float_not_negative"),
        CheckConstraint("counted_cash_vnd IS NULL OR counted_cash_vnd >= 0", name="count_known"),
        CheckConstraint(
            "(closed_at IS NULL) = (counted_cash_vnd IS NULL)", name="closed_with_count"
        ),
        # One open shift per staff member (partial unique index, SQLite and PostgreSQL).
        Index(
            "ux_pos_shifts_one_open",
            "staff_id",
            unique=True,
            sqlite_where=text("closed_at IS NULL"),
            postgresql_where=text("closed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    showroom_id: Mapped[int] = mapped_column(ForeignKey("showrooms.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    staff_name: Mapped[str] = mapped_column(String(200))
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    opening_float_vnd: Mapped[int] = mapped_column(Integer)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    counted_cash_vnd: Mapped[int | None] = mapped_column(Integer)
    # What the drawer should have held when it was counted (kept: later returns change nothing).
    expected_cash_vnd: Mapped[int | None] = mapped_column(Integer)
    difference_reason: Mapped[str | None] = mapped_column(Text)

    showroom: Mapped[Showroom] = relationship()

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def difference_vnd(self) -> int | None:
        if self.counted_cash_vnd is None or self.expected_cash_vnd is None:
            return None
        return self.counted_cash_vnd - self.expected_cash_vnd


class Sale(db.Model):
    """A sale rung up at a showroom's counter. The goods stay their producer's until sold
    (consignment): each line keeps its producer, to whom the line's amount is owed."""

    __tablename__ = "pos_sales"
    __table_args__ = (
        CheckConstraint("total_vnd >= 0", name="total_not_negative"),
        CheckConstraint("status IN ('completed', 'voided')", name="status_known"),
        CheckConstraint("payment_method IN ('cash', 'vietqr')", name="payment_known"),
        CheckConstraint(
            "cash_given_vnd IS NULL OR cash_given_vnd >= total_vnd", name="cash_covers_total"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # BH…, on the receipt
    # Made by the POS in the browser: the same sale sent twice (double tap, a retry after a
    # dropped connection, the offline queue) is recorded once.
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    showroom_id: Mapped[int] = mapped_column(ForeignKey("showrooms.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=SaleStatus.COMPLETED)
    payment_method: Mapped[str] = mapped_column(String(16))
    total_vnd: Mapped[int] = mapped_column(Integer)
    cash_given_vnd: Mapped[int | None] = mapped_column(Integer)
    # What the counter's screen showed when the sale was made offline with older prices.
    client_total_vnd: Mapped[int | None] = mapped_column(Integer)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    staff_name: Mapped[str] = mapped_column(String(200))
    # The shift it was rung up in (sales from before shifts existed have none).
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("pos_shifts.id"), index=True)
    # When the customer paid (the counter's clock, bounded); recorded_at is when it reached us.
    sold_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    voided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    showroom: Mapped[Showroom] = relationship()
    lines: Mapped[list[SaleLine]] = relationship(
        back_populates="sale", cascade="all, delete-orphan", order_by="SaleLine.id"
    )
    returns: Mapped[list[SaleReturn]] = relationship(
        back_populates="sale", cascade="all, delete-orphan", order_by="SaleReturn.id"
    )

    @property
    def change_vnd(self) -> int | None:
        return None if self.cash_given_vnd is None else self.cash_given_vnd - self.total_vnd

    @property
    def returned_vnd(self) -> int:
        return sum(r.amount_vnd for r in self.returns)


class SaleLine(db.Model):
    """A snapshot of what was sold: name, unit, price and producer as they were."""

    __tablename__ = "pos_sale_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price_vnd >= 0", name="price_not_negative"),
        CheckConstraint(
            "returned_quantity >= 0 AND returned_quantity <= quantity", name="returned_within"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("pos_sales.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id"), index=True)
    product_code: Mapped[str] = mapped_column(String(16))
    product_name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(64))
    producer_name: Mapped[str] = mapped_column(String(300))
    stars: Mapped[int] = mapped_column(Integer)
    unit_price_vnd: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    line_total_vnd: Mapped[int] = mapped_column(Integer)
    returned_quantity: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The product's notices (catalog ProductNotice values, space-separated) when it was sold.
    notices: Mapped[str] = mapped_column(String(100), default="", server_default="")

    sale: Mapped[Sale] = relationship(back_populates="lines")

    @property
    def returnable(self) -> int:
        return self.quantity - self.returned_quantity


class SaleReturn(db.Model):
    """Units of a sale line that came back (a return, or a voided sale), with who and why."""

    __tablename__ = "pos_sale_returns"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("kind IN ('return', 'void')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("pos_sales.id"), index=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("pos_sale_lines.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    quantity: Mapped[int] = mapped_column(Integer)
    amount_vnd: Mapped[int] = mapped_column(Integer)  # money given back
    reason: Mapped[str] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    # The shift whose drawer gave the money back (the acting staff member's open shift, if any).
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("pos_shifts.id"), index=True)

    sale: Mapped[Sale] = relationship(back_populates="returns")
    line: Mapped[SaleLine] = relationship()
