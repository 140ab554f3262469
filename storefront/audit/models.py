from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storefront.clock import utcnow
from storefront.extensions import UtcDateTime, db


class AuditArea(enum.StrEnum):
    """What kind of thing changed; the log is searched by these."""

    CERTIFICATE = "certificate"
    PRICE = "price"
    STOCK = "stock"
    ROLE = "role"
    LISTING = "listing"
    REGISTER = "register"  # producers, products, showrooms, regions
    BATCH = "batch"  # batches put under review, and the review lifted
    REPORT = "report"  # shoppers' reports of suspicious labels, answered or closed
    SHOP = "shop"  # the operator's identity, the policy pages


class AuditEntry(db.Model):
    """One change: who, when, what it was before and after (as JSON text), and why."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(200))
    area: Mapped[str] = mapped_column(String(16), index=True)
    action: Mapped[str] = mapped_column(String(64))
    # What changed, as a person names it: "Sâm dây (ABC234)", a decision number, an e-mail.
    subject: Mapped[str] = mapped_column(String(400))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    # Subject, actor, action and note folded by catalog.text.fold(), for the search box.
    search_text: Mapped[str] = mapped_column(Text, default="")
