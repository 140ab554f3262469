"""OCOP Storefront: the application factory."""

import importlib
from pathlib import Path

from flask import Flask, jsonify
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from config import INSTANCE_DIR, Config
from storefront import access_log, clock, errors, formatting, i18n, ids, labels, security
from storefront.extensions import babel, cache, csrf, db, limiter, login, migrate, rest_api
from storefront.outbox import services as outbox
from storefront.register import places
from storefront.traceability import scan_counts


def create_app(config: object | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(INSTANCE_DIR), instance_relative_config=True)
    app.config.from_object(config or Config())
    security.init_app(app)  # first: an unsafe production setting stops here
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    ids.init_app(app)
    _init_extensions(app)
    _register_blueprints(app)
    errors.register(app)
    outbox.init_app(app)
    scan_counts.init_app(app)
    access_log.init_app(app)
    formatting.register(app)
    labels.register(app)
    places.register(app)
    _register_cli(app)

    @app.get("/healthz")
    def healthz():
        db.session.execute(text("SELECT 1"))
        return jsonify({"status": "ok"})

    return app


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.install_template_gettext(app)
    limiter.init_app(app)
    cache.init_app(app)
    rest_api.init_app(app)
    login.init_app(app)
    login.login_view = "accounts.login"
    login.login_message = None  # the login page says why on its own
    login.session_protection = "basic"

    @login.user_loader
    def load_user(session_id: str):
        from storefront.accounts.services import user_for_session

        return user_for_session(session_id)

    @app.context_processor
    def language_context():
        from flask_babel import get_locale

        return {
            "current_locale": str(get_locale()),
            "language_names": i18n.LANGUAGE_NAMES,
            "today": clock.today(),
        }


# Feature packages with pages, in the order their blueprints are registered.
FEATURES = (
    "accounts",
    "catalog",
    "qr",
    "traceability",
    "showrooms",
    "producers",
    "shop",
    "delivery",
    "cart",
    "orders",
    "payments",
    "office",
)


def _register_blueprints(app: Flask) -> None:
    app.register_blueprint(i18n.bp)
    for feature in FEATURES:
        # A feature's routes are imported here, not by its package, so that any module can
        # import any other feature's models without pulling in every page.
        package = importlib.import_module(f"storefront.{feature}")
        importlib.import_module(f"storefront.{feature}.routes")
        app.register_blueprint(package.bp)
    # The JSON API is a flask-smorest blueprint, registered through the Api extension.
    api = importlib.import_module("storefront.api")
    importlib.import_module("storefront.api.routes")
    rest_api.register_blueprint(api.bp)
    app.register_blueprint(api.pages)


def _register_cli(app: Flask) -> None:
    from storefront.accounts.cli import create_user
    from storefront.catalog.cli import catalog_cli
    from storefront.demo.cli import seed_demo, seed_synthetic
    from storefront.office.cli import certificates_cli
    from storefront.orders.cli import orders_cli
    from storefront.outbox.cli import outbox_cli
    from storefront.register.cli import regions_cli
    from storefront.traceability.cli import scans_cli

    app.cli.add_command(create_user)
    app.cli.add_command(catalog_cli)
    app.cli.add_command(seed_demo)
    app.cli.add_command(seed_synthetic)
    app.cli.add_command(orders_cli)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(scans_cli)
    app.cli.add_command(regions_cli)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """SQLite: enforce foreign keys, let readers and one writer work at once, wait for locks;
    read the file through memory mapping and keep up to 32 MB of it per connection (the default
    2 MB held a tenth of the listing's pages at 100,000 products, so every search read the rest
    again from the operating system)."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA cache_size=-32768")  # KiB
        cursor.execute("PRAGMA mmap_size=268435456")  # bytes: a quarter of a gigabyte
        cursor.close()
