"""The pages about one thing: a product (its certificate history and where it is on a shelf),
the certificate check a product's QR code opens (/q/<code>), a producer, a showroom's shelves.

An unknown code raises NotFound with the message the person sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload

from storefront.catalog import notices
from storefront.catalog.cards import ProductCard, listed_cards, to_card
from storefront.catalog.models import (
    Certificate,
    CertificateStatus,
    Product,
    ProductListing,
    ReviewStatus,
)
from storefront.collation import by_name
from storefront.domain import NotFound
from storefront.extensions import db
from storefront.inventory.models import LocationKind, StockLevel, StockLocation
from storefront.register import generation
from storefront.register.codes import CODE_PATTERN
from storefront.register.models import Producer, Showroom


@dataclass
class StockPlace:
    kind: str
    name: str
    code: str | None  # showroom code, for a link
    available: int


@dataclass
class ProductView:
    product: Product
    certificate: Certificate | None  # the active, unexpired one
    history: list[Certificate]
    online_available: int
    showrooms: list[StockPlace]
    notices: list[str]  # catalog.notices: the law's notices for this kind of product

    @property
    def sellable(self) -> bool:
        return self.certificate is not None and self.product.listed


def _printed_form(code: str) -> str | None:
    """Codes are printed in capitals; a hand-typed lower-case code still finds its product.
    None for anything that cannot be a code (too long, odd characters): no query is made."""
    code = code.strip()
    return code.upper() if CODE_PATTERN.fullmatch(code) else None


def _no_such_code() -> NotFound:
    return NotFound(_("No such code in the register."))


def product_view(code: str, today: date) -> ProductView:
    """Everything the product page shows. A product without an active certificate still has a
    page (it says why it cannot be bought); an unknown code raises NotFound. Two queries: the
    product with its producer, place, pictures and certificates, then its stock by place."""
    wanted = _printed_form(code)
    if wanted is None:
        raise _no_such_code()
    product = db.session.scalars(_product_statement(), {"code": wanted}).unique().first()
    if product is None:
        raise _no_such_code()
    active = _active_certificate(product.certificates, today)
    levels = db.session.execute(_levels_statement(), {"product_id": product.id}).all()
    generation.stock_shown([product.id])
    online = sum(a for a, kind, *_rest in levels if kind == LocationKind.WAREHOUSE)
    places = [
        StockPlace(kind, name, showroom_code, available)
        for available, kind, showroom_code, name in levels
        if kind == LocationKind.SHOWROOM and available > 0
    ]
    return ProductView(
        product,
        active,
        list(product.certificates),
        max(online, 0),
        places,
        notices.notices_for(product),
    )


# The statements of a product's pages are built once per process: a page runs them with new
# values only (building them, loader options and all, was a third of the product page's time).


@cache
def _product_statement() -> Select:
    return (
        select(Product)
        .where(Product.code == bindparam("code"), Product.review_status == ReviewStatus.APPROVED)
        .options(
            joinedload(Product.producer).joinedload(Producer.region),
            joinedload(Product.region),
            # Pictures (at most eight) and certificates (a few) joined, not queries of their
            # own: loading the certificates by a second query was half of this read.
            joinedload(Product.images),
            joinedload(Product.certificates),
        )
    )


@cache
def _verified_statement() -> Select:
    """A product by code with what its certificate check shows (/q/<code>, scanned most)."""
    return (
        select(Product)
        .where(Product.code == bindparam("code"))
        .options(joinedload(Product.producer), joinedload(Product.certificates))
    )


@cache
def _levels_statement() -> Select:
    """A product's stock at each place: available units, kind of place, showroom."""
    return (
        select(
            StockLevel.quantity - StockLevel.reserved,
            StockLocation.kind,
            Showroom.code,
            Showroom.name,
        )
        .join(StockLocation, StockLocation.id == StockLevel.location_id)
        .outerjoin(Showroom, Showroom.id == StockLocation.showroom_id)
        .where(StockLevel.product_id == bindparam("product_id"))
        .order_by(Showroom.name)
    )


def _active_certificate(certificates: list[Certificate], today: date) -> Certificate | None:
    for certificate in certificates:
        if certificate.state_on(today) == CertificateStatus.ACTIVE:
            return certificate
    return None


@dataclass
class Verification:
    """What /q/<code> tells a person holding a product in a shop."""

    product: Product
    certificate: Certificate | None  # the one the verdict is about
    state: str  # valid, expired, revoked, superseded, none
    successor: Certificate | None = None


def verify(code: str, today: date) -> Verification:
    """The certificate state of a product code. Raises NotFound for a code not in the register
    (which is what a counterfeit label looks like)."""
    wanted = _printed_form(code)
    if wanted is None:
        raise NotFound(_("This code is not in the OCOP register."))
    product = db.session.scalars(_verified_statement(), {"code": wanted}).unique().first()
    if product is None:
        raise NotFound(_("This code is not in the OCOP register."))
    certificates = list(product.certificates)  # newest first
    active = _active_certificate(certificates, today)
    if active is not None:
        return Verification(product, active, "valid")
    if not certificates:
        return Verification(product, None, "none")
    latest = max(certificates, key=lambda c: (c.issued_on, c.id))
    state = latest.state_on(today)
    successor = latest.superseded_by if state == CertificateStatus.SUPERSEDED else None
    return Verification(product, latest, state, successor)


def producer_view(code: str, today: date) -> tuple[Producer, list[ProductCard]]:
    """A producer's page: the producer and its certified, listed products, by name."""
    producer = CODE_PATTERN.fullmatch(code) and db.session.scalar(
        select(Producer).where(Producer.code == code).options(joinedload(Producer.region))
    )
    if producer is None:
        raise _no_such_code()
    rows = db.session.execute(
        listed_cards(today)
        .where(ProductListing.producer_id == producer.id)
        .order_by(ProductListing.product_id)
    ).all()
    return producer, by_name((to_card(r) for r in rows), lambda card: card.name)


def showroom_stock(showroom_id: int, today: date) -> list[tuple[ProductCard, int]]:
    """Certified products in stock at a showroom, with how many are available there."""
    at_showroom = (
        select(
            StockLevel.product_id,
            (StockLevel.quantity - StockLevel.reserved).label("here"),
            StockLocation.id.label("location_id"),
        )
        .join(StockLocation, StockLocation.id == StockLevel.location_id)
        .where(StockLocation.showroom_id == showroom_id)
        .subquery()
    )
    rows = db.session.execute(
        listed_cards(today)
        .add_columns(at_showroom.c.here, at_showroom.c.location_id)
        .join(at_showroom, at_showroom.c.product_id == ProductListing.product_id)
        .where(at_showroom.c.here > 0)
        .order_by(ProductListing.star_order, ProductListing.name)
    ).all()
    # The page changes with any stock change at the showroom (a product put on the shelf too).
    locations = {r[-1] for r in rows} or set(
        db.session.scalars(select(StockLocation.id).where(StockLocation.showroom_id == showroom_id))
    )
    generation.stock_shown({generation.location_version_id(i) for i in locations})
    return [(to_card(r[:-2]), r[-2]) for r in rows]


def existing_code(code: str) -> str | None:
    """The product code as registered, or None when no product has it."""
    wanted = _printed_form(code)
    return wanted and db.session.scalar(select(Product.code).where(Product.code == wanted))
