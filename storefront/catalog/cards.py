"""What the catalogue sells today, and a product as a card in a list.

A product is sellable as OCOP only when the office approved and listed it and it has an active,
unexpired certificate on ``today`` (taken explicitly, so pages, the API, the CLI and tests decide
"valid" the same way). The listing, the product pages, the cart and the reports build on this.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Date,
    ScalarSelect,
    Select,
    and_,
    bindparam,
    func,
    select,
)

from storefront.catalog.models import (
    Certificate,
    CertificateStatus,
    Product,
    ProductImage,
    ReviewStatus,
)
from storefront.extensions import db
from storefront.inventory.models import LocationKind, StockLevel, StockLocation
from storefront.register.models import Producer


@dataclass(frozen=True)
class ProductCard:
    """What a list shows of one product: stars are those of its active certificate. Frozen: a
    card is also the key of its HTML (catalog.routes.product_card)."""

    code: str
    name: str
    group: str
    unit: str
    price_vnd: int
    stars: int
    producer_code: str
    producer_name: str
    available_online: int
    is_demo: bool
    certificate_number: str = ""
    certificate_issued_on: date | None = None
    certificate_expires_on: date | None = None
    picture: str | None = None  # the stored name of its first picture, if it has one


def active_certificate_join(today: date | BindParameter[date]) -> ColumnElement[bool]:
    """ON clause joining a product to its one active, unexpired certificate."""
    return and_(
        Certificate.product_id == Product.id,
        Certificate.status == CertificateStatus.ACTIVE,
        Certificate.expires_on >= today,
    )


def listed_clause() -> ColumnElement[bool]:
    """The office lets the shop offer it: approved and listed. With active_certificate_join this
    is the catalogue's one definition of what it sells today (see sellable_ids)."""
    return and_(Product.listed.is_(True), Product.review_status == ReviewStatus.APPROVED)


def sellable_ids(product_ids: Iterable[int], today: date) -> set[int]:
    """Those of ``product_ids`` the catalogue would sell today: approved, listed, with an
    active, unexpired certificate. The cart and checkout ask this, so they never hold what the
    catalogue does not show. One query."""
    if not product_ids:
        return set()
    values = {"today": today, "ids": list(product_ids)}
    return set(db.session.scalars(_sellable_statement(), values))


@cache
def _sellable_statement() -> Select:
    return (
        select(Product.id)
        .join(Certificate, active_certificate_join(bindparam("today", type_=Date)))
        .where(listed_clause(), Product.id.in_(bindparam("ids", expanding=True)))
    )


def _online_available() -> ScalarSelect[int]:
    """Units available in the producer's own warehouse (what online orders ship from)."""
    return (
        select(func.coalesce(func.sum(StockLevel.quantity - StockLevel.reserved), 0))
        .join(StockLocation, StockLocation.id == StockLevel.location_id)
        .where(
            StockLevel.product_id == Product.id,
            StockLocation.kind == LocationKind.WAREHOUSE,
        )
        .correlate(Product)
        .scalar_subquery()
    )


def _first_picture() -> ScalarSelect[str]:
    """The stored name of the product's picture at place 0 (its first)."""
    return (
        select(ProductImage.filename)
        .where(ProductImage.product_id == Product.id, ProductImage.position == 0)
        .correlate(Product)
        .scalar_subquery()
    )


def card_query(today: date) -> Select:
    """Cards of the products that may be listed."""
    return card_columns(today).where(listed_clause())


def card_columns(today: date | BindParameter[date]) -> Select:
    return (
        select(
            Product.code,
            Product.name,
            Product.group,
            Product.unit,
            Product.price_vnd,
            Certificate.stars,
            Producer.code,
            Producer.name,
            _online_available(),
            Product.is_demo,
            Certificate.decision_number,
            Certificate.issued_on,
            Certificate.expires_on,
            _first_picture(),
        )
        .join(Certificate, active_certificate_join(today))
        .join(Producer, Producer.id == Product.producer_id)
    )


def cards_by_id(product_ids: Sequence[int], today: date) -> dict[int, ProductCard]:
    """The cards of these products, by id (those the catalogue sells today). One query by
    primary key; its statement is built once per process (a page of cards runs it with new
    values only, so SQLAlchemy neither rebuilds it nor works out its cache key again)."""
    rows = (
        db.session.connection()  # columns only: nothing for the ORM to load
        .execute(_cards_by_id_statement(), {"today": today, "ids": list(product_ids)})
        .all()
    )
    return {row[-1]: to_card(row[:-1]) for row in rows}


@cache
def _cards_by_id_statement() -> Select:
    return (
        card_columns(bindparam("today", type_=Date))
        .add_columns(Product.id)
        .where(Product.id.in_(bindparam("ids", expanding=True)))
    )


def to_card(row: Sequence[Any]) -> ProductCard:
    return ProductCard(*row)
