"""What the benchmarks share: a fresh database, gunicorn on a free port, percentiles, the machine.

A PostgreSQL database is emptied before use, so its name must start with "bench".
"""

from __future__ import annotations

import json
import math
import os
import platform
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from scripts.backing_services import RefusedToEmpty, fresh_postgres

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
DATA = Path(__file__).resolve().parent / ".data"  # databases kept between runs (not in git)


def in_process_config(name: str, url: str | None = None):
    """Settings for a benchmark that drives the app in its own process: the database of URL
    (else BENCH_DATABASE_URL, else the SQLite file bench/.data/NAME.db, kept between runs) and
    no rate limits."""
    import config

    url = url or os.environ.get("BENCH_DATABASE_URL")
    if not url:
        DATA.mkdir(exist_ok=True)
        url = f"sqlite:///{DATA / f'{name}.db'}"
    settings = config.Config()
    settings.SQLALCHEMY_DATABASE_URI = config.database_url(url)
    settings.RATELIMIT_ENABLED = False
    return settings


def ensure_synthetic_products(wanted: int) -> None:
    """At least WANTED synthetic products in the app's database (only what is missing is
    loaded; a database filled by an earlier run is reused)."""
    from sqlalchemy import func, select

    from storefront.catalog.models import Product
    from storefront.demo.synthetic import CODE_PREFIX, load_synthetic, refresh_statistics
    from storefront.extensions import db

    have = db.session.scalar(
        select(func.count()).select_from(Product).where(Product.code.like(f"{CODE_PREFIX}%"))
    )
    if have >= wanted:
        print(f"{have} synthetic products already there")
        return
    start = time.perf_counter()
    load_synthetic(wanted - have, progress=print)
    db.session.commit()
    refresh_statistics()
    print(f"loaded in {time.perf_counter() - start:.1f} s")


def fresh_database(url: str | None, work: Path) -> tuple[str, str]:
    """A new SQLite file in WORK, or the PostgreSQL database of URL emptied (its name must start
    with "bench"). Returns the URL and the kind of database."""
    if not url:
        return f"sqlite:///{work / 'bench.db'}", "sqlite"
    try:
        return fresh_postgres(url, "bench"), "postgresql"
    except RefusedToEmpty as refused:
        sys.exit(str(refused))


def server_env(url: str, work: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-" + os.urandom(16).hex(),  # the same in every worker
        "INSTANCE_PATH": str(work / "instance"),
        "UPLOAD_DIR": str(work / "uploads"),
        "BASE_URL": "",
    }


def database_version(db) -> str:
    from sqlalchemy import text

    if db.engine.dialect.name == "sqlite":
        return "SQLite " + db.session.execute(text("select sqlite_version()")).scalar()
    return db.session.execute(text("show server_version")).scalar().split()[0]


# --- the server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(
    port: int,
    workers: int,
    threads: int,
    env: dict,
    folder: Path,
    app: str = "wsgi:app",
    access_log: bool = False,
):
    """gunicorn (gthread) on 127.0.0.1:PORT in its own process group (``stop`` ends it and its
    workers), its log in ``gunicorn_log(folder, port)``. Each gets its own control socket: by
    default every gunicorn of a user takes ~/.gunicorn/gunicorn.ctl from the one before."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn) if gunicorn.exists() else "gunicorn",
        *("--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads)),
        *("--worker-class", "gthread", "--backlog", "2048", "--timeout", "120"),
        *("--control-socket", str(folder / f"gunicorn-{port}.ctl")),
        *(("--access-logfile", "-") if access_log else ("--log-level", "warning")),
        app,
    ]
    with gunicorn_log(folder, port).open("w") as log:  # the server keeps its own copy
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def gunicorn_log(folder: Path, port: int) -> Path:
    return folder / f"gunicorn-{port}.log"


def wait_until_up(base: str, server, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before answering")
        try:
            if requests.get(base + "/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz in time")


def stop(server) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)  # gunicorn and its workers: our own group only
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]  # nearest rank


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def machine(note: str) -> dict:
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_after": [round(x, 2) for x in load] if load else None,
        "note": note,
    }


def save(report: dict, name: str) -> Path:
    """Write REPORT as JSON to bench/results/NAME, and say where."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / name
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print(f"written to {path.relative_to(ROOT)}")
    return path
