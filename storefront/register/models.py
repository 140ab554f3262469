"""The register everything refers to: administrative units (regions), producers and showrooms.

Every feature builds on these; this package imports no feature (see the import contract in
pyproject.toml)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, Date, Float, ForeignKey, Integer, String, Text, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.clock import utcnow
from storefront.extensions import UtcDateTime, db

if TYPE_CHECKING:
    from storefront.catalog.models import Product


class LegalForm(enum.StrEnum):
    COOPERATIVE = "cooperative"
    COOPERATIVE_GROUP = "cooperative_group"
    ENTERPRISE = "enterprise"
    HOUSEHOLD = "household"
    FARM = "farm"


NATIONAL_SOURCE = "national"


class Region(db.Model):
    """An administrative unit. Units are data: a tree with validity dates and successors."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))  # province, district, city, commune, ward…
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    note: Mapped[str | None] = mapped_column(Text)
    # None: the programme's own units (with their history); NATIONAL_SOURCE: the country's units
    # since 1 July 2025, loaded from the vietnam-provinces package by `flask regions sync`.
    source: Mapped[str | None] = mapped_column(String(16), index=True)

    parent: Mapped[Region | None] = relationship(remote_side=[id], foreign_keys=[parent_id])
    successor: Mapped[Region | None] = relationship(remote_side=[id], foreign_keys=[successor_id])

    def is_current(self, today: date) -> bool:
        return (self.valid_from is None or self.valid_from <= today) and (
            self.valid_to is None or self.valid_to >= today
        )


class Producer(db.Model):
    """A chủ thể OCOP: cooperative, cooperative group, enterprise, farm or household business."""

    __tablename__ = "producers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    # None when the source names a brand and not its legal form.
    legal_form: Mapped[str | None] = mapped_column(String(32))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    address: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    # A stand-in of the demo (the news names products, not who makes them): shown as demo, never
    # as a real company or cooperative.
    is_demo: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    region: Mapped[Region] = relationship()
    products: Mapped[list[Product]] = relationship(back_populates="producer")


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
    zalo_url: Mapped[str | None] = mapped_column(String(300))
    # Where it is on a map (WGS 84 degrees), for the OpenStreetMap and Google Maps links.
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Address and hours invented for the demo are shown as such.
    is_demo: Mapped[bool] = mapped_column(default=False, server_default=false())

    region: Mapped[Region] = relationship()


class CatalogVersion(db.Model):
    """One row: a number that every transaction changing what the public pages show (products,
    prices, pictures, certificates, producers, places, showrooms, the listing read model) raises
    as it commits. Stock changes do not (StockChange below), unless a product's online stock
    crosses zero. Cached pages carry it in their key (storefront/page_cache.py), so a change is
    seen at once by every worker and instance."""

    __tablename__ = "catalog_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger, default=0)


class StockChange(db.Model):
    """One row per product whose stock a transaction changed, written as it commits. Cached pages
    that show a product's stock remember the last row they knew for it; each process reads the
    new rows at most once a second (storefront/register/generation.py). Rows are only ever
    added (no shared row is updated by a sale); those older than a day are deleted now and then."""

    __tablename__ = "stock_changes"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    product_id: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
