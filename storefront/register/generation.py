"""The catalogue's generation, and per-product stock versions: what cached pages are keyed by.

**Generation**: one number that every transaction changing what the public pages show raises as
it commits. Caches keyed by it (storefront/page_cache.py, the catalogue's totals) never serve what
was true before a change. Every transaction that writes products, prices, pictures, certificates,
producers, places, showrooms or the listing read model raises it (the listeners below see ORM
changes and UPDATE/INSERT/DELETE statements alike), as the last statement before COMMIT. Stock
changes do NOT raise it (a sale would otherwise empty every cached page and queue every sale of the
province on one row); only a product's stock crossing zero does, through the listing read model.

**Stock versions**: a transaction that changes stock (inventory.services calls stock_changed)
adds one ``stock_changes`` row per product as it commits. A page that shows stock numbers names
the products it showed (``stock_shown``); the page cache keeps, with the page, the last change it
knew of each, and serves the page only while no newer change of those products is known. So a
sale of one product leaves every other product's cached pages alone.

The process that committed uses the new numbers at once; every other worker and instance reads
them again from the database at most GENERATION_MAX_AGE (one second) later, so reading them costs
no query most of the time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar, cast

from flask import current_app, g, has_app_context, has_request_context
from sqlalchemy import delete, event, func, insert, literal, select, update
from sqlalchemy.orm import Session, scoped_session

from storefront.caching import cache_get, cache_set
from storefront.clock import utcnow
from storefront.extensions import db
from storefront.register.models import CatalogVersion, StockChange

T = TypeVar("T")

# Tables whose rows the public pages show, stock excepted (see stock_changed).
WATCHED_TABLES = frozenset(
    {
        "products",
        "product_images",
        "product_notice_rules",
        "certificates",
        "producers",
        "regions",
        "showrooms",
        "stock_locations",
        "product_batches",  # a batch label's /q/ page
        "batch_deliveries",
        "product_listings",
        "shop_operator",
        "policy_pages",  # the notices product pages, carts and receipts show
    }
)
GENERATION_MAX_AGE = 1.0  # seconds a process trusts the generation it read last
REMEMBERED_IN_PROCESS = 4096  # values of remembered() a process keeps (a few MB at most)
# Rows of stock_changes read again at each poll: a transaction commits well within this after
# it wrote its row, so none is missed whatever order concurrent transactions commit in.
STOCK_CHANGE_OVERLAP = timedelta(seconds=30)
STOCK_CHANGE_KEPT = timedelta(days=1)
_CHANGED = "catalog_changed"
_RAISED_TO = "catalog_generation"
_STOCK = "stock_changed_products"
_STOCK_WRITTEN = "stock_change_rows"
_GENERATION_ROW = -(2**31)  # the product id that marks the generation's row in _read


@dataclass
class _KnownGeneration:
    """What this process knows of the catalogue's generation and of stock changes, and since
    when."""

    value: int | None = None
    read_at: float = 0.0
    stock: dict[int, int] = field(default_factory=dict)  # product id → last stock_changes id
    newest: int = 0  # the newest of those
    stock_read_since: datetime | None = None  # changed_at of the last poll, less the overlap


def current() -> int:
    known = _known()
    now = time.monotonic()
    if known.value is None or now - known.read_at > GENERATION_MAX_AGE:
        _read(known)
        known.read_at = time.monotonic()
    return known.value or 0


def remembered(name: str, compute: Callable[[], T]) -> T:
    """What ``compute()`` gave, kept while the catalogue's generation stays (every write to a
    watched table moves it): for small reads that every page shows, such as the footer's
    operator, the catalogue's filter choices or the provinces to deliver to, so a page pays no
    query for them. Kept in this process (no unpickling on a hit) and in the shared cache (the
    other workers and instances compute it once between them). The value is shared by every
    request: immutable values only (tuples, frozen dataclasses, numbers, strings)."""
    generation = current()
    held = _held()
    known = held.get(name)
    if known is not None and known[0] == generation:
        return cast(T, known[1])
    key = f"generation:{generation}:{name}"
    value = cache_get(key)
    if value is None:
        value = compute()
        cache_set(key, value)
    if len(held) >= REMEMBERED_IN_PROCESS:  # names made of filters: bounded, dropped together
        held.clear()
    held[name] = (generation, value)
    return value


def forget_remembered() -> None:
    """Drop what this process remembered (a database emptied and filled again, as tests do,
    counts its generations from 1 again)."""
    _held().clear()


def _held() -> dict[str, tuple[int, object]]:
    return current_app.extensions.setdefault("generation_remembered", {})


def stock_versions(product_ids: Iterable[int]) -> dict[int, int]:
    """The last stock change this process knows of, for each product (0: none known)."""
    current()
    stock = _known().stock
    return {product_id: stock.get(product_id, 0) for product_id in product_ids}


def stock_watermark() -> int:
    """The newest stock change this process knows of (any product)."""
    current()
    return _known().newest


def stock_shown(product_ids: Iterable[int]) -> None:
    """A page being made shows the stock of these products (the page cache keeps it only while
    none of them changes)."""
    if has_request_context():
        g.setdefault("stock_shown", set()).update(product_ids)


def shown_on_this_page() -> set[int]:
    return g.pop("stock_shown", set()) if has_request_context() else set()


def stock_changed(
    session: Session | scoped_session, product_id: int, location_id: int | None = None
) -> None:
    """Called by inventory.services for every stock change: written as the transaction commits,
    for the product and for its stock location (a page listing a showroom's shelf depends on
    the location: ``location_version_id``)."""
    changed = session.info.setdefault(_STOCK, set())
    changed.add(product_id)
    if location_id is not None:
        changed.add(location_version_id(location_id))


def location_version_id(location_id: int) -> int:
    """Stock versions of a location are kept under its id made negative (products are > 0)."""
    return -location_id


def stock_changed_in(session: Session | scoped_session) -> set[int]:
    """The products whose stock this transaction changed so far."""
    return {i for i in session.info.get(_STOCK, ()) if i > 0}


def note_change(session: Session | scoped_session) -> None:
    """This transaction changed what public pages show (raise the generation as it commits)."""
    session.info[_CHANGED] = True


def _read(known: _KnownGeneration) -> None:
    """The generation and the stock changes since the last read, in one query."""
    now = utcnow()
    since = known.stock_read_since
    if since is None:  # a new process: what pages kept in a shared cache may not know yet
        since = now - timedelta(seconds=current_app.config.get("PAGE_CACHE_SECONDS", 300) + 60)
    rows = db.session.execute(
        select(literal(_GENERATION_ROW).label("product_id"), CatalogVersion.generation).union_all(
            select(StockChange.product_id, func.max(StockChange.id))
            .where(StockChange.changed_at >= since)
            .group_by(StockChange.product_id)
        )
    ).all()
    known.value = 0
    for product_id, last in rows:
        if product_id == _GENERATION_ROW:
            known.value = last or 0
        elif last > known.stock.get(product_id, 0):
            known.stock[product_id] = last
            known.newest = max(known.newest, last)
    known.stock_read_since = now - STOCK_CHANGE_OVERLAP


def _known() -> _KnownGeneration:
    return current_app.extensions.setdefault("page_cache_generation", _KnownGeneration())


@event.listens_for(Session, "after_flush")
def _note_flushed_changes(session, _flush_context) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(obj, "__tablename__", None)
        if table == "stock_levels":
            stock_changed(session, obj.product_id, obj.location_id)
        elif table in WATCHED_TABLES:
            session.info[_CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statements(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if table is not None and table.name in WATCHED_TABLES:
            state.session.info[_CHANGED] = True


@event.listens_for(Session, "before_commit")
def _raise_generation(session) -> None:
    """The last statements before COMMIT, so a row is locked for as short a time as can be."""
    session.flush()
    _write_stock_changes(session)
    if not session.info.pop(_CHANGED, False):
        return
    raised = session.scalar(
        update(CatalogVersion)
        .values(generation=CatalogVersion.generation + 1)
        .returning(CatalogVersion.generation)
    )
    if raised is None:  # the row is made by the migration; only an emptied table lacks it
        session.execute(insert(CatalogVersion).values(id=1, generation=1))
        raised = 1
    session.info[_RAISED_TO] = raised


def _write_stock_changes(session) -> None:
    products = sorted(session.info.pop(_STOCK, ()))
    if not products:
        return
    now = utcnow()
    written = {}
    for product_id in products:
        written[product_id] = session.scalar(
            insert(StockChange)
            .values(product_id=product_id, changed_at=now)
            .returning(StockChange.id)
        )
    if max(written.values()) % 1000 < len(products):  # now and then: forget what is a day old
        session.execute(delete(StockChange).where(StockChange.changed_at < now - STOCK_CHANGE_KEPT))
    session.info[_STOCK_WRITTEN] = written


@event.listens_for(Session, "after_commit")
def _use_new_generation(session) -> None:
    """This process sees its own change at once."""
    raised = session.info.pop(_RAISED_TO, None)
    written = session.info.pop(_STOCK_WRITTEN, None)
    if not has_app_context():
        return
    known = _known()
    if raised is not None:
        known.value, known.read_at = raised, time.monotonic()
    for product_id, last in (written or {}).items():
        if last > known.stock.get(product_id, 0):
            known.stock[product_id] = last
            known.newest = max(known.newest, last)


@event.listens_for(Session, "after_rollback")
def _forget_changes(session) -> None:
    for key in (_CHANGED, _RAISED_TO, _STOCK, _STOCK_WRITTEN):
        session.info.pop(key, None)
