"""Every /q/ answer is counted per product, batch and day — from the page cache or not — and
nothing about the person who scanned is stored with the count."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from sqlalchemy import inspect, text

from storefront.clock import today
from storefront.extensions import db
from storefront.traceability import scan_counts
from storefront.traceability.models import Period, ScanCount, UnknownScanCount
from tests.factories import make_certificate, make_product
from tests.traceability.helpers import make_batch, scans_counted, unknown_scans_counted

A_VISITOR = {
    "User-Agent": "Mozilla/5.0 (Linux; Android 14; Pixel-SECRET-UA)",
    "Accept-Language": "vi-VN,vi;q=0.9",
    "Cookie": "tracking=visitor-cookie-4711",
    "X-Forwarded-For": "203.0.113.77",
}


def test_product_scans_are_counted_whether_the_page_is_cached_or_not(client, app_ctx):
    product = make_product()
    for _ in range(3):
        assert client.get(f"/q/{product.code}").status_code == 200

    assert scans_counted(product_id=product.id, day=today(), verdict="valid") == 3
    assert scans_counted(product_id=product.id, from_cache=False) == 1  # made once
    assert scans_counted(product_id=product.id, from_cache=True) == 2  # then from the cache


def test_the_scan_header_never_leaves_the_shop(client, app_ctx):
    product = make_product()
    first, second = client.get(f"/q/{product.code}"), client.get(f"/q/{product.code}")
    for response in (first, second, client.get("/q/NOPE42")):
        assert scan_counts.SCAN_HEADER not in response.headers


def test_batch_scans_count_for_the_batch_and_say_when_it_was_past_its_date(client, app_ctx):
    product = make_product()
    fresh = make_batch(product, 10, today() - timedelta(days=3), today() + timedelta(days=30))
    old = make_batch(product, 10, today() - timedelta(days=90), today() - timedelta(days=1))
    client.get(f"/q/{product.code}/{fresh.code}")
    client.get(f"/q/{product.code}/{old.code}")
    client.get(f"/q/{product.code}/{old.code}")

    assert scans_counted(batch_id=fresh.id, batch_expired=False) == 1
    assert scans_counted(batch_id=old.id, batch_expired=True) == 2
    assert scans_counted(product_id=product.id) == 3


def test_scans_of_a_revoked_certificate_are_counted_as_such(client, app_ctx):
    product = make_product(stars=None)
    make_certificate(product, status="revoked", revoked_on=date.today(), revoked_reason="x")
    client.get(f"/q/{product.code}")
    assert scans_counted(product_id=product.id, verdict="revoked") == 1


def test_unknown_codes_are_counted_per_day_with_the_code_shortened(client, app_ctx):
    for _ in range(5):
        assert client.get("/q/FAKE99").status_code == 404
    long_code = "X" * 30
    client.get(f"/q/{long_code}")
    client.get("/q/ABC<script>")

    assert unknown_scans_counted(code_tried="FAKE99", day=today()) == 5
    assert unknown_scans_counted(code_tried="X" * 24 + "…") == 1
    assert unknown_scans_counted(code_tried="ABC?SCRIPT?") == 1


def test_an_unknown_batch_of_a_known_product_counts_as_an_unknown_code(client, app_ctx):
    product = make_product()
    client.get(f"/q/{product.code}/ZZZZZZ")
    assert unknown_scans_counted(code_tried=f"{product.code}/ZZZZZZ") == 1
    assert scans_counted(product_id=product.id) == 0


def test_no_personal_data_is_stored_with_a_scan_count(client, app_ctx):
    product = make_product()
    batch = make_batch(product)
    client.get(f"/q/{product.code}", headers=A_VISITOR)
    client.get(f"/q/{product.code}/{batch.code}", headers=A_VISITOR)
    client.get("/q/NOTREAL7", headers=A_VISITOR)
    assert scans_counted() == 2
    assert unknown_scans_counted() == 1

    # The tables have no column that could hold anything about a person...
    columns = {
        table: {c["name"] for c in inspect(db.engine).get_columns(table)}
        for table in ("scan_counts", "unknown_scan_counts")
    }
    assert columns == {
        "scan_counts": {
            "id",
            "period",
            "day",
            "product_id",
            "batch_id",
            "verdict",
            "batch_expired",
            "from_cache",
            "count",
        },
        "unknown_scan_counts": {"id", "period", "day", "code_tried", "from_cache", "count"},
    }
    # ...and nothing the visitor sent is in any of their rows.
    stored = " ".join(
        str(value)
        for table in ("scan_counts", "unknown_scan_counts")
        for row in db.session.execute(text(f"SELECT * FROM {table}"))
        for value in row
    )
    for secret in ("203.0.113", "SECRET-UA", "visitor-cookie", "Pixel", "vi-VN", "127.0.0.1"):
        assert secret not in stored


def test_counting_off_counts_nothing(client, app, app_ctx, monkeypatch):
    monkeypatch.setitem(app.config, "SCAN_COUNTING", False)
    product = make_product()
    client.get(f"/q/{product.code}")
    client.get("/q/FAKE01")
    assert scans_counted() == 0
    assert unknown_scans_counted() == 0


def test_buffered_counts_wait_for_their_time_then_go_in_one_write(
    client, app, app_ctx, monkeypatch
):
    monkeypatch.setitem(app.config, "SCAN_FLUSH_SECONDS", 3600)
    scan_counts._buffer(app).written_at = 0.0  # last written long ago: the next scan is due
    product = make_product()
    client.get(f"/q/{product.code}")  # due: this one is handed to the write after the response
    for _ in range(4):
        client.get(f"/q/{product.code}")  # not due for an hour: kept in the process
    assert scans_counted(product_id=product.id) == 0  # the test client never closed a response
    assert scan_counts.write_buffered(app) == 5
    assert scans_counted(product_id=product.id) == 5
    assert scan_counts.write_buffered(app) == 0


def test_old_days_are_summed_by_month_and_recent_days_kept(app_ctx):
    product = make_product()
    now = date(2026, 11, 30)
    rows = [(date(2025, 9, 3), 2), (date(2025, 9, 20), 5), (date(2025, 10, 1), 1), (now, 7)]
    for day, n in rows:
        db.session.add(ScanCount(day=day, product_id=product.id, verdict="valid", count=n))
    db.session.add(UnknownScanCount(day=date(2025, 9, 4), code_tried="FAKE", count=3))
    db.session.commit()

    summed = scan_counts.sum_old_days_by_month(now, keep_days=400)
    db.session.commit()

    assert summed == 4  # three product day rows and one unknown-code day row were over 400 days
    months = {(r.day, r.count) for r in db.session.query(ScanCount).filter_by(period=Period.MONTH)}
    assert months == {(date(2025, 9, 1), 7), (date(2025, 10, 1), 1)}
    assert [(r.day, r.count) for r in db.session.query(ScanCount).filter_by(period=Period.DAY)] == [
        (now, 7)
    ]
    assert scans_counted() == 15  # nothing lost
    assert unknown_scans_counted(period=Period.MONTH, code_tried="FAKE") == 3


def test_compact_command_uses_the_configured_retention(app, app_ctx, runner, monkeypatch):
    product = make_product()
    db.session.add(
        ScanCount(day=today() - timedelta(days=20), product_id=product.id, verdict="valid", count=4)
    )
    db.session.commit()
    monkeypatch.setitem(app.config, "SCAN_RETENTION_DAYS", 10)
    result = runner.invoke(args=["scans", "compact"])
    assert "1 day rows older than 10 days" in result.output
    db.session.expire_all()
    assert scans_counted(period=Period.MONTH) == 4


@pytest.fixture
def redis_counting(app, monkeypatch):
    """Counting through a real Redis (a database and key prefix of this test's own)."""
    redis = pytest.importorskip("redis")
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/6")
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {url}")
    prefix = f"test-scans-{os.getpid()}:"
    monkeypatch.setitem(app.config, "REDIS_URL", url)
    monkeypatch.setitem(app.config, "CACHE_KEY_PREFIX", prefix)
    app.extensions.pop("scan_redis", None)
    yield client, prefix
    app.extensions.pop("scan_redis", None)
    for key in client.scan_iter(match=f"{prefix}*"):
        client.delete(key)


def test_with_redis_scans_wait_there_until_the_fold_job(
    client, app, app_ctx, runner, redis_counting
):
    redis_client, prefix = redis_counting
    product = make_product()
    client.get(f"/q/{product.code}")
    client.get(f"/q/{product.code}")
    client.get("/q/FAKE77")
    assert scans_counted() == 0  # nothing written by the page
    assert sum(int(v) for v in redis_client.hvals(f"{prefix}scan-counts")) == 3

    result = runner.invoke(args=["scans", "fold"])

    assert "3 scans written" in result.output
    assert scans_counted(product_id=product.id) == 2
    assert unknown_scans_counted(code_tried="FAKE77") == 1
    assert not redis_client.exists(f"{prefix}scan-counts")
    assert "0 scans written" in runner.invoke(args=["scans", "fold"]).output


def test_with_redis_away_the_counts_go_straight_to_the_database(client, app, app_ctx, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens
    app.extensions.pop("scan_redis", None)
    product = make_product()
    try:
        assert client.get(f"/q/{product.code}").status_code == 200
    finally:
        app.extensions.pop("scan_redis", None)
    assert scans_counted(product_id=product.id) == 1
