"""The PostgreSQL database and Redis database a script runs the shop on: checked, and emptied
before a run so it starts from nothing. Both refuse to empty what is not plainly theirs."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis


class RefusedToEmpty(ValueError):
    """The URL names a database this script must not empty."""


def fresh_postgres(url: str, prefix: str) -> str:
    """Create the database named in URL if missing, else drop and recreate its public schema.
    Its name must start with PREFIX. Returns the URL in the plain postgresql:// form."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "postgresql+psycopg"):
        raise RefusedToEmpty(f"only PostgreSQL URLs are supported, not {parts.scheme}://")
    name = parts.path.lstrip("/")
    if not name.startswith(prefix):
        raise RefusedToEmpty(
            f"refusing to empty database {name!r}: its name must start with {prefix!r}"
        )
    plain = urlunsplit(parts._replace(scheme="postgresql"))
    server = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(server, autocommit=True, connect_timeout=5) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(plain, autocommit=True, connect_timeout=5) as connection:
        connection.execute("DROP SCHEMA IF EXISTS public CASCADE")
        connection.execute("CREATE SCHEMA public")
    return plain


def fresh_redis(url: str) -> str:
    """Empty the Redis database named in URL (FLUSHDB: that database only). Database 0, the
    one every client uses when none is named, is refused: name a number of your own."""
    client = redis.Redis.from_url(url, socket_connect_timeout=5)
    try:
        number = client.connection_pool.connection_kwargs.get("db", 0)
        if int(number) == 0:
            raise RefusedToEmpty(
                f"refusing to empty Redis database 0 of {url}: name your own, e.g. …:6379/5"
            )
        client.flushdb()
    finally:
        client.close()
    return url


def redis_problem(url: str) -> str | None:
    """None when Redis at URL answers PING, else what went wrong."""
    client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        return f"Redis at {url} does not answer: {error}"
    finally:
        client.close()
    return None
