"""Reading the certified catalogue: lists, product pages, producer pages and QR verification.

Every function takes ``today`` explicitly, so "valid" is decided the same way in pages, the API,
the CLI and tests. A product is sellable as OCOP only with an active, unexpired certificate.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload, selectinload

from storefront.caching import cache_get, cache_set
from storefront.catalog import regions as region_rules
from storefront.catalog import search
from storefront.catalog.models import (
    Certificate,
    CertificateStatus,
    Product,
    ProductGroup,
    ReviewStatus,
)
from storefront.domain import NotFound
from storefront.extensions import db
from storefront.inventory.models import LocationKind, StockLevel, StockLocation
from storefront.numbers import parse_int
from storefront.register import generation as catalog_generation
from storefront.register.codes import CODE_PATTERN
from storefront.register.models import Producer, Showroom

# "relevance" (best match first) is the default when there is a query, "featured" otherwise.
SORTS = ("relevance", "featured", "price_asc", "price_desc", "newest", "name")
MAX_QUERY_LENGTH = 200


@dataclass
class CatalogFilters:
    q: str = ""
    stars: int | None = None
    group: str | None = None
    region: str | None = None
    showroom: str | None = None
    sort: str = ""
    page: int = 1
    ignored: list[str] = field(default_factory=list)

    def query_args(self, **changes) -> dict:
        """The filters as a shareable query string (for links: pages, sort, removing a filter)."""
        values = {
            "q": self.q or None,
            "stars": self.stars,
            "group": self.group,
            "region": self.region,
            "showroom": self.showroom,
            "sort": None if self.effective_sort == self.default_sort else self.effective_sort,
            "page": None if self.page == 1 else self.page,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v not in (None, "")}

    @property
    def default_sort(self) -> str:
        return "relevance" if self.q else "featured"

    @property
    def effective_sort(self) -> str:
        if not self.sort or (self.sort == "relevance" and not self.q):
            return self.default_sort
        return self.sort

    @property
    def active(self) -> bool:
        return any((self.q, self.stars, self.group, self.region, self.showroom))


# The query parameters the catalogue page reads (parse_filters).
FILTER_PARAMETERS = ("q", "stars", "group", "region", "showroom", "sort", "page")


def parse_filters(args, *, known_regions: set[str], known_showrooms: set[str]) -> CatalogFilters:  # noqa: C901
    """Read filters from a query string. A value that makes no sense is dropped and named in
    ``ignored``; it never fails the page."""
    filters = CatalogFilters()
    q = (args.get("q") or "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        filters.ignored.append("q")
        q = q[:MAX_QUERY_LENGTH]
    filters.q = q

    stars = args.get("stars")
    if stars:
        if stars in ("3", "4", "5"):
            filters.stars = int(stars)
        else:
            filters.ignored.append("stars")

    group = args.get("group")
    if group:
        if group in set(ProductGroup):
            filters.group = group
        else:
            filters.ignored.append("group")

    for name, known in (("region", known_regions), ("showroom", known_showrooms)):
        value = args.get(name)
        if value:
            if value in known:
                setattr(filters, name, value)
            else:
                filters.ignored.append(name)

    sort = args.get("sort")
    if sort:
        if sort in SORTS:
            filters.sort = sort
        else:
            filters.ignored.append("sort")

    page = args.get("page")
    if page:
        try:
            filters.page = parse_int(page, minimum=1, maximum=10**9 - 1)
        except ValueError:
            filters.ignored.append("page")
    return filters


@dataclass
class ProductCard:
    """What a list shows of one product: stars are those of its active certificate."""

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


@dataclass
class Page:
    items: list
    total: int
    page: int
    page_size: int
    search: search.SearchOutcome | None = None

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def beyond_last(self) -> bool:
        return self.page > self.pages


def active_certificate_join(today: date):
    """ON clause joining a product to its one active, unexpired certificate."""
    return and_(
        Certificate.product_id == Product.id,
        Certificate.status == CertificateStatus.ACTIVE,
        Certificate.expires_on >= today,
    )


def listed_clause():
    """The office lets the shop offer it: approved and listed. With active_certificate_join this
    is the catalogue's one definition of what it sells today (see sellable_ids)."""
    return and_(Product.listed.is_(True), Product.review_status == ReviewStatus.APPROVED)


def sellable_ids(product_ids, today: date) -> set[int]:
    """Those of ``product_ids`` the catalogue would sell today: approved, listed, with an
    active, unexpired certificate. The cart and checkout ask this, so they never hold what the
    catalogue does not show. One query."""
    if not product_ids:
        return set()
    return set(
        db.session.scalars(
            select(Product.id)
            .join(Certificate, active_certificate_join(today))
            .where(listed_clause(), Product.id.in_(list(product_ids)))
        )
    )


def _online_available():
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


def _card_query(today: date):
    """Cards of the products that may be listed."""
    return _card_columns(today).where(listed_clause())


def _card_columns(today: date):
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
        )
        .join(Certificate, active_certificate_join(today))
        .join(Producer, Producer.id == Product.producer_id)
    )


def _listed_query(today: date):
    """Products that may be listed (approved, listed, certified today): what the search and the
    filters narrow down before a page of cards is read."""
    return (
        select(Product.id, func.count().over())
        .join(Certificate, active_certificate_join(today))
        .where(listed_clause())
    )


def _to_card(row) -> ProductCard:
    return ProductCard(*row)


def list_products(filters: CatalogFilters, today: date, page_size: int, regions=None) -> Page:
    """One page of the certified, listed catalogue, filtered, searched and sorted. Two queries;
    when a query finds nothing, a few more to try it with a typo corrected and to find the
    nearest words to suggest."""
    terms = search.parse(filters.q)
    page = _search_page(filters, terms, today, page_size, regions)
    if terms and page.total == 0:
        corrected = search.correct(terms)
        if corrected is not None:
            page = _search_page(filters, corrected, today, page_size, regions)
        if page.total == 0:
            page.search.suggestions = search.suggestions(terms)
    return page


def suggest(q: str, today: date, limit: int = 6) -> Page | None:
    """The best few matches for what is typed so far (the same search as the catalogue);
    None while nothing searchable has been typed."""
    filters = CatalogFilters(q=q.strip()[:MAX_QUERY_LENGTH])
    if not search.parse(filters.q):
        return None
    return list_products(filters, today, limit)


def _search_page(filters, terms, today, page_size, regions) -> Page:
    query = _listed_query(today)
    score = None
    if terms:
        matching = search.matching(terms)
        query = matching.apply(query)
        score = matching.score()
    if filters.stars:
        query = query.where(Certificate.stars == filters.stars)
    if filters.group:
        query = query.where(Product.group == filters.group)
    if filters.region:
        covered = region_rules.covered_region_ids(
            regions if regions is not None else region_rules.all_regions(), filters.region
        )
        query = query.where(Product.region_id.in_(covered or {-1}))
    if filters.showroom:
        at_showroom = (
            select(StockLevel.id)
            .join(StockLocation, StockLocation.id == StockLevel.location_id)
            .join(Showroom, Showroom.id == StockLocation.showroom_id)
            .where(
                StockLevel.product_id == Product.id,
                Showroom.code == filters.showroom,
                StockLevel.quantity - StockLevel.reserved > 0,
            )
        )
        query = query.where(at_showroom.exists())

    sort = filters.effective_sort
    featured = (Certificate.stars.desc(), Product.name, Product.id)
    if sort == "relevance":
        # A query of punctuation only has no words to rank by: most stars first then.
        order = (*search.relevance(terms, score), *featured) if terms else featured
    else:
        order = {
            "featured": featured,
            "price_asc": (Product.price_vnd, Product.id),
            "price_desc": (Product.price_vnd.desc(), Product.id),
            "newest": (Product.created_at.desc(), Product.id.desc()),
            "name": (Product.name, Product.id),
        }[sort]
    # First the page's ids and the total in one pass (only ids are sorted), then the cards of
    # that page alone: stock sums and the rest are never computed for rows not shown.
    ranked = _ranked(
        query.order_by(*order).limit(page_size).offset((filters.page - 1) * page_size),
        (filters, terms, today, page_size),
    )
    if ranked:
        total = ranked[0][1]
    elif filters.page == 1:
        total = 0
    else:  # past the last page: say how many there are
        total = db.session.scalar(
            select(func.count()).select_from(
                query.with_only_columns(Product.id).order_by(None).subquery()
            )
        )
    cards = []
    if ranked:
        position = {product_id: index for index, (product_id, _total) in enumerate(ranked)}
        # Only the page's ids (already filtered): looked up by primary key.
        rows = db.session.execute(
            _card_columns(today).add_columns(Product.id).where(Product.id.in_(position))
        ).all()
        by_id = {row[-1]: _to_card(row[:-1]) for row in rows}
        cards = [by_id[product_id] for product_id in position if product_id in by_id]
    outcome = search.SearchOutcome(terms) if terms else None
    return Page(cards, total, filters.page, page_size, outcome)


def _ranked(statement, asked) -> list[tuple[int, int]]:
    """The page's (id, total) rows, from the cache while the catalogue has not changed: at
    100,000 products, ranking them all is most of a catalogue page (150–550 ms); reading the
    cards of one page is not. ``asked`` is everything the statement was made from."""
    digest = hashlib.sha256(repr((catalog_generation.current(), asked)).encode()).hexdigest()
    key = f"ranking:{digest}"
    ranked = cache_get(key)
    if ranked is None:
        ranked = [tuple(row) for row in db.session.execute(statement).all()]
        cache_set(key, ranked)
    return ranked


def featured_products(today: date, limit: int = 8) -> list[ProductCard]:
    """4★ and 5★ products for the home page, best first."""
    rows = db.session.execute(
        _card_query(today)
        .where(Certificate.stars >= 4)
        .order_by(Certificate.stars.desc(), Product.created_at.desc(), Product.id)
        .limit(limit)
    ).all()
    return [_to_card(r) for r in rows]


def group_counts(today: date) -> dict[str, int]:
    """How many certified, listed products each of the six groups has."""
    rows = db.session.execute(
        select(Product.group, func.count())
        .join(Certificate, active_certificate_join(today))
        .where(listed_clause())
        .group_by(Product.group)
    ).all()
    counts = {group.value: 0 for group in ProductGroup}
    counts.update(dict(rows))
    return counts


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

    @property
    def sellable(self) -> bool:
        return self.certificate is not None and self.product.listed


def normalise_code(code: str) -> str:
    """Codes are printed in capitals; a hand-typed lower-case code still finds its product.
    Anything that cannot be a code (too long, odd characters) raises NotFound at once."""
    code = code.strip()
    if not CODE_PATTERN.fullmatch(code):
        raise NotFound(code)
    return code.upper()


def product_view(code: str, today: date) -> ProductView:
    """Everything the product page shows. A product without an active certificate still has a
    page (it says why it cannot be bought); an unknown code raises NotFound. Four queries."""
    product = db.session.scalar(
        select(Product)
        .where(Product.code == normalise_code(code), Product.review_status == ReviewStatus.APPROVED)
        .options(
            joinedload(Product.producer).joinedload(Producer.region),
            joinedload(Product.region),
            selectinload(Product.images),
            selectinload(Product.certificates),
        )
    )
    if product is None:
        raise NotFound(code)
    active = _active_certificate(product.certificates, today)
    levels = db.session.execute(
        select(
            StockLevel.quantity - StockLevel.reserved,
            StockLocation.kind,
            Showroom.code,
            Showroom.name,
        )
        .join(StockLocation, StockLocation.id == StockLevel.location_id)
        .outerjoin(Showroom, Showroom.id == StockLocation.showroom_id)
        .where(StockLevel.product_id == product.id)
        .order_by(Showroom.name)
    ).all()
    online = sum(a for a, kind, *_ in levels if kind == LocationKind.WAREHOUSE)
    places = [
        StockPlace(kind, name, showroom_code, available)
        for available, kind, showroom_code, name in levels
        if kind == LocationKind.SHOWROOM and available > 0
    ]
    return ProductView(product, active, list(product.certificates), max(online, 0), places)


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
    product = db.session.scalar(
        select(Product)
        .where(Product.code == normalise_code(code))
        .options(joinedload(Product.producer), selectinload(Product.certificates))
    )
    if product is None:
        raise NotFound(code)
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
    if not CODE_PATTERN.fullmatch(code):
        raise NotFound(code)
    producer = db.session.scalar(
        select(Producer).where(Producer.code == code).options(joinedload(Producer.region))
    )
    if producer is None:
        raise NotFound(code)
    rows = db.session.execute(
        _card_query(today).where(Product.producer_id == producer.id).order_by(Product.name)
    ).all()
    return producer, [_to_card(r) for r in rows]


def showroom_stock(showroom_id: int, today: date) -> list[tuple[ProductCard, int]]:
    """Certified products in stock at a showroom, with how many are available there."""
    at_showroom = (
        select(StockLevel.product_id, (StockLevel.quantity - StockLevel.reserved).label("here"))
        .join(StockLocation, StockLocation.id == StockLevel.location_id)
        .where(StockLocation.showroom_id == showroom_id)
        .subquery()
    )
    rows = db.session.execute(
        _card_query(today)
        .add_columns(at_showroom.c.here)
        .join(at_showroom, at_showroom.c.product_id == Product.id)
        .where(at_showroom.c.here > 0)
        .order_by(Certificate.stars.desc(), Product.name)
    ).all()
    return [(_to_card(r[:-1]), r[-1]) for r in rows]


def existing_code(code: str) -> str | None:
    """The product code as registered, or None when no product has it."""
    try:
        code = normalise_code(code)
    except NotFound:
        return None
    return db.session.scalar(select(Product.code).where(Product.code == code))


def list_producers(today: date) -> list[tuple[Producer, int]]:
    """Active producers, by name, with how many certified, listed products each has."""
    counts = (
        select(Product.producer_id, func.count().label("products"))
        .join(Certificate, active_certificate_join(today))
        .where(listed_clause())
        .group_by(Product.producer_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Producer, func.coalesce(counts.c.products, 0))
        .outerjoin(counts, counts.c.producer_id == Producer.id)
        .where(Producer.active.is_(True))
        .options(joinedload(Producer.region))
        .order_by(Producer.name, Producer.id)
    ).all()
    return [(producer, count) for producer, count in rows]
