"""What the counter may sell: the product a scan names, refused with the reason when this
showroom may not sell it now, and the whole list the counter keeps for when the connection drops.
Prices and stars come from the database, never from the counter's screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from storefront.accounts.models import User
from storefront.catalog import search
from storefront.catalog.cards import listed_clause
from storefront.catalog.models import Certificate, CertificateStatus, Product, ReviewStatus
from storefront.catalog.notices import notices_for
from storefront.extensions import db
from storefront.formatting import format_day
from storefront.inventory import services as stock
from storefront.inventory.models import StockLevel
from storefront.showrooms.errors import ScanRefused
from storefront.showrooms.models import Sale, SaleLine, SaleStatus
from storefront.showrooms.scans import ScanKey, read_scan
from storefront.showrooms.staff import own_showroom_id


@dataclass
class CounterProduct:
    """What the counter shows of a product it may sell: stars from the active certificate."""

    id: int
    code: str
    ean: str | None
    name: str
    unit: str
    group: str
    price_vnd: int
    stars: int
    producer_name: str
    available: int  # at this showroom
    image: str | None  # stored picture name, without size
    notices: list[str]  # catalog.notices: the law's notices (alcohol: check the buyer's age)


def scan(actor: User, text: str, own_hosts: set[str], today: date) -> CounterProduct | ScanKey:
    """The product a scan names, if this showroom may sell it now; a pick-up order's pass comes
    back as its ScanKey. Refused (ScanRefused, with the reason) for garbage, another shop's code,
    an unknown code, a certificate that is not valid today, or nothing on this shelf."""
    showroom_id = own_showroom_id(actor)
    key = read_scan(text, own_hosts)
    if key.kind == "pickup":
        return key
    column = Product.ean if key.kind == "ean" else Product.code
    product = db.session.scalar(
        select(Product)
        .where(column == key.value, Product.review_status == ReviewStatus.APPROVED)
        .options(selectinload(Product.certificates), selectinload(Product.images))
    )
    if product is None:
        raise ScanRefused(
            _("No OCOP product has the code %(code)s. Check the label.", code=key.value),
            "unknown",
        )
    certificate = refuse_unless_sellable(product, today)
    available = stock.available(product.id, stock.showroom_location(showroom_id).id)
    if available <= 0:
        raise ScanRefused(
            _("%(name)s is not in stock at this showroom.", name=product.name), "out_of_stock"
        )
    return _counter_product(product, certificate, available)


def refuse_unless_sellable(product: Product, today: date) -> Certificate:
    """The active certificate, or a refusal saying what is wrong with the product."""
    for certificate in product.certificates:
        if certificate.state_on(today) == CertificateStatus.ACTIVE:
            if not product.listed:
                raise ScanRefused(
                    _("%(name)s is taken off sale by the OCOP office.", name=product.name),
                    "not_listed",
                )
            return certificate
    latest = max(product.certificates, key=lambda c: (c.issued_on, c.id), default=None)
    state = latest.state_on(today) if latest else None
    if state == CertificateStatus.REVOKED:
        message = _("Do not sell: the OCOP certificate of %(name)s was revoked.", name=product.name)
    elif latest and state == CertificateStatus.EXPIRED:
        message = _(
            "Do not sell: the OCOP certificate of %(name)s expired on %(day)s.",
            name=product.name,
            day=format_day(latest.expires_on),
        )
    else:
        message = _("Do not sell: %(name)s has no valid OCOP certificate.", name=product.name)
    raise ScanRefused(message, state or "uncertified")


def _counter_product(product: Product, certificate: Certificate, available: int) -> CounterProduct:
    return CounterProduct(
        id=product.id,
        code=product.code,
        ean=product.ean,
        name=product.name,
        unit=product.unit,
        group=product.group,
        price_vnd=product.price_vnd,
        stars=certificate.stars,
        producer_name=product.producer.name,
        available=available,
        image=product.images[0].filename if product.images else None,
        notices=notices_for(product),
    )


def counter_catalogue(actor: User, today: date) -> list[CounterProduct]:
    """Everything this showroom may sell now, for the counter to keep when the connection drops.
    Three queries."""
    location = stock.showroom_location(own_showroom_id(actor))
    return _sellable(db.session.execute(_shelf_query(location.id).order_by(Product.name)), today)


def find_on_shelf(actor: User, typed: str, today: date, limit: int = 8) -> list[CounterProduct]:
    """What this showroom may sell now whose name (producer, group, places…) matches what the
    cashier typed: the catalogue's own folded search (catalog.search, the one call to follow
    when it changes), limited to this shelf, best match first. Empty while nothing searchable
    has been typed."""
    terms = search.parse(typed[:200])
    if not terms:
        return []
    location = stock.showroom_location(own_showroom_id(actor))
    matching = search.matching(terms)
    query = matching.apply(_shelf_query(location.id)).order_by(
        *search.relevance(terms, matching.score()), Product.name
    )
    return _sellable(db.session.execute(query.limit(limit * 2)), today)[:limit]


def best_seller_codes(actor: User, since: datetime, limit: int = 12) -> list[str]:
    """The codes of the products this showroom sold most units of since ``since``, most first
    (the counter's one-tap grid; it keeps only those still on the shelf). One query."""
    showroom_id = own_showroom_id(actor)
    units = func.sum(SaleLine.quantity)
    return list(
        db.session.scalars(
            select(SaleLine.product_code)
            .join(Sale, Sale.id == SaleLine.sale_id)
            .where(
                Sale.showroom_id == showroom_id,
                Sale.status == SaleStatus.COMPLETED,
                Sale.sold_at >= since,
            )
            .group_by(SaleLine.product_code)
            .order_by(units.desc(), SaleLine.product_code)
            .limit(limit)
        )
    )


def _shelf_query(location_id: int) -> Select:
    return (
        select(Product, StockLevel.quantity - StockLevel.reserved)
        .join(StockLevel, StockLevel.product_id == Product.id)
        .where(
            StockLevel.location_id == location_id,
            StockLevel.quantity - StockLevel.reserved > 0,
            listed_clause(),
        )
        .options(
            selectinload(Product.certificates),
            selectinload(Product.images),
            selectinload(Product.producer),
        )
    )


def _sellable(rows: Iterable, today: date) -> list[CounterProduct]:
    """The rows' products that have an active certificate today, in the rows' order."""
    found = []
    for product, available in rows:
        certificate = next(
            (c for c in product.certificates if c.state_on(today) == CertificateStatus.ACTIVE),
            None,
        )
        if certificate is not None:
            found.append(_counter_product(product, certificate, available))
    return found
