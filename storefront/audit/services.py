"""record() writes one audit entry in the caller's transaction; search() and to_csv() read them.

Every service that changes a certificate, a price, a stock count, a role or a listing calls
record(), so the log holds the change whichever page, command or test made it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from storefront import spreadsheets
from storefront.accounts.models import User
from storefront.audit.models import AuditArea, AuditEntry
from storefront.clock import start_of_day
from storefront.domain import NotFound
from storefront.extensions import db
from storefront.folding import contains_pattern, fold

MAX_QUERY_LENGTH = 200

# Who made a change: a user, a named system process ("Hệ thống", a CLI job), or nobody known.
AuditActor = User | str | None


def actor_label(actor: AuditActor) -> str:
    """How the ledger names who did it: a user's name or e-mail (their phone or #id when they have
    neither), or a system process."""
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    return actor.display_name


def record(
    actor: AuditActor,
    area: AuditArea,
    action: str,
    subject: str,
    *,
    before: dict | None = None,
    after: dict | None = None,
    note: str | None = None,
) -> AuditEntry:
    """Add one entry (flushed, not committed: it stands or falls with the change it records)."""
    name = actor_label(actor)
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        actor_name=name,
        area=area,
        action=action,
        subject=subject[:400],
        before=_as_json(before),
        after=_as_json(after),
        note=(note or "").strip() or None,
        search_text=fold(" ".join(p for p in (subject, name, action, note or "") if p)),
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def _as_json(values: dict | None) -> str | None:
    if values is None:
        return None
    return json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)


@dataclass
class AuditFilters:
    q: str = ""
    area: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def search(filters: AuditFilters, limit: int | None = 200) -> list[AuditEntry]:
    """Entries matching every word of ``q`` (diacritics ignored), newest first."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    for word in fold(filters.q[:MAX_QUERY_LENGTH]).split()[:10]:
        query = query.where(AuditEntry.search_text.like(contains_pattern(word), escape="\\"))
    if filters.area in set(AuditArea):
        query = query.where(AuditEntry.area == filters.area)
    if filters.date_from:
        query = query.where(AuditEntry.at >= start_of_day(filters.date_from))
    if filters.date_to:
        query = query.where(AuditEntry.at < start_of_day(filters.date_to + timedelta(days=1)))
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def to_csv(entries: list[AuditEntry]) -> bytes:
    return spreadsheets.csv_file(
        ["time (Asia/Ho_Chi_Minh)", "by", "area", "action", "subject", "before", "after", "note"],
        (
            [e.at, e.actor_name, e.area, e.action, e.subject, e.before, e.after, e.note]
            for e in entries
        ),
    )


def record_of(entry_id: int) -> AuditEntry:
    """One entry; NotFound when there is none."""
    entry = db.session.get(AuditEntry, entry_id)
    if entry is None:
        raise NotFound(_("No such entry in the audit log."))
    return entry
