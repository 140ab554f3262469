"""The transactional outbox: every e-mail and text message (SMS) the shop sends, from the moment
it is decided."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storefront.clock import utcnow
from storefront.extensions import UtcDateTime, db


class OutboxStatus:
    PENDING = "pending"  # written with its change; waits for the commit, then for its turn
    SENDING = "sending"  # claimed by one sender until next_attempt_at (then claimable again)
    SENT = "sent"
    LOGGED = "logged"  # no MAIL_SERVER: written to the log instead, and kept here
    FAILED = "failed"  # gave up after OUTBOX_MAX_ATTEMPTS


class Channel:
    EMAIL = "email"
    SMS = "sms"  # recipient: a mobile number (0xxxxxxxxx); body_text: the message; no subject


class OutboxMessage(db.Model):
    """An e-mail or SMS the shop decided to send, kept whatever became of it. Without SMTP (or an
    SMS provider) it ends as ``logged`` so the demo and the tests can read it."""

    __tablename__ = "outbox_messages"
    # The sender's question: which messages are due now?
    __table_args__ = (Index("ix_outbox_messages_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(8), default=Channel.EMAIL, server_default="email")
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(64))  # password_reset, order_confirmation, …
    status: Mapped[str] = mapped_column(String(16))  # OutboxStatus
    provider_id: Mapped[str | None] = mapped_column(String(100))  # the SMS provider's message id
    error: Mapped[str | None] = mapped_column(Text)  # the last failed attempt's
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Pending: not before this time (backoff). Sending: the claim lapses at this time.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
