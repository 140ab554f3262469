"""Sitemap benchmark: every file of /sitemap.xml must answer in under 200 ms at 100,000 products.

    .venv/bin/python -m bench.sitemap [--products 100000] [--repeat 20]
    BENCH_DATABASE_URL=postgresql://…/bench_sitemap .venv/bin/python -m bench.sitemap

The database (a SQLite file in bench/.data/ by default) is made by the real migrations and filled
by storefront.demo.synthetic once; later runs reuse it. Times whole HTTP requests through the WSGI
app for the index, the pages file and every products file (10,000 addresses each), twice: as
deployed (from the page cache, keyed by the catalogue's generation) and made afresh (page cache
off: the first request after any change of the catalogue pays this). Prints a table and saves it
as JSON in bench/results/.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime
from xml.etree import ElementTree

from flask_migrate import upgrade
from sqlalchemy import text

from bench import harness
from storefront import create_app
from storefront.extensions import db

TARGET_MS = 200.0
LOC = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    cached_app = create_app(_config(page_cache=True))
    with cached_app.app_context():
        dialect = db.engine.dialect.name
        upgrade()
        harness.ensure_synthetic_products(args.products)
        if dialect == "sqlite":  # fold the loader's write-ahead log into the file first
            db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.session.remove()
    fresh_app = create_app(_config(page_cache=False))

    paths = _sitemap_paths(cached_app.test_client())
    results: dict[str, dict] = {}
    listed = 0
    for label, app in (("cached", cached_app), ("afresh", fresh_app)):
        client = app.test_client()
        for path in paths:
            results[f"{label}: GET {path}"] = _time(
                lambda c=client, p=path: _get(c, p), args.repeat
            )
    for path in paths[1:]:
        answer = cached_app.test_client().get(path)
        listed += len(ElementTree.fromstring(answer.data).findall(f".//{LOC}"))

    worst_cached = max(r["p95_ms"] for k, r in results.items() if k.startswith("cached"))
    worst_afresh = max(r["p95_ms"] for k, r in results.items() if k.startswith("afresh"))
    report = {
        "benchmark": "sitemap",
        "database": dialect,
        "products": args.products,
        "addresses": listed,
        "repeat": args.repeat,
        "target": f"every sitemap file p95 < {TARGET_MS} ms as deployed (page cache on)",
        "passed": worst_cached < TARGET_MS,
        "worst_p95_ms_cached": worst_cached,
        "worst_p95_ms_afresh": worst_afresh,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": harness.machine("in-process WSGI requests; nothing else of the benchmark runs"),
        "results": results,
    }
    _print(report)
    harness.save(report, f"sitemap-{dialect}-{args.products}.json")
    return 0 if report["passed"] else 1


def _config(page_cache: bool):
    settings = harness.in_process_config("sitemap")
    settings.BASE_URL = "https://ocop.example.vn"
    settings.ALLOWED_HOSTS = ["localhost"]  # the test client's host
    if not page_cache:
        settings.CACHE_TYPE = "NullCache"
    return settings


def _sitemap_paths(client) -> list[str]:
    index = ElementTree.fromstring(client.get("/sitemap.xml").data)
    return ["/sitemap.xml"] + [
        loc.text.removeprefix("https://ocop.example.vn") for loc in index.iter(LOC)
    ]


def _get(client, path: str) -> int:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(response.data)


def _time(run, repeat: int) -> dict:
    run()  # warm: the page cache, prepared plans
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 2),
        "mean_ms": round(statistics.fmean(timings), 2),
        "max_ms": round(timings[-1], 2),
    }


def _print(report: dict) -> None:
    print(
        f"\nSitemap over {report['products']} synthetic products on {report['database']}: "
        f"{report['addresses']} addresses ({report['repeat']} runs each)"
    )
    print(f"{'what':<44} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, r in report["results"].items():
        print(f"{name:<44} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['max_ms']:>8}")


if __name__ == "__main__":
    sys.exit(main())
