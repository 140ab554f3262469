"""The catalogue page and its search: filters read from a query string, the ranked page of
cards, as-you-type suggestions, the home page's featured products and group counts, and the
producers list.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Date,
    Integer,
    Select,
    bindparam,
    func,
    or_,
    select,
)
from sqlalchemy.orm import joinedload

from storefront.catalog import (
    listing_model,  # noqa: F401  (keeps the read model in step)
    search,
)
from storefront.catalog import regions as region_rules
from storefront.catalog.cards import (
    ProductCard,
    listed_cards,
    listed_today,
    to_card,
)
from storefront.catalog.models import Product, ProductGroup, ProductListing
from storefront.collation import by_name
from storefront.extensions import db
from storefront.inventory.models import StockLevel, StockLocation
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
    items: list[ProductCard]
    total: int
    page: int
    page_size: int
    search: search.SearchOutcome | None = None

    @property
    def product_ids(self) -> list[int]:
        """Of the cards, in their order."""
        return [card.product_id for card in self.items]

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def beyond_last(self) -> bool:
        return self.page > self.pages


def list_products(filters: CatalogFilters, today: date, page_size: int) -> Page:
    """One page of the certified, listed catalogue, filtered, searched and sorted. One query for
    the cards, one to count them the first time a filter combination is asked in a catalogue
    generation (a product typed by its code: one more to find it); when a search finds nothing,
    a few more to try it with a typo corrected and to find the nearest words to suggest."""
    terms = search.parse(filters.q)
    page = _search_page(filters, terms, today, page_size)
    if terms and page.total == 0:
        corrected = search.correct(terms)
        if corrected is not None:
            page = _search_page(filters, corrected, today, page_size)
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
) -> Page:
    limit, offset = page_size, (filters.page - 1) * page_size
    # A page's cards are 24 rows of the read model, read in the order of one of its indexes
    # (not a ranking of the whole catalogue), with every column a card shows: one query (also
    # when there are none: a page sends the same queries whatever the catalogue holds).
    if terms:
        # A product's code (or EAN) typed whole finds that product first.
        found = _found_by_code(filters, today)
        if found is not None:
            limit, offset = (limit - 1, offset) if filters.page == 1 else (limit, offset - 1)
        ordered, counted = _search_statements(
            _dialect_name(),
            _chosen(filters),
            _covered_regions(filters.region, today) if filters.region else None,
            terms,
            today,
            found.product_id if found is not None else None,
            limit,
            offset,
        )
        cards = [to_card(row) for row in db.session.execute(ordered).all()]
        if found is not None and filters.page == 1:
            cards.insert(0, found)
        total = _total(lambda: counted, (filters, terms, today)) + (found is not None)
    else:
        cards = _browse_cards(filters, today, limit, offset)
        total = _total(lambda: _filtered(filters, today), (filters, terms, today))
    outcome = search.SearchOutcome(terms) if terms else None
    return Page(cards, total, filters.page, page_size, outcome)


def _chosen(filters: CatalogFilters) -> tuple:
    """What a page's statement is made of among the filters (all but those ignored)."""
    return (
        filters.q,
        filters.stars,
        filters.group,
        filters.region,
        filters.showroom,
        filters.sort,
        filters.page,
    )


def _dialect_name() -> str:
    return db.session.get_bind().dialect.name


SEARCH_STATEMENTS_KEPT = 512


@lru_cache(maxsize=SEARCH_STATEMENTS_KEPT)
def _search_statements(
    _dialect: str,
    chosen: tuple,
    _covered: frozenset[int] | None,
    terms: search.SearchTerms,
    today: date,
    found: int | None,
    limit: int,
    offset: int,
) -> tuple[Select, Select]:
    """A search page's ids statement and the statement its matches are counted from, built
    once per process for each search (words, filters, page, the product found by its code, the
    day; the database and the units the area filter covers, which the statement holds): a
    search asked again runs its kept statement, whose building was a tenth of the page."""
    filters = CatalogFilters(*chosen)
    listing = ProductListing
    matching = search.matching(terms, listing.product_id)
    query, score = matching.apply(_filtered(filters, today)), matching.score()
    if found is not None:
        query = query.where(listing.product_id != found)
    ordered = query.order_by(*_order(filters, terms, score)).limit(limit).offset(offset)
    return ordered, query


def _browse_cards(
    filters: CatalogFilters, today: date, limit: int, offset: int
) -> list[ProductCard]:
    """The cards of a page without a search. Its statement is built once per process for each
    shape (which filters are set, the sort) and run with this request's values: building a
    statement and working out its cache key took longer than running it."""
    shape = (
        bool(filters.stars),
        bool(filters.group),
        bool(filters.region),
        bool(filters.showroom),
        filters.effective_sort,
    )
    values = {
        "today": today,
        "stars": filters.stars,
        "group": filters.group,
        "regions": list(_covered_regions(filters.region, today)) if filters.region else [],
        "showroom": filters.showroom,
        "limit": limit,
        "offset": offset,
    }
    rows = db.session.connection().execute(_browse_statement(*shape), values).all()
    return [to_card(row) for row in rows]


@cache
def _browse_statement(stars: bool, group: bool, region: bool, showroom: bool, sort: str) -> Select:
    # A filter set in the shape has a stand-in value, so _filtered adds its clause, with a
    # parameter in place of the value.
    shape = CatalogFilters(
        stars=1 if stars else None,
        group="shape" if group else None,
        region="shape" if region else None,
        showroom="shape" if showroom else None,
        sort=sort,
    )
    return (
        _filtered(shape, bindparam("today", type_=Date), bound=True)
        .order_by(*_order(shape, search.SearchTerms(), None))
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
    )


def _covered_regions(region: str, today: date) -> frozenset[int]:
    """The ids of the unit chosen in the area filter and of every unit under it ({-1}: none)."""
    units = region_rules.filter_choices(today).units
    return frozenset(region_rules.covered_region_ids(units, region) or {-1})


def _filtered(
    filters: CatalogFilters, today: date | BindParameter[date], *, bound: bool = False
) -> Select:
    """The read model's rows the filters (not the search) keep. ``bound``: each value a named
    parameter (stars, group, regions, showroom; ``today`` given as one) instead of the filter's
    own, so that the statement can be kept and run with any values (_browse_statement)."""

    def value(name: str, actual: object, expanding: bool = False) -> Any:
        return bindparam(name, expanding=expanding) if bound else actual

    listing = ProductListing
    query = listed_cards(today)
    if filters.stars:
        query = query.where(listing.stars == value("stars", filters.stars))
    if filters.group:
        query = query.where(listing.group == value("group", filters.group))
    if filters.region:
        # (bound: ``today`` is a parameter too, and the units come with the values)
        covered = _covered_regions(filters.region, today) if isinstance(today, date) else None
        query = query.where(listing.region_id.in_(value("regions", covered, expanding=True)))
    if filters.showroom:
        at_showroom = (
            select(StockLevel.id)
            .join(StockLocation, StockLocation.id == StockLevel.location_id)
            .join(Showroom, Showroom.id == StockLocation.showroom_id)
            .where(
                StockLevel.product_id == listing.product_id,
                Showroom.code == value("showroom", filters.showroom),
                StockLevel.quantity - StockLevel.reserved > 0,
            )
        )
        query = query.where(at_showroom.exists())
    return query


def _order(
    filters: CatalogFilters, terms: search.SearchTerms, score: ColumnElement | None
) -> tuple:
    listing = ProductListing
    sort = filters.effective_sort
    featured = (listing.star_order, listing.name, listing.product_id)
    if sort == "relevance":
        # A query of punctuation only has no words to rank by: most stars first then.
        return (
            (*search.relevance(terms, score, listing.search_name), *featured) if terms else featured
        )
    return {
        "featured": featured,
        "price_asc": (listing.price_vnd, listing.product_id),
        "price_desc": (listing.price_vnd.desc(), listing.product_id),
        "newest": (listing.created_at.desc(), listing.product_id.desc()),
        "name": (listing.name, listing.product_id),
    }[sort]


# Product codes have six characters (register.codes), EANs eight to fourteen digits: a shorter
# word ("sâm", "trà") is never looked up as one.
MIN_CODE_LENGTH = 5


def _found_by_code(filters: CatalogFilters, today: date) -> ProductCard | None:
    """The card of the product whose code or EAN is the whole query, if the filters keep it
    (one query by unique index, made only when the query is one word that could be a code)."""
    q = filters.q.strip()
    if len(q) < MIN_CODE_LENGTH or not CODE_PATTERN.fullmatch(q):
        return None
    by_code = select(Product.id).where(or_(Product.code == q.upper(), Product.ean == q))
    row = db.session.execute(
        _filtered(filters, today)
        .where(ProductListing.product_id.in_(by_code.scalar_subquery()))
        .limit(1)
    ).first()
    return to_card(row) if row is not None else None


def _total(make_query: Callable[[], Select], asked: object) -> int:
    """How many products the filters find: counted once per filter combination and listing
    generation (stock changes do not raise it), then kept (``make_query`` is only called
    then)."""
    digest = hashlib.sha256(repr(asked).encode()).hexdigest()
    return catalog_generation.remembered(
        f"listing-total:{digest}",
        lambda: db.session.execute(
            select(func.count()).select_from(make_query().order_by(None).subquery())
        ).scalar_one(),
    )


def featured_products(today: date, limit: int = 8, per_row: int = 4) -> list[ProductCard]:
    """Products for the home page, best first (5★, 4★, then 3★ to fill the rows), in whole rows
    of ``per_row`` (a row of 4 is also two rows of 2 on a phone) when there are enough."""
    listing = ProductListing
    rows = db.session.execute(
        listed_cards(today)
        .order_by(listing.star_order, listing.created_at.desc(), listing.product_id)
        .limit(limit)
    ).all()
    whole = len(rows) - len(rows) % per_row if len(rows) >= per_row else len(rows)
    return [to_card(r) for r in rows[:whole]]


def group_counts(today: date) -> dict[str, int]:
    """How many certified, listed products each of the six groups has."""
    listing = ProductListing
    rows = db.session.execute(
        select(listing.group, func.count()).where(listed_today(today)).group_by(listing.group)
    ).tuples()
    counts = {group.value: 0 for group in ProductGroup}
    counts.update(dict(rows.all()))
    return counts


def list_producers(today: date) -> list[tuple[Producer, int]]:
    """Active producers, by name, with how many certified, listed products each has."""
    listing = ProductListing
    counts = (
        select(listing.producer_id, func.count().label("products"))
        .where(listed_today(today))
        .group_by(listing.producer_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Producer, func.coalesce(counts.c.products, 0))
        .outerjoin(counts, counts.c.producer_id == Producer.id)
        .where(Producer.active.is_(True))
        .options(joinedload(Producer.region))
        .order_by(Producer.id)
    ).all()
    return by_name(((producer, count) for producer, count in rows), lambda row: row[0].name)
