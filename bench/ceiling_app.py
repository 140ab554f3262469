"""The ceiling: a bare Flask app that answers each benchmarked page by sending the very SQL the shop
sent for it (recorded by bench/http_pages.py) through a plain DB-API connection, and writing the
rows out as text or JSON: no ORM, templates, sessions, translations or shop logic. The QR page's
ceiling is a static file of the same PNG.

    gunicorn 'bench.ceiling_app:create()'   (CEILING_PLAN=<pickle file>, DATABASE_URL=...)
"""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
import threading

from flask import Flask, Response, abort, request, send_file

_local = threading.local()


def create() -> Flask:
    with open(os.environ["CEILING_PLAN"], "rb") as plan_file:
        plan = pickle.load(plan_file)
    url = os.environ["DATABASE_URL"]
    app = Flask(__name__)

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.get("/static-file/<name>")
    def static_file(name: str):
        return send_file(plan["static"][name], mimetype="image/png")

    @app.get("/<path:_path>")
    def replay(_path: str):
        page = plan["pages"].get(request.full_path.rstrip("?"))
        if page is None:
            abort(404)
        rows = []
        cursor = _connection(url).cursor()
        for statement, parameters in page["statements"]:
            cursor.execute(statement, parameters)
            rows.extend(cursor.fetchall())
        if page["json"]:
            return Response(json.dumps(rows, default=str), mimetype="application/json")
        return Response("\n".join(map(str, rows)), mimetype="text/html")

    return app


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
