"""Search benchmark: "sam day" over 100,000 synthetic products must answer with p50 < 30 ms.

    .venv/bin/python -m bench.search [--products 100000] [--repeat 60]
    BENCH_DATABASE_URL=postgresql://…/bench_search .venv/bin/python -m bench.search

The database (a SQLite file in bench/.data/ by default) is made by the real migrations and
filled by storefront.demo.synthetic once; later runs reuse it. Times the catalogue service
(count + one page, as the catalogue and the API run it), the suggestion box's query, and whole
HTTP requests through the WSGI app. Prints a table and saves it as JSON in bench/results/.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime

from flask_migrate import upgrade

from bench import harness
from storefront import create_app
from storefront.catalog import listing
from storefront.clock import today
from storefront.extensions import db

TARGET_P50_MS = 30.0
SERVICE_QUERIES = ["sam day", "sam day ngoc linh", "dak glei", "ca phe arabika", "zzzzqqq"]
HTTP_PATHS = ["/san-pham?q=sam+day", "/san-pham/goi-y?q=sam+day", "/api/v1/products?q=sam+day"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=60)
    args = parser.parse_args()

    app = create_app(harness.in_process_config("search"))
    with app.app_context():
        dialect = db.engine.dialect.name
        upgrade()
        harness.ensure_synthetic_products(args.products)
        results = {
            f"service: {q}": _time(lambda q=q: _search(q), args.repeat) for q in SERVICE_QUERIES
        }
        results["service: suggestions for sam day"] = _time(
            lambda: listing.suggest("sam day", today()), args.repeat
        )
        db.session.remove()
    client = app.test_client()
    for path in HTTP_PATHS:
        results[f"http: GET {path}"] = _time(lambda path=path: _get(client, path), args.repeat)

    headline = results["service: sam day"]["p50_ms"]
    report = {
        "benchmark": "search",
        "database": dialect,
        "products": args.products,
        "repeat": args.repeat,
        "target": f'"sam day" p50 < {TARGET_P50_MS} ms',
        "passed": headline < TARGET_P50_MS,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": harness.machine("in-process timings; nothing else of the benchmark runs"),
        "results": results,
    }
    _print(report)
    harness.save(report, f"search-{dialect}-{args.products}.json")
    return 0 if report["passed"] else 1


def _search(q: str) -> int:
    page = listing.list_products(listing.CatalogFilters(q=q), today(), 24)
    db.session.rollback()  # each search in its own transaction, as each request is
    return page.total


def _get(client, path: str) -> int:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(response.data)


def _time(run, repeat: int) -> dict:
    run()  # warm: caches, prepared plans
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
        "mean_ms": round(statistics.fmean(timings), 2),
        "min_ms": round(timings[0], 2),
    }


def _print(report: dict) -> None:
    print(
        f"\nSearch over {report['products']} synthetic products on {report['database']} "
        f"({report['repeat']} runs each, "
        f"load average {report['machine']['load_average_after'][0]:.1f})"
    )
    print(f"{'what':<52} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}")
    for name, r in report["results"].items():
        print(f"{name:<52} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['mean_ms']:>8}")
    verdict = "PASSED" if report["passed"] else "FAILED"
    print(f"\n{verdict}: {report['target']}")


if __name__ == "__main__":
    sys.exit(main())
