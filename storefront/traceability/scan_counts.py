"""Counting /q/ scans for the office, without anything about the person who scanned.

What one scan adds is a key and 1: the day, the product and batch scanned (or, for a code not in
the register, the code tried, shortened to CODE_KEPT characters), what the check said (the
certificate's state, whether the batch was past its expiry date) and whether the page came from
the page cache. No address, cookie, device, language or time of day is read or kept.

Counting must not slow /q/ down, so a scan waits for nothing: each process adds its scans up in
memory (a lock and a dict) and, after a response has gone out, at most every SCAN_FLUSH_SECONDS,
sends them on in one go:
- with REDIS_URL, one pipeline of HINCRBY into a hash shared by every process and instance;
  ``flask scans fold`` (cron, every minute) moves the hash into the database;
- without Redis, one INSERT of all of them into the database.
A process that dies loses at most those seconds of counts; one that stops sends what it holds.
Counting is told what the page said by a header the page sets (kept with the page in the page
cache, taken off before the answer leaves), so a page served from the cache is counted the same.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import re
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import date
from functools import partial, wraps
from typing import Any

from flask import Flask, Response, current_app, g
from sqlalchemy import delete, func, insert, select

from storefront import clock
from storefront.catalog.models import Product
from storefront.extensions import db
from storefront.traceability.models import Period, ProductBatch, ScanCount, UnknownScanCount

log = logging.getLogger(__name__)

SCAN_HEADER = "X-Ocop-Scan"  # set by the page, read and removed by count_scans
REDIS_HASH = "scan-counts"  # after CACHE_KEY_PREFIX ("ocop:")
REDIS_FOLDING = "scan-counts:folding:"
CODE_KEPT = 24
_NOT_CODE = re.compile(r"[^A-Za-z0-9_/-]")
_RENDERED = "scan_page_rendered"


def shorten_code(code: str) -> str:
    """The code tried, as kept: at most CODE_KEPT characters, anything but letters, digits,
    ``-``, ``_`` and ``/`` replaced by ``?``, capitals as codes are printed."""
    kept = _NOT_CODE.sub("?", code.strip()[:CODE_KEPT]).upper()
    return kept + ("…" if len(code.strip()) > CODE_KEPT else "")


# --- the page says what it answered ------------------------------------------------------------


def tag_registered(
    response: Response, product_id: int, batch_id: int | None, verdict: str, batch_expired: bool
) -> Response:
    g.setdefault(_RENDERED, True)
    response.headers[SCAN_HEADER] = (
        f"p|{product_id}|{batch_id or 0}|{verdict}|{int(bool(batch_expired))}"
    )
    return response


def tag_unknown(response: Response, code_tried: str) -> Response:
    g.setdefault(_RENDERED, True)
    response.headers[SCAN_HEADER] = f"u|{shorten_code(code_tried)}"
    return response


def count_scans(view: Callable[..., Any]) -> Callable[..., Response]:
    """Count every answer of this view (put it outside @cached_page) that a page tagged."""

    @wraps(view)
    def counted(*args: Any, **kwargs: Any) -> Response:
        g.pop(_RENDERED, None)
        response = current_app.make_response(view(*args, **kwargs))
        tag = response.headers.pop(SCAN_HEADER, None)
        if tag and current_app.config["SCAN_COUNTING"]:
            from_cache = not g.pop(_RENDERED, False)
            _count(response, f"{clock.today().isoformat()}|{int(from_cache)}|{tag}")
        return response

    return counted


# --- adding one --------------------------------------------------------------------------------


class _Buffer:
    """This process's counts not yet written (no Redis)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.written_at = time.monotonic()

    def add(self, key: str, n: int = 1) -> bool:
        """Add; True when it is time to write (the caller writes after its response)."""
        with self.lock:
            self.counts[key] += n
            due = time.monotonic() - self.written_at >= current_app.config["SCAN_FLUSH_SECONDS"]
            if due:
                self.written_at = time.monotonic()
            return due

    def take(self) -> Counter[str]:
        with self.lock:
            taken, self.counts = self.counts, Counter()
            return taken


def _buffer(app: Flask) -> _Buffer:
    return app.extensions.setdefault("scan_buffer", _Buffer())


def _redis(app: Flask) -> Any:
    client = app.extensions.get("scan_redis")
    if client is None and app.config.get("REDIS_URL"):
        import redis

        client = app.extensions["scan_redis"] = redis.Redis.from_url(
            app.config["REDIS_URL"], socket_timeout=0.5
        )
    return client


def _prefixed(app: Flask, name: str) -> str:
    return f"{app.config.get('CACHE_KEY_PREFIX', '')}{name}"


def _count(response: Response, key: str) -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not _buffer(app).add(key):
        return
    if app.config["SCAN_FLUSH_SECONDS"] <= 0:
        _write_in_context(app)  # 0: every scan written at once (the tests read it back)
    else:
        response.call_on_close(partial(_write_in_context, app))


def _write_in_context(app: Flask) -> None:
    try:
        with app.app_context():
            write_buffered(app)
    except Exception:  # noqa: BLE001 - never fail a response that has gone out
        log.exception("writing scan counts failed; they are kept for the next write")


def write_buffered(app: Flask) -> int:
    """Send this process's counts on now: with Redis, into its hash in one pipeline of HINCRBY
    (they reach the database with the next fold; returns 0); else into the database (returns how
    many scans). A database write that fails puts them back in the buffer."""
    buffer = _buffer(app)
    counts = buffer.take()
    if not counts:
        return 0
    client = _redis(app)
    if client is not None:
        try:
            pipeline = client.pipeline(transaction=False)
            name = _prefixed(app, REDIS_HASH)
            for key, n in counts.items():
                pipeline.hincrby(name, key, n)
            pipeline.execute()
            return 0
        except Exception:  # noqa: BLE001 - Redis away: straight into the database instead
            log.warning("scan counts: Redis unavailable, written to the database", exc_info=True)
    try:
        written = write_counts(counts)
        db.session.commit()
    except Exception:
        db.session.rollback()
        for key, n in counts.items():
            buffer.add(key, n)
        raise
    return written


def init_app(app: Flask) -> None:
    """Write what a process still holds when it stops (gunicorn's graceful stop, the CLI)."""
    atexit.register(partial(_write_at_exit, app))


def _write_at_exit(app: Flask) -> None:
    if app.extensions.get("scan_buffer") and app.extensions["scan_buffer"].counts:
        _write_in_context(app)


# --- into the database -------------------------------------------------------------------------


def write_counts(counts: dict[str, int]) -> int:
    """Add rows for ``counts`` (keys as made by count_scans) in the caller's transaction. Keys
    that cannot be read are dropped. Returns the number of scans written."""
    known: list[dict] = []
    unknown: list[dict] = []
    for key, n in counts.items():
        parts = key.split("|")
        try:
            day, from_cache = date.fromisoformat(parts[0]), parts[1] == "1"
            if parts[2] == "p" and len(parts) == 7:
                known.append(
                    {
                        "period": Period.DAY,
                        "day": day,
                        "product_id": int(parts[3]),
                        "batch_id": int(parts[4]) or None,
                        "verdict": parts[5][:16],
                        "batch_expired": parts[6] == "1",
                        "from_cache": from_cache,
                        "count": int(n),
                    }
                )
            elif parts[2] == "u" and len(parts) == 4:
                unknown.append(
                    {
                        "period": Period.DAY,
                        "day": day,
                        "code_tried": parts[3][: CODE_KEPT + 1],
                        "from_cache": from_cache,
                        "count": int(n),
                    }
                )
        except (ValueError, IndexError):
            log.warning("scan count key not understood, dropped: %r", key)
    known = _still_registered(known)
    if known:
        db.session.execute(insert(ScanCount), known)
    if unknown:
        db.session.execute(insert(UnknownScanCount), unknown)
    return sum(r["count"] for r in known + unknown)


def _still_registered(rows: list[dict]) -> list[dict]:
    """Counts of products (and batches) that still exist: one removed meanwhile is not counted."""
    if not rows:
        return rows
    products = set(
        db.session.scalars(
            select(Product.id).where(Product.id.in_({r["product_id"] for r in rows}))
        )
    )
    batch_ids = {r["batch_id"] for r in rows if r["batch_id"]}
    batches = (
        set(db.session.scalars(select(ProductBatch.id).where(ProductBatch.id.in_(batch_ids))))
        if batch_ids
        else set()
    )
    return [
        r
        for r in rows
        if r["product_id"] in products and (r["batch_id"] is None or r["batch_id"] in batches)
    ]


def fold(app: Flask) -> int:
    """Move the counts waiting in Redis (and this process's) into the database; returns how many
    scans. Safe to run anywhere at once: each batch of counts is renamed away by one folder."""
    written = write_buffered(app)  # this process's: 0 when they went to Redis first
    client = _redis(app)
    if client is None:
        return written
    import redis

    folding = _prefixed(app, REDIS_FOLDING)
    with contextlib.suppress(redis.ResponseError):  # no such hash: nothing counted since
        client.rename(_prefixed(app, REDIS_HASH), f"{folding}{uuid.uuid4().hex}")
    for name in client.scan_iter(match=f"{folding}*"):
        counts = {k.decode(): int(v) for k, v in client.hgetall(name).items()}
        written += write_counts(counts)
        db.session.commit()
        client.delete(name)
    return written


def sum_old_days_by_month(today: date, keep_days: int) -> int:
    """Day counts older than ``keep_days`` become one row per month and what was counted; the
    day rows go. Returns how many day rows were summed."""
    cutoff = date.fromordinal(today.toordinal() - keep_days)
    summed = 0
    for model, columns in (
        (ScanCount, ("product_id", "batch_id", "verdict", "batch_expired", "from_cache")),
        (UnknownScanCount, ("code_tried", "from_cache")),
    ):
        old = (model.period == Period.DAY) & (model.day < cutoff)
        rows = db.session.execute(
            select(model.day, *(getattr(model, c) for c in columns), model.count).where(old)
        ).all()
        months: Counter[tuple] = Counter()
        for row in rows:
            months[(row[0].replace(day=1), *row[1:-1])] += row[-1]
        if months:
            db.session.execute(
                insert(model),
                [
                    {
                        "period": Period.MONTH,
                        "day": key[0],
                        **dict(zip(columns, key[1:], strict=True)),
                        "count": n,
                    }
                    for key, n in months.items()
                ],
            )
        db.session.execute(delete(model).where(old))
        summed += len(rows)
    return summed


def total_scans() -> int:
    """Every scan counted in the database (for the command's report)."""
    return (db.session.scalar(select(func.sum(ScanCount.count))) or 0) + (
        db.session.scalar(select(func.sum(UnknownScanCount.count))) or 0
    )
