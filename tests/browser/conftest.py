"""Browser tests: a live server with its own demo database, driven by Debian's Chromium.

Every test in this folder is marked ``browser``. Without Chromium or the zbar library they are
skipped with a loud notice, unless REQUIRE_BROWSER=1 turns the skip into a failure.
"""

from __future__ import annotations

import os
import re
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from werkzeug.serving import make_server

from config import TestingConfig
from storefront import create_app
from storefront.demo.seed import load_demo
from storefront.extensions import db
from tests.browser.counter import shelf  # noqa: F401  (a fixture: the counter's shelf)
from tests.browser.pages import CHROMIUM, CHROMIUM_ARGS, CSP_WATCH_SCRIPT, DESKTOP, PHONE

BROWSER_DIR = Path(__file__).resolve().parent
REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


# --- Prerequisites: skip loudly, or fail when REQUIRE_BROWSER=1 ----------------------------------


@cache
def missing_prerequisites() -> tuple[str, ...]:
    missing = []
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        missing.append(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        missing.append(f"the playwright package cannot be imported ({error})")
    try:
        from pyzbar import pyzbar  # noqa: F401  (loads libzbar)
    except ImportError as error:
        missing.append(f"the zbar library cannot be loaded ({error}; apt-get install libzbar0)")
    return tuple(missing)


def browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER") == "1"


def _in_this_folder(item: pytest.Item) -> bool:
    return BROWSER_DIR in Path(item.path).resolve().parents


@pytest.hookimpl(tryfirst=True)  # before `-m "not browser"` deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing = missing_prerequisites()
    for item in items:
        if not _in_this_folder(item):
            continue
        item.add_marker(pytest.mark.browser)
        if missing and not browser_required():
            item.add_marker(pytest.mark.skip(reason="BROWSER TESTS SKIPPED: " + "; ".join(missing)))


@pytest.fixture(scope="session", autouse=True)
def _require_browser() -> None:
    """Runs before the other session fixtures, so a missing Chromium fails with this message."""
    missing = missing_prerequisites()
    if missing and browser_required():
        pytest.fail(
            "REQUIRE_BROWSER=1 but the browser tests cannot run: " + "; ".join(missing),
            pytrace=False,
        )


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    missing = missing_prerequisites()
    prefix = BROWSER_DIR.relative_to(Path(config.rootpath).resolve()).as_posix() + "/"
    ran_here = any(
        getattr(report, "nodeid", "").startswith(prefix)
        for kind in ("passed", "failed", "skipped", "error")
        for report in terminalreporter.stats.get(kind, [])
    )
    if not (missing and ran_here):
        return
    verdict = "FAILED (REQUIRE_BROWSER=1)" if browser_required() else "SKIPPED"
    terminalreporter.write_sep("!", f"BROWSER TESTS {verdict}", red=True, bold=True)
    for reason in missing:
        terminalreporter.write_line(f"!!  {reason}", red=True, bold=True)
    terminalreporter.write_sep("!", red=True, bold=True)


# --- The live server -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveServer:
    app: Flask
    base_url: str  # http://127.0.0.1:<port>, also the app's BASE_URL

    def url(self, path: str = "/") -> str:
        return self.base_url + path


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The demo shop on a free port, with its own fresh SQLite file (never the suite's database)."""
    # Bind first, so the port in BASE_URL is the one the server really listens on.
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    database = tmp_path_factory.mktemp("browser-db") / "shop.db"
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{database}"
    config.BASE_URL = f"http://127.0.0.1:{port}"
    # One server for the whole browser session, every sign-in from 127.0.0.1: the shop's limit
    # (50 an hour) would refuse the later tests' sign-ins. The limits have tests of their own.
    config.LOGIN_RATE_LIMIT = "1000 per minute"
    app = create_app(config)
    with app.app_context():
        upgrade()
        load_demo()
        db.session.commit()

    server = make_server("127.0.0.1", port, app, threaded=True, fd=listener.fileno())
    listener.close()  # the server holds its own copy of the socket
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app, config.BASE_URL)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


# --- Chromium and pages --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


@pytest.fixture
def page_problems() -> dict:
    """Console errors, uncaught exceptions and CSP violations, per page of this test."""
    return {}


def _open_page(browser, request: pytest.FixtureRequest, name: str, options: dict):
    context = browser.new_context(**options)
    context.set_default_timeout(15_000)
    context.add_init_script(CSP_WATCH_SCRIPT)
    page = context.new_page()
    problems: list[str] = []
    request.getfixturevalue("page_problems")[page] = problems

    def on_console(message) -> None:
        if message.type == "error":
            problems.append(f"console error: {message.text} ({page.url})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught error: {error} ({page.url})"))
    try:
        yield page
    finally:
        reports = request.node.stash.get(REPORTS, {})
        if any(report.failed for report in reports.values()):
            _screenshot_on_failure(page, request, name)
        context.close()


def _screenshot_on_failure(page, request: pytest.FixtureRequest, name: str) -> None:
    folder = Path(request.config.rootpath) / "test-artifacts"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', request.node.name)}-{name}.png"
    try:
        page.screenshot(path=str(target), full_page=True)
    except Exception as error:  # the page may be gone; the test's own failure matters more
        print(f"could not save a failure screenshot to {target}: {error}")
    else:
        print(f"failure screenshot ({page.url}): {target}")


@pytest.fixture
def phone_page(browser, request: pytest.FixtureRequest):
    yield from _open_page(browser, request, "phone", PHONE)


@pytest.fixture
def desktop_page(browser, request: pytest.FixtureRequest):
    yield from _open_page(browser, request, "desktop", DESKTOP)
