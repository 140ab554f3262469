"""OCOP showrooms (điểm giới thiệu và bán sản phẩm OCOP)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.catalog.models import Region
from storefront.extensions import db


class Showroom(db.Model):
    __tablename__ = "showrooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    level: Mapped[str] = mapped_column(String(16))  # province, district
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    address: Mapped[str | None] = mapped_column(String(500))
    opening_hours: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Address and hours invented for the demo are shown as such.
    is_demo: Mapped[bool] = mapped_column(default=False, server_default=false())

    region: Mapped[Region] = relationship()
