"""The production set-up, run for real on this machine: two gunicorn instances of the shop on one
PostgreSQL database and one Redis, with the same production settings, as they would run behind a
proxy on two machines.

    python -m scripts.scaleout            # or: make scaleout
    python -m scripts.scaleout --database-url postgresql://postgres@127.0.0.1:5432/scaleout \\
        --redis-url redis://127.0.0.1:6379/5 --workers 2

The PostgreSQL database is created if missing and emptied if present, so its name must start with
"scaleout"; the Redis database is emptied (FLUSHDB, that database only), so it must not be 0.
Then, as on a deploy: `flask db upgrade`, `flask seed-demo`, and two instances on free ports
sharing DATABASE_URL, REDIS_URL, SECRET_KEY (random, made for this run), STOREFRONT_ENV=production,
BASE_URL and one upload folder, each with an instance folder of its own (as on its own machine).
It prints both URLs and the demo accounts, and stops both on Ctrl+C or SIGTERM.

tests/scaleout/ runs the same instances through running_pair().
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import redis

from bench.harness import ROOT, free_port, gunicorn_log, start_gunicorn, stop, wait_until_up
from scripts.backing_services import RefusedToEmpty, fresh_postgres, fresh_redis

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/scaleout"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/5"
DATABASE_PREFIX = "scaleout"
INSTANCES = ("a", "b")


class ServerDidNotStart(RuntimeError):
    """An instance exited, or did not answer /healthz in time (its log says why)."""


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str
    note: str


@dataclass
class ScaleOut:
    """Two running instances of the shop: their base URLs, the demo accounts, their logs."""

    urls: tuple[str, str]
    accounts: list[DemoAccount]
    folders: tuple[Path, Path]  # each instance's own folder, with its gunicorn log
    servers: tuple[subprocess.Popen, ...] = field(repr=False, default=())

    def account(self, email: str) -> DemoAccount:
        return next(a for a in self.accounts if a.email == email)

    def stopped(self) -> list[str]:
        """URLs of the instances whose gunicorn has exited."""
        return [url for url, s in zip(self.urls, self.servers, strict=True) if s.poll() is not None]


def production_env(database_url: str, redis_url: str, work: Path) -> dict[str, str]:
    """What every instance shares, as a production deployment sets it."""
    return {
        "STOREFRONT_ENV": "production",
        "FLASK_DEBUG": "0",
        "SECRET_KEY": secrets.token_hex(32),  # one key for all instances: sessions, CSRF
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,  # rate limits and the cache, counted and kept together
        "PROXY_FIX": "0",  # clients reach each instance directly here; behind one nginx: 1
        "UPLOAD_DIR": str(work / "uploads"),  # product pictures: one folder (a shared volume)
    }


@contextmanager
def running_pair(
    database_url: str = DEFAULT_DATABASE_URL,
    redis_url: str = DEFAULT_REDIS_URL,
    *,
    workers: int = 2,
    threads: int = 4,
    settings: dict[str, str] | None = None,
) -> Iterator[ScaleOut]:
    """Empty both databases, migrate, load the demo, start two instances; yield them once both
    answer /healthz; stop both when the block ends, however it ends. SETTINGS are more
    environment variables for both instances (e.g. LOGIN_RATE_LIMIT)."""
    work = Path(tempfile.mkdtemp(prefix="scaleout-"))
    servers: list[subprocess.Popen] = []
    folders = tuple(work / name for name in INSTANCES)
    try:
        database_url = fresh_postgres(database_url, DATABASE_PREFIX)
        env = production_env(database_url, fresh_redis(redis_url), work)
        ports = _two_free_ports()
        urls = tuple(f"http://127.0.0.1:{port}" for port in ports)
        env["BASE_URL"] = urls[0]  # the one public origin; here the first instance stands for it
        env.update(settings or {})
        deploy = work / "deploy"
        _flask(env, deploy, "db", "upgrade")
        _flask(env, deploy, "seed-demo")
        accounts = read_demo_accounts(deploy / "demo-accounts.txt")
        for port, folder in zip(ports, folders, strict=True):
            folder.mkdir()
            instance_env = {**env, "INSTANCE_PATH": str(folder)}
            servers.append(
                start_gunicorn(port, workers, threads, instance_env, folder, access_log=True)
            )
        for url, port, server, folder in zip(urls, ports, servers, folders, strict=True):
            try:
                wait_until_up(url, server, seconds=60)
            except SystemExit as gone:  # the harness's way of saying so, for a command
                raise ServerDidNotStart(f"{url}: {gone}\n{_log_tail(folder, port)}") from None
        yield ScaleOut(urls, accounts, folders, tuple(servers))
    finally:
        for server in servers:
            stop(server)
        shutil.rmtree(work, ignore_errors=True)


def _two_free_ports() -> tuple[int, int]:
    first = free_port()
    second = free_port()
    while second == first:
        second = free_port()
    return first, second


def _log_tail(folder: Path, port: int, lines: int = 30) -> str:
    log = gunicorn_log(folder, port)
    text = log.read_text(errors="replace") if log.exists() else "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def _flask(env: dict[str, str], instance: Path, *args: str) -> None:
    """One `flask` command of a deploy, in the production environment."""
    command = [str(Path(sys.executable).with_name("flask")), "--app", "wsgi", *args]
    done = subprocess.run(
        command,
        cwd=ROOT,
        env={**os.environ, **env, "INSTANCE_PATH": str(instance)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise RuntimeError(f"`flask {' '.join(args)}` failed:\n{done.stdout}{done.stderr}")


def read_demo_accounts(path: Path) -> list[DemoAccount]:
    """The accounts `flask seed-demo` wrote: role, e-mail, password, then the note."""
    accounts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            role, email, password, *note = line.split()
            accounts.append(DemoAccount(role, email, password, " ".join(note)))
    return accounts


# --- the command ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    for stop_signal in (signal.SIGINT, signal.SIGTERM):  # even where SIGINT came in ignored
        signal.signal(stop_signal, _interrupt)
    started = time.perf_counter()
    try:
        with running_pair(
            args.database_url, args.redis_url, workers=args.workers, threads=args.threads
        ) as pair:
            _announce(pair, time.perf_counter() - started)
            while not (gone := pair.stopped()):
                time.sleep(0.5)
            print(f"!! {', '.join(gone)} stopped by itself; stopping the other.", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        print("\nBoth instances stopped.")
        return 0
    except (RefusedToEmpty, ServerDidNotStart, RuntimeError, OSError) as error:
        print(f"!! {error}", file=sys.stderr)
        return 1
    except (psycopg.Error, redis.RedisError) as error:  # a database that does not answer
        print(f"!! {error}", file=sys.stderr)
        return 1


def _interrupt(signum, frame) -> None:
    # Stopping now: a second Ctrl+C must not cut the stopping short and leave servers behind.
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, signal.SIG_IGN)
    raise KeyboardInterrupt


def _parse(argv):
    parser = argparse.ArgumentParser(
        prog="python -m scripts.scaleout",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help=f"PostgreSQL database named {DATABASE_PREFIX}… (default: %(default)s)",
    )
    parser.add_argument(
        "--redis-url",
        default=DEFAULT_REDIS_URL,
        help="Redis database, not 0 (default: %(default)s)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    return parser.parse_args(argv)


def _announce(pair: ScaleOut, seconds: float) -> None:
    print(f"Two instances of OCOP Storefront are up ({seconds:.1f} s):")
    for name, url, folder in zip(INSTANCES, pair.urls, pair.folders, strict=True):
        log = gunicorn_log(folder, int(url.rsplit(":", 1)[1]))
        print(f"  {name}: {url}    log: {log}")
    print("Demo accounts (the same on both):")
    for account in pair.accounts:
        print(f"  {account.role:<9} {account.email:<28} {account.password}   {account.note}")
    print("Stop both with Ctrl+C.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
