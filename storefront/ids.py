"""Row ids that arrive in URLs, forms and query strings: whole numbers a database id column can
hold. Anything else (a 30-digit number, "²", "-1") is no id, so it is refused as bad input
instead of reaching the database, where SQLite and PostgreSQL fail on it with a 500."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask
from werkzeug.routing import IntegerConverter

from storefront.numbers import parse_int

MAX_ID = 2**31 - 1  # PostgreSQL's integer; SQLite's is larger


def parse_id(raw: object) -> int:
    """``raw`` as an id; ValueError when it is not one (so it suits ``request.args.get(type=)``)."""
    return parse_int(raw, minimum=0, maximum=MAX_ID)


def posted_ids(form: Mapping[str, str], prefix: str) -> dict[int, str]:
    """``{id: value}`` of the fields named ``<prefix><id>``; fields with no id there are ignored."""
    values = {}
    for key, value in form.items():
        if key.startswith(prefix):
            try:
                values[parse_id(key.removeprefix(prefix))] = value
            except ValueError:
                continue
    return values


class IdConverter(IntegerConverter):
    """``<int:…>`` in a route: a URL with a number past MAX_ID is not found (404)."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 (werkzeug's name)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter  # before any blueprint adds its routes
