"""The catalogue's generation: one number that every transaction changing what the public pages
show raises as it commits. Caches keyed by it (storefront/page_cache.py, the catalogue's rankings)
never serve what was true before a change.

Every transaction that writes products, prices, pictures, certificates, producers, places,
showrooms or stock raises it (the listeners below see ORM changes and UPDATE/INSERT/DELETE
statements alike), as the last statement before COMMIT. The process that committed uses the new
number at once; every other worker and instance reads it again from the database at most
GENERATION_MAX_AGE (one second) later, so reading it costs no query most of the time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app, has_app_context
from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session

from storefront.extensions import db
from storefront.register.models import CatalogVersion

# Tables whose rows the public pages show.
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
        "stock_levels",
    }
)
GENERATION_MAX_AGE = 1.0  # seconds a process trusts the generation it read last
_CHANGED = "catalog_changed"
_RAISED_TO = "catalog_generation"


@dataclass
class _KnownGeneration:
    """What this process knows of the catalogue's generation, and since when."""

    value: int | None = None
    read_at: float = 0.0


def current() -> int:
    known = _known()
    now = time.monotonic()
    if known.value is None or now - known.read_at > GENERATION_MAX_AGE:
        known.value = db.session.scalar(select(CatalogVersion.generation)) or 0
        known.read_at = now
    return known.value


def _known() -> _KnownGeneration:
    return current_app.extensions.setdefault("page_cache_generation", _KnownGeneration())


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
