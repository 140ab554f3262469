"""Two gunicorn instances of the shop on PostgreSQL and Redis (scripts/scaleout.py), started once
for this folder's tests and stopped after them, whatever happens.

They run in the PostgreSQL half of `make test`: TEST_DATABASE_URL names the server, and the
instances get a database of their own next to it (scaleout_<name>). Redis is TEST_REDIS_URL
(default redis://127.0.0.1:6379/6; that database is emptied; parallel workers take the next
numbers). On SQLite the tests are skipped; without Redis they are skipped loudly, and
REQUIRE_POSTGRES=1 (CI) turns that into a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import make_url

from scripts.backing_services import redis_problem
from scripts.scaleout import DATABASE_PREFIX, ScaleOut, running_pair
from tests.scaleout.pages import LOGIN_LIMIT

DEFAULT_TEST_REDIS_URL = "redis://127.0.0.1:6379/6"


def scaleout_database_url() -> str | None:
    """A database of our own on the PostgreSQL server of this test run, or None on SQLite."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql")):
        return None
    base = make_url(url)
    name = f"{DATABASE_PREFIX}_{base.database}"
    if worker := os.environ.get("PYTEST_XDIST_WORKER"):
        name += f"_{worker}"
    return base.set(drivername="postgresql", database=name).render_as_string(hide_password=False)


def scaleout_redis_url() -> str:
    parts = urlsplit(os.environ.get("TEST_REDIS_URL", DEFAULT_TEST_REDIS_URL))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    number = int(parts.path.strip("/") or 0) + int(worker.removeprefix("gw"))
    return urlunsplit(parts._replace(path=f"/{number}"))


@pytest.fixture(scope="package")
def pair() -> Iterator[ScaleOut]:
    database_url = scaleout_database_url()
    if database_url is None:
        pytest.skip("scale-out runs on PostgreSQL only (the PostgreSQL half of make test)")
    redis_url = scaleout_redis_url()
    if problem := redis_problem(redis_url):
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"REQUIRE_POSTGRES=1 and the scale-out tests need Redis: {problem}")
        pytest.skip(f"SCALE-OUT TESTS SKIPPED: {problem}")
    settings = {"LOGIN_RATE_LIMIT": f"{LOGIN_LIMIT} per minute"}
    # One worker each: the page cache shows a change at once in the process that made it (and
    # within GENERATION_MAX_AGE elsewhere), so with one process per instance "at once on this
    # instance" is exact.
    with running_pair(database_url, redis_url, workers=1, threads=4, settings=settings) as pair:
        yield pair
