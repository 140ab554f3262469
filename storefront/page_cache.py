"""Whole public pages kept in the cache, for visitors who see what everybody sees.

A page is served from the cache only to a visitor who is not signed in, has nothing in the cart
and no message waiting (everyone else gets it made afresh). Its key holds the catalogue's
generation (``CatalogVersion``), the day, the language, the host and the path with its query, so:

- every transaction that writes products, prices, pictures, certificates, producers, places,
  showrooms or stock raises the generation as it commits (the listeners below see both ORM changes
  and UPDATE/INSERT/DELETE statements). The process that committed uses the new number at once;
  every other worker and instance reads it again from the database at most GENERATION_MAX_AGE
  (one second) later. So a price change, a sale or a revoked certificate shows at once where it
  was made and within a second everywhere, with Redis or without, while a page served from the
  cache costs no query at all;
- the form token (CSRF) is not part of the cached page: the page is kept with a placeholder that
  is replaced by the visitor's own token on the way out.

The cache is Flask-Caching's (config.py): Redis when REDIS_URL is set, else in each process.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from functools import wraps

from flask import current_app, g, has_app_context, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session

from storefront import clock, i18n
from storefront.cart.services import SESSION_KEY as CART_KEY
from storefront.catalog.models import CatalogVersion
from storefront.extensions import cache, db

# Tables whose rows the public pages show.
WATCHED_TABLES = frozenset(
    {
        "products",
        "product_images",
        "certificates",
        "producers",
        "regions",
        "showrooms",
        "stock_locations",
        "stock_levels",
    }
)
CSRF_PLACEHOLDER = "csrf-token-of-the-visitor-f1b8c2"
GENERATION_MAX_AGE = 1.0  # seconds a process trusts the generation it read last
_CHANGED = "catalog_changed"
_RAISED_TO = "catalog_generation"


def cached_page(view):
    """Serve this GET view from the cache to visitors who all see the same page."""

    @wraps(view)
    def serve(*args, **kwargs):
        if not _same_for_everybody():
            return view(*args, **kwargs)
        key = _key()
        stored = _from_cache(key)
        if stored is None:
            response = _render_with_placeholder(view, args, kwargs)
            if response.status_code != 200 or response.is_streamed:
                return _with_visitor_token(response)
            stored = (response.get_data(), _headers_to_keep(response))
            _to_cache(key, stored)
        body, headers = stored
        response = current_app.response_class(body, headers=headers)
        return _with_visitor_token(response).make_conditional(request)

    return serve


@dataclass
class _KnownGeneration:
    """What this process knows of the catalogue's generation, and since when."""

    value: int | None = None
    read_at: float = 0.0


def generation() -> int:
    known = _known()
    now = time.monotonic()
    if known.value is None or now - known.read_at > GENERATION_MAX_AGE:
        known.value = db.session.scalar(select(CatalogVersion.generation)) or 0
        known.read_at = now
    return known.value


def _known() -> _KnownGeneration:
    return current_app.extensions.setdefault("page_cache_generation", _KnownGeneration())


def _same_for_everybody() -> bool:
    return (
        current_app.config["CACHE_TYPE"] != "NullCache"
        and request.method in ("GET", "HEAD")
        and not current_user.is_authenticated
        and not session.get("_flashes")
        and not session.get(CART_KEY)
    )


def _key() -> str:
    parts = (
        str(generation()),
        clock.today().isoformat(),
        i18n.select_locale(),
        request.host,
        request.full_path,
    )
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _from_cache(key: str):
    """The kept page, or None; a cache that does not answer (Redis down) is a miss, not an error."""
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 - any failure of the cache backend
        current_app.logger.warning("page cache unavailable", exc_info=True)
        return None


def _to_cache(key: str, stored) -> None:
    try:
        cache.set(key, stored)
    except Exception:  # noqa: BLE001 - any failure of the cache backend
        current_app.logger.warning("page cache unavailable", exc_info=True)


def _render_with_placeholder(view, args, kwargs):
    """The page with the placeholder where the visitor's form token goes (Flask-WTF keeps the
    request's token in ``g``)."""
    setattr(g, _csrf_field(), CSRF_PLACEHOLDER)
    try:
        return current_app.make_response(view(*args, **kwargs))
    finally:
        g.pop(_csrf_field(), None)


def _with_visitor_token(response):
    placeholder = CSRF_PLACEHOLDER.encode()
    if not response.is_streamed and placeholder in response.get_data():
        g.pop(_csrf_field(), None)  # made from this visitor's session, never reused
        response.set_data(response.get_data().replace(placeholder, generate_csrf().encode()))
    return response


def _csrf_field() -> str:
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")


def _headers_to_keep(response) -> list[tuple[str, str]]:
    return [
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in ("set-cookie", "content-length")
    ]


# --- the generation -----------------------------------------------------------------------------


@event.listens_for(Session, "after_flush")
def _note_flushed_changes(session, _flush_context) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        if getattr(obj, "__tablename__", None) in WATCHED_TABLES:
            session.info[_CHANGED] = True
            return


@event.listens_for(Session, "do_orm_execute")
def _note_statements(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if table is not None and table.name in WATCHED_TABLES:
            state.session.info[_CHANGED] = True


@event.listens_for(Session, "before_commit")
def _raise_generation(session) -> None:
    """The last statement before COMMIT, so the row is locked for as short a time as can be."""
    session.flush()
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


@event.listens_for(Session, "after_commit")
def _use_new_generation(session) -> None:
    """This process sees its own change at once."""
    raised = session.info.pop(_RAISED_TO, None)
    if raised is not None and has_app_context():
        known = _known()
        known.value, known.read_at = raised, time.monotonic()


@event.listens_for(Session, "after_rollback")
def _forget_changes(session) -> None:
    session.info.pop(_CHANGED, None)
    session.info.pop(_RAISED_TO, None)
