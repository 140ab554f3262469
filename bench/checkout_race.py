"""Checkout race benchmark: BUYERS concurrent buyers for a product with UNITS units, against a
real server (gunicorn, several workers and threads) on a fresh database.

    python -m bench.checkout_race --buyers 200 --units 50
    python -m bench.checkout_race --buyers 200 --units 50 \\
        --database-url postgresql://postgres@127.0.0.1:5432/bench_race

SQLite: a new file in a temporary folder. PostgreSQL: the database named in the URL is created if
missing and emptied (its public schema dropped) if present, so its name must start with "bench".
Then: migrations, one product with UNITS units in its producer's warehouse, gunicorn, the buyers
(bench/race_client.py: product page, add to cart, checkout page, then all submit together), and
the checks: exactly min(UNITS, BUYERS) orders, the rest a 400 "sold out", no 5xx, and the ledger
sums to the quantity. Prints the checkout POST's p50/p99 and writes
bench/results/checkout_race-<sqlite|postgresql>.json. Exit status 1 when a check fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import harness
from bench.race_client import race

PRODUCT_CODE = "BENCH1"
PRODUCT_NAME = "Mật ong bạc hà Mèo Vạc"


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-checkout-race-"))
    try:
        url, kind = harness.fresh_database(args.database_url, work)
        env = harness.server_env(url, work)
        os.environ.update(env)  # the in-process app below reads the same settings
        setup_started = time.perf_counter()
        _migrate_and_seed(args.units)
        setup_seconds = time.perf_counter() - setup_started
        port = harness.free_port()
        server = harness.start_gunicorn(port, args.workers, args.threads, env, work)
        try:
            base = f"http://127.0.0.1:{port}"
            harness.wait_until_up(base, server)
            started = time.perf_counter()
            outcomes = race(base, PRODUCT_CODE, args.buyers, timeout=args.timeout)
            race_seconds = time.perf_counter() - started
        finally:
            harness.stop(server)
        stored = _read_back(args.units)
        report = _report(args, kind, outcomes, stored, race_seconds, setup_seconds)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _print(report)
    harness.save(report, f"checkout_race-{kind}.json")
    return 0 if report["ok"] else 1


def _parse(argv):
    parser = argparse.ArgumentParser(
        prog="python -m bench.checkout_race",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--buyers", type=int, default=200)
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="PostgreSQL URL of a database named bench…; default: a new SQLite file",
    )
    cpus = os.cpu_count() or 1
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * cpus,
        help="gunicorn worker processes (default: 2 × CPUs)",
    )
    parser.add_argument("--threads", type=int, default=8, help="threads per worker (default 8)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds a buyer waits")
    args = parser.parse_args(argv)
    if args.buyers < 1 or args.units < 1:
        parser.error("--buyers and --units must be at least 1")
    return args


# --- the database -------------------------------------------------------------------------------


def _migrate_and_seed(units: int) -> None:
    """Schema by the real migrations; one province with a commune; one certified product with
    ``units`` received at its producer's warehouse."""
    from flask_migrate import upgrade

    from config import Config
    from storefront import create_app
    from storefront.catalog.certificates import expiry_date
    from storefront.catalog.models import Certificate, Product
    from storefront.clock import today
    from storefront.extensions import db
    from storefront.inventory import services as inventory
    from storefront.register.models import NATIONAL_SOURCE, Producer, Region

    app = create_app(Config())
    with app.app_context():
        upgrade()
        # Checkout delivers to the country's units (`flask regions sync` loads them, marked
        # national); the bench makes one of each instead of loading 3,355.
        province = Region(code="BENCH-P", name="Tỉnh Thử", kind="province", source=NATIONAL_SOURCE)
        commune = Region(
            code="BENCH-C", name="Xã Thử", kind="commune", parent=province, source=NATIONAL_SOURCE
        )
        producer = Producer(
            code="BENCHP", name="HTX Thử", legal_form="cooperative", region=province
        )
        product = Product(
            code=PRODUCT_CODE,
            name=PRODUCT_NAME,
            producer=producer,
            region=province,
            group="food",
            unit="hũ",
            price_vnd=250_000,
        )
        issued = today() - timedelta(days=100)
        db.session.add_all(
            [
                province,
                commune,
                producer,
                product,
                Certificate(
                    product=product,
                    stars=4,
                    score=80,
                    level="province",
                    decision_number="1/BENCH",
                    issued_on=issued,
                    expires_on=expiry_date(issued),
                    status="active",
                ),
            ]
        )
        db.session.flush()
        warehouse = inventory.warehouse_of(producer.id)
        inventory.receive(product.id, warehouse.id, units, actor="bench")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def _read_back(units: int) -> dict:
    from sqlalchemy import func, select

    from config import Config
    from storefront import create_app
    from storefront.catalog.models import Product
    from storefront.extensions import db
    from storefront.inventory import services as inventory
    from storefront.inventory.models import StockLevel
    from storefront.orders.models import Order, OrderLine

    app = create_app(Config())
    with app.app_context():
        product = db.session.scalar(select(Product).filter_by(code=PRODUCT_CODE))
        warehouse = inventory.warehouse_of(product.producer_id).id
        level = db.session.execute(
            select(StockLevel.quantity, StockLevel.reserved).filter_by(
                product_id=product.id, location_id=warehouse
            )
        ).one()
        stored = {
            "orders": db.session.scalar(select(func.count()).select_from(Order)),
            "units_ordered": db.session.scalar(
                select(func.coalesce(func.sum(OrderLine.quantity), 0))
            ),
            "quantity": level.quantity,
            "reserved": level.reserved,
            "available": inventory.available(product.id, warehouse),
            "ledger_sum": inventory.ledger_sum(product.id, warehouse),
            "database_version": harness.database_version(db),
        }
        db.session.remove()
        db.engine.dispose()
    return stored


# --- the report ---------------------------------------------------------------------------------


def _report(args, kind, outcomes, stored, race_seconds, setup_seconds) -> dict:
    statuses = Counter(o.status for o in outcomes)
    made = [o for o in outcomes if o.ordered]
    sold_out = [o for o in outcomes if o.status == 400 and o.message and PRODUCT_NAME in o.message]
    server_errors = [o for o in outcomes if o.status is not None and o.status >= 500]
    client_errors = [o for o in outcomes if o.error]
    other = len(outcomes) - len(made) - len(sold_out) - len(server_errors) - len(client_errors)
    latencies = [o.seconds for o in outcomes if o.status is not None]
    expected_orders = min(args.units, args.buyers)
    checks = {
        "orders made == units": len(made) == expected_orders,
        "orders stored == units": stored["orders"] == expected_orders,
        "units ordered == units": stored["units_ordered"] == expected_orders,
        "everyone else told sold out": len(sold_out) == args.buyers - expected_orders,
        "no 5xx": not server_errors,
        "no buyer errors": not client_errors,
        "quantity unchanged": stored["quantity"] == args.units,
        "reserved == orders": stored["reserved"] == expected_orders,
        "ledger sum == quantity": stored["ledger_sum"] == stored["quantity"],
        "available == units - orders": stored["available"] == args.units - expected_orders,
    }
    return {
        "benchmark": "checkout_race",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": kind,
        "database_version": stored["database_version"],
        "buyers": args.buyers,
        "units": args.units,
        "server": {
            "program": "gunicorn",
            "worker_class": "gthread",
            "workers": args.workers,
            "threads": args.threads,
        },
        "machine": harness.machine(
            "buyers are threads of one Python process on the same machine as the server"
        ),
        "checkout_post_ms": {
            "p50": harness.ms(harness.percentile(latencies, 0.50)),
            "p99": harness.ms(harness.percentile(latencies, 0.99)),
            "max": harness.ms(max(latencies, default=None)),
            "mean": harness.ms(statistics.fmean(latencies)) if latencies else None,
            "p50_order_made": harness.ms(harness.percentile([o.seconds for o in made], 0.50)),
            "p50_sold_out": harness.ms(harness.percentile([o.seconds for o in sold_out], 0.50)),
        },
        "race_seconds": round(race_seconds, 2),
        "setup_seconds": round(setup_seconds, 2),
        "totals": {
            "orders_made": len(made),
            "sold_out_answers": len(sold_out),
            "server_errors": len(server_errors),
            "buyer_errors": len(client_errors),
            "other_answers": other,
            "http_statuses": {str(k): v for k, v in sorted(statuses.items(), key=str)},
            "sold_out_messages": dict(Counter(o.message for o in sold_out)),
            "error_samples": sorted({o.error for o in client_errors})[:5],
        },
        "stored": {k: v for k, v in stored.items() if k != "database_version"},
        "checks": checks,
        "ok": all(checks.values()),
    }


def _print(report: dict) -> None:
    totals, latency, stored = report["totals"], report["checkout_post_ms"], report["stored"]
    print(
        f"checkout race on {report['database']} ({report['database_version']}): "
        f"{report['buyers']} buyers, {report['units']} units, gunicorn "
        f"{report['server']['workers']} workers × {report['server']['threads']} threads, "
        f"{report['machine']['nproc']} CPUs"
    )
    print(
        f"  checkout POST: p50 {latency['p50']} ms, p99 {latency['p99']} ms, "
        f"max {latency['max']} ms (race {report['race_seconds']} s)"
    )
    print(
        f"  orders made {totals['orders_made']}, sold out {totals['sold_out_answers']}, "
        f"5xx {totals['server_errors']}, buyer errors {totals['buyer_errors']}, "
        f"other {totals['other_answers']}"
    )
    for message, count in totals["sold_out_messages"].items():
        print(f"    {count} × “{message}”")
    for sample in totals["error_samples"]:
        print(f"    error: {sample}")
    print(
        f"  stock: quantity {stored['quantity']}, reserved {stored['reserved']}, "
        f"available {stored['available']}, ledger sum {stored['ledger_sum']}"
    )
    for name, passed in report["checks"].items():
        if not passed:
            print(f"  FAILED: {name}")
    print("  all checks passed" if report["ok"] else "  SOME CHECKS FAILED")


if __name__ == "__main__":
    sys.exit(main())
