"""The catalogue page and its search: filters read from a query string, the ranked page of
cards, as-you-type suggestions, the home page's featured products and group counts, and the
producers list.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from storefront.caching import cache_get, cache_set
from storefront.catalog import regions as region_rules
from storefront.catalog import search
from storefront.catalog.cards import (
    ProductCard,
    active_certificate_join,
    card_columns,
    card_query,
    listed_clause,
    to_card,
)
from storefront.catalog.models import Certificate, Product, ProductGroup
from storefront.extensions import db
from storefront.inventory.models import StockLevel, StockLocation
from storefront.numbers import parse_int
from storefront.register import generation as catalog_generation
from storefront.register.models import Producer, Region, Showroom

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

    def query_args(self, **changes: str | int | None) -> dict:
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


def parse_filters(
    args: Mapping[str, str], *, known_regions: set[str], known_showrooms: set[str]
) -> CatalogFilters:
    """Read filters from a query string. A value that makes no sense is dropped and named in
    ``ignored``; it never fails the page."""
    filters = CatalogFilters()
    q = (args.get("q") or "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        filters.ignored.append("q")
        q = q[:MAX_QUERY_LENGTH]
    filters.q = q
    choices = (
        ("stars", {"3": 3, "4": 4, "5": 5}),
        ("group", {group.value: group.value for group in ProductGroup}),
        ("region", {code: code for code in known_regions}),
        ("showroom", {code: code for code in known_showrooms}),
        ("sort", {sort: sort for sort in SORTS}),
    )
    for name, allowed in choices:
        value = args.get(name)
        if value and value in allowed:
            setattr(filters, name, allowed[value])
        elif value:
            filters.ignored.append(name)
    page = args.get("page")
    if page:
        try:
            filters.page = parse_int(page, minimum=1, maximum=10**9 - 1)
        except ValueError:
            filters.ignored.append("page")
    return filters


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


def _listed_query(today: date) -> Select:
    """Products that may be listed (approved, listed, certified today): what the search and the
    filters narrow down before a page of cards is read."""
    return (
        select(Product.id, func.count().over())
        .join(Certificate, active_certificate_join(today))
        .where(listed_clause())
    )


def list_products(
    filters: CatalogFilters, today: date, page_size: int, regions: list[Region] | None = None
) -> Page:
    """One page of the certified, listed catalogue, filtered, searched and sorted. Two queries;
    when a query finds nothing, a few more to try it with a typo corrected and to find the
    nearest words to suggest."""
    terms = search.parse(filters.q)
    page = _search_page(filters, terms, today, page_size, regions)
    if terms and page.total == 0:
        corrected = search.correct(terms)
        if corrected is not None:
            page = _search_page(filters, corrected, today, page_size, regions)
        if page.total == 0 and page.search is not None:
            page.search.suggestions = search.suggestions(terms)
    return page


def suggest(q: str, today: date, limit: int = 6) -> Page | None:
    """The best few matches for what is typed so far (the same search as the catalogue);
    None while nothing searchable has been typed."""
    filters = CatalogFilters(q=q.strip()[:MAX_QUERY_LENGTH])
    if not search.parse(filters.q):
        return None
    return list_products(filters, today, limit)


def _search_page(
    filters: CatalogFilters,
    terms: search.SearchTerms,
    today: date,
    page_size: int,
    regions: list[Region] | None,
) -> Page:
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
        total = db.session.execute(
            select(func.count()).select_from(
                query.with_only_columns(Product.id).order_by(None).subquery()
            )
        ).scalar_one()
    cards = []
    if ranked:
        position = {product_id: index for index, (product_id, _total) in enumerate(ranked)}
        # Only the page's ids (already filtered): looked up by primary key.
        rows = db.session.execute(
            card_columns(today).add_columns(Product.id).where(Product.id.in_(position))
        ).all()
        by_id = {row[-1]: to_card(row[:-1]) for row in rows}
        cards = [by_id[product_id] for product_id in position if product_id in by_id]
    outcome = search.SearchOutcome(terms) if terms else None
    return Page(cards, total, filters.page, page_size, outcome)


def _ranked(statement: Select, asked: object) -> list[tuple[int, int]]:
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


def featured_products(today: date, limit: int = 8, per_row: int = 4) -> list[ProductCard]:
    """Products for the home page, best first (5★, 4★, then 3★ to fill the rows), in whole rows
    of ``per_row`` (a row of 4 is also two rows of 2 on a phone) when there are enough."""
    rows = db.session.execute(
        card_query(today)
        .order_by(Certificate.stars.desc(), Product.created_at.desc(), Product.id)
        .limit(limit)
    ).all()
    whole = len(rows) - len(rows) % per_row if len(rows) >= per_row else len(rows)
    return [to_card(r) for r in rows[:whole]]


def group_counts(today: date) -> dict[str, int]:
    """How many certified, listed products each of the six groups has."""
    rows = db.session.execute(
        select(Product.group, func.count())
        .join(Certificate, active_certificate_join(today))
        .where(listed_clause())
        .group_by(Product.group)
    ).tuples()
    counts = {group.value: 0 for group in ProductGroup}
    counts.update(dict(rows.all()))
    return counts


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
