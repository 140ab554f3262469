"""Payments received, and the Stripe events already applied."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.clock import utcnow
from storefront.extensions import UtcDateTime, db
from storefront.orders.models import Order


class ReviewReason(enum.StrEnum):
    """Why money that arrived did not pay its order."""

    ORDER_EXPIRED = "order_expired"
    ORDER_CANCELLED = "order_cancelled"
    AMOUNT_DIFFERS = "amount_differs"
    NOT_A_CARD_ORDER = "not_a_card_order"
    OTHER_SESSION = "other_session"  # a Stripe session the order did not start
    NOT_A_PAYMENT = "not_a_payment"  # a Stripe session in another mode (subscription, setup)
    OTHER_CURRENCY = "other_currency"
    # Transfers reported by a bank-notification service (SePay, Casso):
    NO_ORDER_NUMBER = "no_order_number"  # the content names no order
    UNKNOWN_ORDER = "unknown_order"  # it names an order number the shop never gave
    AMOUNT_SHORT = "amount_short"  # less than the order's total
    AMOUNT_OVER = "amount_over"  # more than the order's total
    ALREADY_PAID = "already_paid"  # the order was paid (or handed over) before


class Payment(db.Model):
    """Money that arrived for an order: a bank transfer seen on the statement or reported by a
    bank-notification service, cash, or card. A transfer that names no order of ours is kept
    too, without an order, for the office to review."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    method: Mapped[str] = mapped_column(String(24))
    amount_vnd: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str | None] = mapped_column(String(255))  # bank ref, Stripe payment intent
    recorded_by: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    # Paid for an order that had expired, or a different amount: the office must look at it.
    needs_review: Mapped[bool] = mapped_column(default=False, server_default=false())
    review_reason: Mapped[str | None] = mapped_column(String(32))  # ReviewReason
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    order: Mapped[Order | None] = relationship()


class StripeEvent(db.Model):
    """Each Stripe webhook event id once: a repeated delivery changes nothing."""

    __tablename__ = "stripe_events"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    type: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class BankNotification(db.Model):
    """Each incoming transfer a bank-notification service (SePay, Casso) reported, once: the
    provider's transaction id is the key, so a repeated delivery changes nothing. What became
    of it is kept with it (the payment it made, or the one kept for review)."""

    __tablename__ = "bank_notifications"
    __table_args__ = (
        UniqueConstraint("provider", "transaction_id", name="uq_bank_notifications_transaction"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(16))  # sepay, casso
    transaction_id: Mapped[str] = mapped_column(String(100))
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    content: Mapped[str] = mapped_column(String(500))
    account_number: Mapped[str | None] = mapped_column(String(64))
    bank_reference: Mapped[str | None] = mapped_column(String(100))
    outcome: Mapped[str] = mapped_column(String(16))  # paid, review, ignored (money out)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
