"""OCOP Storefront: the application factory."""

from pathlib import Path

from flask import Flask, jsonify
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from config import INSTANCE_DIR, Config
from storefront import clock, errors, formatting, i18n, labels
from storefront.extensions import babel, csrf, db, limiter, login, migrate, rest_api

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def create_app(config: object | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(INSTANCE_DIR), instance_relative_config=True)
    app.config.from_object(config or Config())
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    _init_extensions(app)
    _register_blueprints(app)
    errors.register(app)
    formatting.register(app)
    labels.register(app)
    _register_cli(app)
    app.after_request(_security_headers)

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
    limiter.init_app(app)
    rest_api.init_app(app)
    login.init_app(app)
    login.login_view = "accounts.login"
    login.login_message = None  # the login page says why on its own
    login.session_protection = "basic"

    @login.user_loader
    def load_user(user_id: str):
        from storefront.accounts.models import User

        return db.session.get(User, int(user_id)) if user_id.isdigit() else None

    @app.context_processor
    def language_context():
        from flask_babel import get_locale

        return {
            "current_locale": str(get_locale()),
            "language_names": i18n.LANGUAGE_NAMES,
            "today": clock.today(),
        }


def _register_blueprints(app: Flask) -> None:
    from storefront.accounts import bp as accounts_bp
    from storefront.api import bp as api_bp
    from storefront.api import pages as api_pages
    from storefront.catalog import bp as catalog_bp
    from storefront.producers import bp as producers_bp
    from storefront.qr import bp as qr_bp
    from storefront.showrooms import bp as showrooms_bp

    app.register_blueprint(i18n.bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(catalog_bp)
    app.register_blueprint(qr_bp)
    app.register_blueprint(showrooms_bp)
    app.register_blueprint(producers_bp)
    rest_api.register_blueprint(api_bp)
    app.register_blueprint(api_pages)


def _register_cli(app: Flask) -> None:
    from storefront.accounts.cli import create_user
    from storefront.demo.cli import seed_demo, seed_synthetic

    app.cli.add_command(create_user)
    app.cli.add_command(seed_demo)
    app.cli.add_command(seed_synthetic)


def _security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    return response


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """SQLite: enforce foreign keys, let readers and one writer work at once, wait for locks."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()
