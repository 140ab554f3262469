"""HTTP benchmark: the shop under gunicorn against its ceiling, with the same data, in the same run.

    python -m bench.http_pages                        # SQLite, 100,000 synthetic products
    python -m bench.http_pages --products 10000 --seconds 3
    python -m bench.http_pages --database-url postgresql://postgres@127.0.0.1:5432/bench_http

Steps: a fresh database (a new SQLite file, or an emptied PostgreSQL database whose name starts
with "bench"), the real migrations, PRODUCTS synthetic products (storefront/demo/synthetic.py).
Then, in this process, each page is requested once with the shop's test client and every SQL
statement it sends is recorded; that recording is the plan of the ceiling (bench/ceiling_app.py),
a bare Flask app that sends the same statements through a plain DB-API connection and writes the
rows out, with no shop logic. The QR image's ceiling is a static file of the same PNG.

Three servers run under gunicorn with the same workers and threads: the shop as deployed, the shop
with its page cache off (PAGE_CACHE_SECONDS=0: what a signed-in customer gets) and the ceiling.
wrk (Debian's package) drives each page on loopback on each server one after the other, ROUNDS
times, and the best run of each is kept. Printed and written to
bench/results/http_pages-<sqlite|postgresql>.json: requests per second, p50/p99 latency, SQL
queries per request (page cache warm and cold), and the ratios to the ceiling, with the targets of
the performance issue checked; search latency is measured with one client and no page cache.
"""

from __future__ import annotations

import argparse
import os
import pickle
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench import harness

PAGES = (  # name, path ({code} is a synthetic product with stock and a certificate history)
    ("catalogue", "/san-pham"),
    ("filtered catalogue", "/san-pham?stars=4&group=food&sort=price_asc"),
    ("product", "/san-pham/{code}"),
    ("QR check /q/", "/q/{code}"),
    ("search", "/san-pham?q=sam+day"),
    ("QR PNG", "/qr/{code}.png"),
    ("API list", "/api/v1/products"),
)
TARGETS = {  # page: least ratio to the ceiling
    "catalogue": 0.5,
    "filtered catalogue": 0.5,
    "product": 0.5,
    "QR PNG": 0.8,
}
SERVERS = (  # side, gunicorn app, settings of its own
    ("shop", "wsgi:app", {}),
    ("shop without page cache", "wsgi:app", {"PAGE_CACHE_SECONDS": "0"}),
    ("ceiling", "bench.ceiling_app:create()", {}),
)
MAX_QUERIES = 6
UNLIMITED = "1000000 per second"
SEARCH_P50_MS = 30


@dataclass
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk (make bench installs it)")
    work = Path(tempfile.mkdtemp(prefix="bench-http-"))
    servers = []
    try:
        url, kind = harness.fresh_database(args.database_url, work)
        # wrk is one client: the API's per-client rate limit would refuse it after 120 requests.
        env = {**harness.server_env(url, work), "API_RATE_LIMIT": UNLIMITED}
        os.environ.update(env)  # the in-process app below reads the same settings
        started = time.perf_counter()
        code, version = _seed(args.products)
        print(f"{args.products} synthetic products in {time.perf_counter() - started:.0f} s")
        pages = [(name, path.format(code=code)) for name, path in PAGES]
        plan, queries = _record(pages, work)
        plan_file = work / "ceiling-plan.pickle"
        plan_file.write_bytes(pickle.dumps(plan))

        bases = {}
        for side, app, extra in SERVERS:
            port = harness.free_port()
            server_env = {**env, **extra, "CEILING_PLAN": str(plan_file)}
            servers.append(
                harness.start_gunicorn(port, args.workers, args.threads, server_env, work, app=app)
            )
            bases[side] = f"http://127.0.0.1:{port}"
            harness.wait_until_up(bases[side], servers[-1])
        rows = _measure(args, pages, bases, queries)
        # Search speed itself: one client, nothing cached (else it measures the page cache).
        uncached = bases["shop without page cache"]
        single = _wrk(f"{uncached}{pages[4][1]}", args.seconds, connections=1)
    finally:
        for server in servers:
            harness.stop(server)
        shutil.rmtree(work, ignore_errors=True)
    report = _report(args, kind, version, rows, single)
    _print(report)
    harness.save(report, f"http_pages-{kind}.json")
    return 0


def _parse(argv):
    parser = argparse.ArgumentParser(
        prog="python -m bench.http_pages",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="PostgreSQL URL of a database named bench…; default: a new SQLite file",
    )
    cpus = os.cpu_count() or 1
    parser.add_argument("--workers", type=int, default=cpus, help="gunicorn workers (CPUs)")
    parser.add_argument("--threads", type=int, default=2, help="threads per worker (2)")
    parser.add_argument("--connections", type=int, default=2 * cpus, help="wrk connections")
    parser.add_argument("--seconds", type=int, default=4, help="length of one wrk run")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each; the best is kept")
    return parser.parse_args(argv)


# --- data and the ceiling's plan ----------------------------------------------------------------


def _seed(products: int) -> tuple[str, str]:
    """Migrations and the synthetic catalogue. Returns a product code to benchmark (one with stock,
    on a shelf and with an earlier certificate) and the database's version."""
    from flask_migrate import upgrade
    from sqlalchemy import select

    from config import Config
    from storefront import create_app
    from storefront.catalog.models import Certificate, Product
    from storefront.demo.synthetic import load_synthetic, refresh_statistics
    from storefront.extensions import db

    app = create_app(Config())
    with app.app_context():
        upgrade()
        load_synthetic(products, progress=print)
        db.session.commit()
        refresh_statistics()
        code = db.session.scalar(
            select(Product.code)
            .join(Certificate)
            .where(Certificate.status == "superseded")
            .order_by(Product.id)
            .limit(1)
        )
        version = harness.database_version(db)
        db.session.remove()
        db.engine.dispose()
    return code, version


def _record(pages, work: Path) -> tuple[dict, dict]:
    """The ceiling's plan (each page's statements and parameters with nothing cached) and the
    shop's queries per request, with its cache cold and warm."""
    from config import Config
    from storefront import create_app
    from storefront.extensions import db

    plan = {"pages": {}, "static": {}}
    queries = {}
    app = create_app(Config())
    client = app.test_client()
    with app.app_context():
        for name, path in pages:
            _clear_cache(app)
            answer, cold = _statements(client, path)
            if answer.status_code != 200:
                raise SystemExit(f"{path} answered {answer.status_code}")
            _, warm = _statements(client, path)
            queries[name] = {"cold": len(cold), "warm": len(warm)}
            if path.startswith("/qr/"):
                image = work / "qr.png"
                image.write_bytes(answer.data)
                plan["static"]["qr.png"] = str(image)
            else:
                plan["pages"][path] = {"statements": cold, "json": path.startswith("/api/")}
        db.session.remove()
        db.engine.dispose()
    return plan, queries


def _statements(client, path: str):
    """The answer to GET ``path`` and the SQL statements (with parameters) it took."""
    from sqlalchemy import event

    from storefront.extensions import db

    statements = []

    def record(_conn, _cursor, statement, parameters, *_rest):
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        answer = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return answer, statements


def _clear_cache(app) -> None:
    cache = app.extensions.get("cache")
    if cache:
        for backend in cache.values():
            backend.clear()


# --- load ---------------------------------------------------------------------------------------


def _measure(args, pages, bases: dict[str, str], queries: dict) -> list[dict]:
    """Each page on each server, one after the other, ROUNDS times; the best run of each kept."""
    for _name, path in pages:  # warm every server (caches, connections, imports), and check them
        for side, base in bases.items():
            _wrk(base + _path_on(side, path), 1, connections=1)
    best: dict[tuple[str, str], Run] = {}
    for round_ in range(args.rounds):
        print(f"round {round_ + 1} of {args.rounds}", flush=True)
        for name, path in pages:
            for side, base in bases.items():
                url = base + _path_on(side, path)
                run = _wrk(url, args.seconds, args.connections)
                if run.errors:
                    raise SystemExit(f"{url}: {run.errors} answers were not 2xx/3xx")
                if (name, side) not in best or run.rps > best[name, side].rps:
                    best[name, side] = run
    rows = []
    for name, path in pages:
        ceiling = best[name, "ceiling"].rps
        rows.append(
            {
                "page": name,
                "path": path,
                "ceiling_is": "a static file" if path.startswith("/qr/") else "the same SQL",
                **{side: asdict(best[name, side]) for side in bases},
                "ratio": round(best[name, "shop"].rps / ceiling, 2),
                "ratio_without_page_cache": round(
                    best[name, "shop without page cache"].rps / ceiling, 2
                ),
                "queries": queries[name],
            }
        )
    return rows


def _path_on(side: str, path: str) -> str:
    """The ceiling of a QR image is a static file of the same bytes."""
    return "/static-file/qr.png" if side == "ceiling" and path.startswith("/qr/") else path


_DURATION = re.compile(r"([\d.]+)(us|ms|s)\b")


def _wrk(url: str, seconds: int, connections: int) -> Run:
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: .*timeout (\d+)", output)
    return Run(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=_milliseconds(percentiles["50"]),
        p99_ms=_milliseconds(percentiles["99"]),
        requests=int(re.search(r"(\d+) requests in", output).group(1)),
        errors=(int(errors.group(1)) if errors else 0)
        + (int(socket_errors.group(1)) if socket_errors else 0),
    )


def _milliseconds(text: str) -> float:
    value, unit = _DURATION.match(text).groups()
    return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 2)


# --- the report ---------------------------------------------------------------------------------


def _report(args, kind: str, version: str, rows: list[dict], single: Run) -> dict:
    by_page = {row["page"]: row for row in rows}
    checks = {
        f"{page} ≥ {least:.0%} of the ceiling": by_page[page]["ratio"] >= least
        for page, least in TARGETS.items()
    }
    checks[f"≤ {MAX_QUERIES} queries per page"] = all(
        row["queries"]["cold"] <= MAX_QUERIES for row in rows
    )
    checks[f"search p50 ≤ {SEARCH_P50_MS} ms (one client, no page cache)"] = (
        single.p50_ms <= SEARCH_P50_MS
    )
    return {
        "benchmark": "http_pages",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": kind,
        "database_version": version,
        "products": args.products,
        "server": {
            "program": "gunicorn",
            "worker_class": "gthread",
            "workers": args.workers,
            "threads": args.threads,
        },
        "settings": {"API_RATE_LIMIT": UNLIMITED},
        "load": {
            "program": "wrk",
            "connections": args.connections,
            "seconds": args.seconds,
            "rounds": args.rounds,
            "kept": "the round with the most requests per second, for each page and side",
        },
        "machine": harness.machine("wrk, the shop and the ceiling share the machine"),
        "pages": rows,
        "search_one_client": asdict(single),
        "median_ratio": statistics.median(row["ratio"] for row in rows),
        "checks": checks,
        "ok": all(checks.values()),
    }


def _print(report: dict) -> None:
    print(
        f"\nhttp_pages on {report['database']} ({report['database_version']}), "
        f"{report['products']:,} products, gunicorn {report['server']['workers']} workers × "
        f"{report['server']['threads']} threads, wrk {report['load']['connections']} connections, "
        f"{report['machine']['nproc']} CPUs\n"
    )
    print(
        "| page | shop req/s | p50 / p99 ms | queries warm / cold | no page cache req/s "
        "| ceiling req/s | p50 / p99 ms | ratio | ratio, no page cache |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in report["pages"]:
        shop, cold, ceiling = row["shop"], row["shop without page cache"], row["ceiling"]
        print(
            f"| {row['page']} | {shop['rps']:.0f} | {shop['p50_ms']} / {shop['p99_ms']} "
            f"| {row['queries']['warm']} / {row['queries']['cold']} | {cold['rps']:.0f} "
            f"| {ceiling['rps']:.0f} | {ceiling['p50_ms']} / {ceiling['p99_ms']} "
            f"| {row['ratio']:.2f} | {row['ratio_without_page_cache']:.2f} |"
        )
    single = report["search_one_client"]
    print(
        f"\nsearch, one client, no page cache: p50 {single['p50_ms']} ms, p99 {single['p99_ms']} ms"
    )
    for check, passed in report["checks"].items():
        print(f"  {'ok  ' if passed else 'MISS'} {check}")


if __name__ == "__main__":
    raise SystemExit(main())
