"""The operator of the shop (one row) and the policy pages the office writes in Markdown."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from storefront.clock import utcnow
from storefront.extensions import UtcDateTime, db


class ShopOperator(db.Model):
    """Who sells: shown in every page's footer, on the order confirmation and in its e-mail.
    One row (id 1), written by the office; empty fields are simply not shown."""

    __tablename__ = "shop_operator"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), default="", server_default="")
    address: Mapped[str] = mapped_column(String(500), default="", server_default="")
    tax_code: Mapped[str] = mapped_column(String(20), default="", server_default="")  # MST
    phone: Mapped[str] = mapped_column(String(32), default="", server_default="")
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    zalo_url: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # Registration of the e-commerce site with the Ministry of Industry and Trade (Bộ Công Thương,
    # online.gov.vn), and the link its "Đã thông báo / Đã đăng ký" badge points to.
    moit_registration: Mapped[str] = mapped_column(String(100), default="", server_default="")
    moit_badge_url: Mapped[str] = mapped_column(String(300), default="", server_default="")
    is_demo: Mapped[bool] = mapped_column(default=False, server_default=false())
    updated_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime, default=utcnow, onupdate=utcnow
    )


class PolicyPage(db.Model):
    """A policy page the office wrote (until it does, the page shows its template text)."""

    __tablename__ = "policy_pages"

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="", server_default="")
    updated_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime, default=utcnow, onupdate=utcnow
    )
