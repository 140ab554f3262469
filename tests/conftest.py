"""Fixtures: one app per test session, the schema made by the real migrations, and every test
starting from empty tables. TEST_DATABASE_URL picks the database (SQLite file by default)."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, text

from config import TestingConfig
from storefront import create_app
from storefront.catalog import search_index
from storefront.extensions import cache, db, limiter


def _test_config() -> TestingConfig:
    config = TestingConfig()
    url = os.environ.get("TEST_DATABASE_URL")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url:
        # Own SQLite file per run (and per xdist worker), so runs never share state.
        folder = Path(tempfile.mkdtemp(prefix="storefront-test-"))
        config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder / ((worker or 'main') + '.db')}"
    elif worker:
        # Parallel workers each get their own PostgreSQL database next to the one named.
        config.SQLALCHEMY_DATABASE_URI = _worker_database(config.SQLALCHEMY_DATABASE_URI, worker)
    config.BASE_URL = "http://shop.test"
    config.UPLOAD_DIR = tempfile.mkdtemp(prefix="storefront-uploads-")
    return config


def _worker_database(url: str, worker: str) -> str:
    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).scalar()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def app():
    app = create_app(_test_config())
    with app.app_context():
        _reset_schema()
        upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _reset_schema() -> None:
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        else:
            search_index.uninstall(connection)
            db.metadata.drop_all(connection)
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(autouse=True)
def _clean_tables(request):
    """Empty every table after each test that used the database."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    limiter.reset()  # rate limits count per test
    with app.app_context():
        cache.clear()  # pages cached by one test are not another's
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    connection.execute(text(f"DELETE FROM {table}"))


@pytest.fixture()
def app_ctx(app):
    with app.app_context():
        yield app
        db.session.rollback()


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def runner(app):
    return app.test_cli_runner()


def pytest_report_header(config):
    url = os.environ.get("TEST_DATABASE_URL") or "sqlite (temporary file)"
    return f"database: {re.sub(r'//[^@/]*@', '//***@', url)}"


class AuthActions:
    """Sign in and out through the real pages, as a person would."""

    def __init__(self, client):
        self._client = client

    def login(self, user_or_email, password="correct horse battery"):
        identifier = getattr(user_or_email, "email", None) or getattr(
            user_or_email, "phone", user_or_email
        )
        response = self._client.post(
            "/login", data={"identifier": identifier, "password": password}
        )
        assert response.status_code == 302, f"login of {identifier} failed"
        return response

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture()
def auth(client):
    return AuthActions(client)


class SmtpCollector:
    """A real SMTP server's (aiosmtpd) inbox: what the shop delivered."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, _server, _session, envelope):
        self.messages.append(envelope)
        return "250 OK"

    def texts(self) -> dict[str, str]:
        """Recipient → the plain text of the message sent to it."""
        import email
        import email.policy

        return {
            envelope.rcpt_tos[0]: email.message_from_bytes(
                envelope.content, policy=email.policy.default
            )
            .get_body(("plain",))
            .get_content()
            for envelope in self.messages
        }


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def smtp_server(app, monkeypatch):
    """A real SMTP server on a free port, and the shop configured to send through it."""
    from aiosmtpd.controller import Controller

    collector = SmtpCollector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", controller.port)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    yield collector
    controller.stop()
