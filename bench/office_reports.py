"""Office sales reports over 100,000 synthetic order lines: each must answer well under a second.

    .venv/bin/python -m bench.office_reports [--lines 100000] [--repeat 7]
    .venv/bin/python -m bench.office_reports --database-url postgresql://…/bench_office

Builds a fresh database each run (a SQLite file in bench/.data/ by default; on PostgreSQL the
given database's tables are dropped and made again by the real migrations), adds synthetic
products (storefront.demo.synthetic), ~40,000 orders with 100,000 lines over the past year in
every status, and counter sales with returns, all by bulk inserts. Times each sales report
function for this month and for the whole year (p50 of several runs, each in its own
transaction). Prints a table and saves it as JSON in bench/results/.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

from flask_migrate import upgrade
from sqlalchemy import insert, select

from bench import harness
from storefront import create_app
from storefront.catalog.models import Product
from storefront.clock import today
from storefront.demo.synthetic import load_synthetic, refresh_statistics
from storefront.extensions import db
from storefront.inventory import services as inventory
from storefront.office import sales_reports as reports
from storefront.orders.models import Order, OrderEvent, OrderLine, OrderPart
from storefront.register.models import Producer, Showroom
from storefront.showrooms.models import Sale, SaleLine, SaleReturn

# "Well under a second": the page's default period (this month) under a quarter of a second, and
# even a whole year of the 100,000 lines under a second.
TARGET_MONTH_MS = 250.0
TARGET_YEAR_MS = 1000.0
STATUSES = [  # (status, weight, paid)
    ("delivered", 40, True),
    ("collected", 15, True),
    ("paid", 10, True),
    ("shipped", 8, True),
    ("refunded", 2, True),
    ("cancelled", 10, False),
    ("expired", 8, False),
    ("awaiting_payment", 4, False),
    ("placed", 3, False),
]
METHODS = ["bank_transfer", "cod", "card"]
CHUNK = 5_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--sale-lines", type=int, default=10_000)
    parser.add_argument("--products", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args()

    app = create_app(_config(args.database_url))
    with app.app_context():
        dialect = db.engine.dialect.name
        _fresh()
        upgrade()
        start = time.perf_counter()
        load_synthetic(args.products)
        db.session.commit()
        _seed(args.lines, args.sale_lines)
        refresh_statistics()
        print(f"seeded in {time.perf_counter() - start:.1f} s")
        now = today()
        periods = {
            "month": reports.sales_period(now, None, None),
            "year": (now - timedelta(days=365), now),
        }
        results = {}
        for period, (date_from, date_to) in periods.items():
            for name, (_label, build) in reports.SALES_REPORTS.items():
                results[f"{name} ({period})"] = _time(
                    lambda build=build, f=date_from, t=date_to: build(f, t), args.repeat
                )
        results["all six reports, a year"] = _time(
            lambda: reports.build_all_sales(*periods["year"]), args.repeat
        )
        db.session.remove()

    worst = {
        period: max(r["p50_ms"] for name, r in results.items() if name.endswith(f"({period})"))
        for period in ("month", "year")
    }
    report = {
        "benchmark": "office_reports",
        "database": dialect,
        "order_lines": args.lines,
        "counter_sale_lines": args.sale_lines,
        "products": args.products,
        "repeat": args.repeat,
        "target": f"each sales report p50 < {TARGET_MONTH_MS:.0f} ms for this month, "
        f"< {TARGET_YEAR_MS:.0f} ms for a year",
        "passed": worst["month"] < TARGET_MONTH_MS and worst["year"] < TARGET_YEAR_MS,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": harness.machine("in-process timings; nothing else of the benchmark runs"),
        "results": results,
    }
    _print(report)
    harness.save(report, f"office_reports-{dialect}-{args.lines}.json")
    return 0 if report["passed"] else 1


def _config(url: str | None):
    if not url:  # a new SQLite file for every run
        (harness.DATA / "office_reports.db").unlink(missing_ok=True)
    return harness.in_process_config("office_reports", url)


def _fresh() -> None:
    """An empty database: the SQLite file is new; PostgreSQL's public schema is made again."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
            connection.commit()


def _seed(lines: int, sale_lines: int) -> None:
    rng = random.Random(7)
    products = db.session.execute(
        select(
            Product.id, Product.code, Product.name, Product.price_vnd, Producer.id, Producer.name
        ).join(Producer, Producer.id == Product.producer_id)
    ).all()
    showroom_ids = db.session.scalars(select(Showroom.id)).all()  # the synthetic ones
    location_id = inventory.warehouse_of(products[0][4]).id
    now = datetime.now(UTC)
    statuses = [s for s, w, _p in STATUSES for _ in range(w)]
    paid_statuses = {s for s, _w, p in STATUSES if p}
    orders, parts, order_lines, events = [], [], [], []
    line_id = part_id = order_id = 0
    while line_id < lines:
        order_id += 1
        created = now - timedelta(seconds=rng.randrange(365 * 86400))
        status = rng.choice(statuses)
        pickup = status == "collected" or (
            status not in ("shipped", "delivered") and rng.random() < 0.3
        )
        method = "cash_at_pickup" if pickup and rng.random() < 0.5 else rng.choice(METHODS)
        paid_at = (
            created + timedelta(minutes=rng.randrange(5, 600)) if status in paid_statuses else None
        )
        chosen = rng.sample(products, min(rng.choice((1, 2, 2, 3, 4)), lines - line_id))
        by_producer: dict[int, int] = {}
        subtotal = 0
        for pid, code, name, price, producer_id, producer_name in chosen:
            if producer_id not in by_producer:
                part_id += 1
                by_producer[producer_id] = part_id
                parts.append(
                    {
                        "id": part_id,
                        "order_id": order_id,
                        "producer_id": producer_id,
                        "status": "delivered",
                    }
                )
            quantity = rng.choice((1, 1, 1, 2, 3))
            line_id += 1
            order_lines.append(
                {
                    "id": line_id,
                    "order_id": order_id,
                    "part_id": by_producer[producer_id],
                    "product_id": pid,
                    "location_id": location_id,
                    "product_code": code,
                    "product_name": name,
                    "unit": "hộp",
                    "producer_name": producer_name,
                    "unit_price_vnd": price,
                    "quantity": quantity,
                    "line_total_vnd": price * quantity,
                }
            )
            subtotal += price * quantity
        orders.append(
            {
                "id": order_id,
                "number": f"DHB{order_id:08d}",
                "idempotency_digest": f"bench-{order_id}",
                "access_digest": "0" * 64,
                "status": status,
                "fulfilment": "pickup" if pickup else "delivery",
                "payment_method": method,
                "contact_name": "Bench",
                "contact_phone": "0912345678",
                "pickup_showroom_id": rng.choice(showroom_ids) if pickup else None,
                "subtotal_vnd": subtotal,
                "shipping_vnd": 0,
                "total_vnd": subtotal,
                "created_at": created,
                "paid_at": paid_at,
            }
        )
        if status == "collected":
            events.append(
                {
                    "order_id": order_id,
                    "from_status": "ready_for_pickup",
                    "to_status": "collected",
                    "actor_name": "bench",
                    "created_at": paid_at + timedelta(hours=2),
                }
            )
    for table, rows in (
        (Order, orders),
        (OrderPart, parts),
        (OrderLine, order_lines),
        (OrderEvent, events),
    ):
        for i in range(0, len(rows), CHUNK):
            db.session.execute(insert(table), rows[i : i + CHUNK])
    sales, sale_rows, returns = [], [], []
    sale_id = 0
    while len(sale_rows) < sale_lines:
        sale_id += 1
        sold_at = now - timedelta(seconds=rng.randrange(365 * 86400))
        total = 0
        for pid, code, name, price, producer_id, producer_name in rng.sample(products, 2):
            quantity = rng.choice((1, 1, 2))
            sale_rows.append(
                {
                    "id": len(sale_rows) + 1,
                    "sale_id": sale_id,
                    "product_id": pid,
                    "producer_id": producer_id,
                    "product_code": code,
                    "product_name": name,
                    "unit": "hộp",
                    "producer_name": producer_name,
                    "stars": 4,
                    "unit_price_vnd": price,
                    "quantity": quantity,
                    "line_total_vnd": price * quantity,
                    "returned_quantity": 0,
                }
            )
            total += price * quantity
            if rng.random() < 0.03:
                sale_rows[-1]["returned_quantity"] = 1
                returns.append(
                    {
                        "sale_id": sale_id,
                        "line_id": sale_rows[-1]["id"],
                        "kind": "return",
                        "quantity": 1,
                        "amount_vnd": price,
                        "reason": "bench",
                        "actor_name": "bench",
                        "created_at": sold_at + timedelta(days=1),
                    }
                )
        sales.append(
            {
                "id": sale_id,
                "number": f"BHB{sale_id:08d}",
                "client_id": f"bench-{sale_id}",
                "showroom_id": rng.choice(showroom_ids),
                "status": "completed",
                "payment_method": rng.choice(("cash", "vietqr")),
                "total_vnd": total,
                "staff_name": "bench",
                "sold_at": sold_at,
                "recorded_at": sold_at,
            }
        )
    for table, rows in ((Sale, sales), (SaleLine, sale_rows), (SaleReturn, returns)):
        for i in range(0, len(rows), CHUNK):
            db.session.execute(insert(table), rows[i : i + CHUNK])
    db.session.commit()
    print(
        f"{len(orders)} orders, {len(order_lines)} order lines, {len(sales)} counter sales, "
        f"{len(sale_rows)} sale lines, {len(returns)} returns"
    )


def _time(run, repeat: int) -> dict:
    run()  # warm
    db.session.rollback()
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        timings.append((time.perf_counter() - start) * 1000)
        db.session.rollback()
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings), 2),
        "max_ms": round(timings[-1], 2),
        "min_ms": round(timings[0], 2),
    }


def _print(report: dict) -> None:
    print(
        f"\nOffice sales reports over {report['order_lines']} order lines and "
        f"{report['counter_sale_lines']} counter sale lines on {report['database']} "
        f"({report['repeat']} runs each, "
        f"load average {report['machine']['load_average_after'][0]:.1f})"
    )
    print(f"{'what':<40} {'p50 ms':>8} {'max ms':>8}")
    for name, r in report["results"].items():
        print(f"{name:<40} {r['p50_ms']:>8} {r['max_ms']:>8}")
    verdict = "PASSED" if report["passed"] else "FAILED"
    print(f"\n{verdict}: {report['target']}")


if __name__ == "__main__":
    sys.exit(main())
