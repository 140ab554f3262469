"""The ceiling: what a bare Flask app does with the same database, under the same gunicorn: one
indexed query and a Jinja template of the same number of cards. No ORM, sessions, translations,
cache or shop logic. The shop's pages are measured against it (bench/http_pages.py).

    gunicorn 'bench.ceiling_app:create()'   (DATABASE_URL=..., CEILING_PLAN=<json file>)

- ``/cards?n=24``: 24 products by ``ORDER BY id LIMIT 24`` (the primary key), as 24 cards;
- ``/product/<code>``: one product by its code (unique index), as a page;
- ``/cards.json?n=24``: the same 24 rows as JSON (the API list's ceiling);
- ``/static-file/qr.png``: a static file of the QR image (the QR image's ceiling).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from pathlib import Path

from flask import Flask, Response, abort, render_template, send_file
from jinja2 import DictLoader

_local = threading.local()

CARDS = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Sản phẩm OCOP</title>
<link rel="stylesheet" href="/static/css/site.css"></head>
<body><header><a href="/">OCOP</a></header><main><h1>Sản phẩm</h1>
<ul class="cards">
{% for id, code, name, price, unit, grp in rows %}
<li class="card"><a class="card-link" href="/san-pham/{{ code }}">
  <img class="card-img" src="/static/img/groups/{{ grp }}.svg" alt="" width="400" height="300">
  <span class="card-body"><span class="card-name">{{ name }}</span>
  <span class="card-foot">{{ "{:,}".format(price).replace(",", ".") }} ₫ / {{ unit }}</span></span>
</a></li>
{% endfor %}
</ul></main></body></html>"""

PRODUCT = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{{ row[2] }}</title></head>
<body><main><h1>{{ row[2] }}</h1>
<p>{{ "{:,}".format(row[3]).replace(",", ".") }} ₫ / {{ row[4] }}</p>
<p>{{ row[6] or "" }}</p><p><code>{{ row[1] }}</code></p>
</main></body></html>"""

COLUMNS = 'id, code, name, price_vnd, unit, "group"'


def create() -> Flask:
    url = os.environ["DATABASE_URL"]
    plan = json.loads(Path(os.environ["CEILING_PLAN"]).read_text())
    app = Flask(__name__)
    # Templates loaded by name, compiled once (as any Flask app's files are), not per request.
    app.jinja_loader = DictLoader({"cards.html": CARDS, "product.html": PRODUCT})

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.get("/cards")
    def cards():
        return render_template("cards.html", rows=_rows(url))

    @app.get("/cards.json")
    def cards_json():
        keys = ("id", "code", "name", "price_vnd", "unit", "group")
        return Response(
            json.dumps({"items": [dict(zip(keys, row, strict=True)) for row in _rows(url)]}),
            mimetype="application/json",
        )

    @app.get("/product/<code>")
    def product(code: str):
        cursor = _connection(url).cursor()
        cursor.execute(
            f"SELECT {COLUMNS}, description FROM products WHERE code = {_mark(url)}", (code,)
        )
        row = cursor.fetchone()
        if row is None:
            abort(404)
        return render_template("product.html", row=row)

    @app.get("/static-file/<name>")
    def static_file(name: str):
        return send_file(plan["static"][name], mimetype="image/png")

    return app


def _rows(url: str, n: int = 24) -> list:
    cursor = _connection(url).cursor()
    cursor.execute(f"SELECT {COLUMNS} FROM products ORDER BY id LIMIT {int(n)}")
    return cursor.fetchall()


def _mark(url: str) -> str:
    return "?" if url.startswith("sqlite") else "%s"


def _connection(url: str):
    """One connection per thread, opened on first use, like a pool of one."""
    connection = getattr(_local, "connection", None)
    if connection is None:
        if url.startswith("sqlite:///"):
            connection = sqlite3.connect(url.removeprefix("sqlite:///"), check_same_thread=False)
        else:
            import psycopg

            connection = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
            connection.autocommit = True
        _local.connection = connection
    return connection
