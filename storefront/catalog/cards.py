"""What the catalogue sells today, and a product as a card in a list.

A product is sellable as OCOP only when the office approved and listed it and it has an active,
unexpired certificate on ``today`` (taken explicitly, so pages, the API, the CLI and tests decide
"valid" the same way). The listing, the product pages, the cart and the reports build on this.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Date,
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
    ProductListing,
    ReviewStatus,
)
from storefront.extensions import db
from storefront.inventory.models import LocationKind, StockLevel, StockLocation


class ProductCard(NamedTuple):
    """What a list shows of one product: stars are those of its active certificate. A tuple
    (made from a row at C speed, hashed as one): a card is also the key of its HTML
    (catalog.routes.product_card) and part of its list's. Its fields are columns of the listing
    read model (CARD_COLUMNS), in this order."""

    product_id: int
    code: str
    name: str
    group: str
    unit: str
    price_vnd: int
    stars: int
    producer_code: str
    producer_name: str
    in_stock: bool  # units available online (the producer's warehouse) above zero
    is_demo: bool
    certificate_number: str
    certificate_issued_on: date | None
    certificate_expires_on: date
    picture: str | None  # the stored name of its first picture, if it has one


# The read model's columns (ProductListing) a card is made of, in the order of its fields.
CARD_COLUMNS = (
    "product_id",
    "code",
    "name",
    "group",
    "unit",
    "price_vnd",
    "stars",
    "producer_code",
    "producer_name",
    "in_stock_online",
    "is_demo",
    "certificate_number",
    "certificate_issued_on",
    "expires_on",
    "picture",
)


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


def online_stock(product_ids: Iterable[int]) -> dict[int, int]:
    """Units available in each product's producer warehouse (what online orders ship from), by
    product id (0 when none), read by primary key in one query: the number the API gives, where
    a card says only "In stock". (Also for none: a page sends the same queries whatever the
    catalogue holds.)"""
    ids = list(product_ids)
    rows = db.session.execute(
        select(StockLevel.product_id, func.sum(StockLevel.quantity - StockLevel.reserved))
        .join(StockLocation, StockLocation.id == StockLevel.location_id)
        .where(StockLocation.kind == LocationKind.WAREHOUSE, StockLevel.product_id.in_(ids))
        .group_by(StockLevel.product_id)
    ).tuples()
    return {product_id: 0 for product_id in ids} | {product_id: units for product_id, units in rows}


def listed_today(today: date | BindParameter[date]) -> ColumnElement[bool]:
    """The read model's rows the catalogue sells today (its rows keep the certificate's expiry:
    one that expired today is left out before the cron runs)."""
    return ProductListing.expires_on >= today


def listed_cards(today: date | BindParameter[date]) -> Select:
    """Cards of what the catalogue sells today, read from the listing read model alone (a page
    of cards is its rows, no join): filter and order it like ProductListing."""
    columns = (getattr(ProductListing, name) for name in CARD_COLUMNS)
    return select(*columns).where(listed_today(today))


def to_card(row: Sequence[Any]) -> ProductCard:
    """A row of listed_cards as a card."""
    return ProductCard._make(row)
