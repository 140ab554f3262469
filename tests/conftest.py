"""Fixtures: one app per test session, the schema made by the real migrations, and every test
starting from empty tables. TEST_DATABASE_URL picks the database (SQLite file by default); under
pytest-xdist every worker has a database of its own (see own_database_url).

Nothing a run writes lands in the checkout: the apps' instance folder (its generated secret key,
default uploads) is a temporary one, as are the SQLite files and uploads. Temporary files go to
/dev/shm where Linux has it: SQLite syncs every commit, and on disk that took half the time of the
SQLite suite."""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from pathlib import Path

# Before anything asks for a temporary folder; TMPDIR carries it to xdist workers and the
# processes tests start (Chromium, gunicorn, zbarimg). A TMPDIR of your own is kept.
if "TMPDIR" not in os.environ and os.access("/dev/shm", os.W_OK):
    os.environ["TMPDIR"] = tempfile.tempdir = "/dev/shm"
# Before config is imported: it reads INSTANCE_PATH once. Workers inherit the folder (and the key
# made below, before they start) from the process that made it, which removes it at exit.
if "INSTANCE_PATH" not in os.environ:
    os.environ["INSTANCE_PATH"] = tempfile.mkdtemp(prefix="storefront-instance-")
    atexit.register(shutil.rmtree, os.environ["INSTANCE_PATH"], ignore_errors=True)

import pytest
from flask_migrate import upgrade
from sqlalchemy import URL, create_engine, make_url, text
from sqlalchemy.exc import ProgrammingError

from config import TestingConfig, database_url
from storefront import create_app
from storefront.catalog import search_index
from storefront.extensions import cache, db, limiter
from storefront.register import generation
from tests import hypothesis_profiles

hypothesis_profiles.load()  # before any test module makes its settings
TestingConfig()  # makes the instance folder's secret key now, before workers start and race


# Folders whose tests share one costly thing per process (a live server and Chromium; two gunicorn
# instances): under pytest-xdist one worker runs each folder whole, in order, as a serial run
# would; the other tests go one by one to whichever worker is free.
WHOLE_FOLDERS = ("tests/browser/", "tests/scaleout/")


def pytest_xdist_make_scheduler(config, log):
    """xdist's load scheduling with WHOLE_FOLDERS kept together. (Its own xdist_group marks do
    nothing under pytest 9: xdist 3.8 groups by renaming node ids, which pytest 9 ignores.)"""
    if config.getvalue("dist") not in ("load", "loadgroup"):
        return None
    from xdist.scheduler import LoadScopeScheduling

    class WholeFolders(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return next((f for f in WHOLE_FOLDERS if nodeid.startswith(f)), nodeid)

    return WholeFolders(config, log)


def _test_config(folder: Path) -> TestingConfig:
    """The suite's settings, its SQLite file (when on SQLite) and uploads in ``folder``."""
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = own_database_url(os.environ.get("TEST_DATABASE_URL"), folder)
    config.BASE_URL = "http://shop.test"
    config.UPLOAD_DIR = str(folder / "uploads")
    if config.SQLALCHEMY_DATABASE_URI.startswith("postgresql"):
        # A commit does not wait for the disk (nothing of a test run must survive a crash of the
        # server); what a transaction sees and when it conflicts are unchanged.
        config.SQLALCHEMY_ENGINE_OPTIONS = {
            **config.SQLALCHEMY_ENGINE_OPTIONS,
            "connect_args": {"options": "-c synchronous_commit=off"},
        }
    return config


def worker_name() -> str:
    """This process's name under pytest-xdist (gw0, gw1, …), or "main" in a serial run."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def own_database_url(url: str | None, folder: Path) -> str:
    """The database this process tests on, never shared with another process of the run.

    SQLite (no TEST_DATABASE_URL): a fresh file of its own in ``folder`` (a new one per process);
    a SQLite file named in TEST_DATABASE_URL gets one file next to it per xdist worker.
    PostgreSQL: the database named in the URL for a serial run, and a database next to it per
    xdist worker (tests_gw0, tests_gw1, …); either is created when missing.
    """
    if not url:
        return f"sqlite:///{folder / (worker_name() + '.db')}"
    base = make_url(database_url(url))
    serial = worker_name() == "main"
    if base.get_backend_name() != "postgresql":
        if serial or base.database in (None, "", ":memory:"):
            return base.render_as_string(hide_password=False)
        path = Path(base.database)
        own = path.with_name(f"{path.stem}_{worker_name()}{path.suffix}")
        return base.set(database=str(own)).render_as_string(hide_password=False)
    name = base.database if serial else f"{base.database}_{worker_name()}"
    _create_postgres_database(base, name)
    return base.set(database=name).render_as_string(hide_password=False)


def _create_postgres_database(server: URL, name: str) -> None:
    """CREATE DATABASE name unless it exists, asked of the server's maintenance database (so the
    database named in TEST_DATABASE_URL need not exist either)."""
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).scalar()
            if not exists:
                quoted = connection.dialect.identifier_preparer.quote_identifier(name)
                try:
                    connection.execute(text(f"CREATE DATABASE {quoted}"))
                except ProgrammingError as error:  # another run made it meanwhile
                    if "already exists" not in str(error):
                        raise
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app(_test_config(tmp_path_factory.mktemp("storefront")))
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


RESTART_SEQUENCES = (
    "SELECT setval(oid::regclass, 1, false) FROM pg_class"
    " WHERE relkind = 'S' AND relnamespace = 'public'::regnamespace"
)


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
        generation.forget_remembered()  # nor what a page read once per generation
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as connection:
            # DELETE, children first, on both databases. PostgreSQL's TRUNCATE makes new files
            # for every table and index: about a second per test on a busy server, against
            # tens of milliseconds for emptying these small tables.
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))
            if connection.dialect.name == "postgresql":
                # Ids start at 1 again, as SQLite's do once a table is empty.
                connection.execute(text(RESTART_SEQUENCES))


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield app
        db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
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


@pytest.fixture
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


@pytest.fixture
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
