"""Extensions are created once here and bound to the app in create_app()."""

from datetime import UTC, datetime

import marshmallow as ma
from flask import Blueprint, request
from flask_babel import Babel
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so Alembic migrations work the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator):
    """A moment in UTC, aware on the way out on every database (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("store aware datetimes only")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
csrf = CSRFProtect()
babel = Babel()
cache = Cache()  # Redis when REDIS_URL is set, else in the process (config.py)
limiter = Limiter(key_func=get_remote_address)
login = LoginManager()

# Reading a page has no rate limit: limits are on forms that are sent (POST) and on the blueprints
# named by limit_reading (the JSON API). Telling the limiter so spares it looking up the limits
# of every page read (~0.05 ms each; it never found any).
READING = frozenset({"GET", "HEAD", "OPTIONS"})
_limited_reading: set[str] = set()


def limit_reading(blueprint: Blueprint, rate) -> None:
    """Every request to ``blueprint``, reads too, counts against ``rate``."""
    limiter.limit(rate)(blueprint)
    _limited_reading.add(blueprint.name)


@limiter.request_filter
def _reading_a_page() -> bool:
    return request.method in READING and request.blueprint not in _limited_reading


class ApiErrorSchema(ma.Schema):
    """The JSON body of every API error (made by storefront.errors.error_response)."""

    status = ma.fields.Integer(required=True, metadata={"description": "HTTP status"})
    error = ma.fields.String(required=True, metadata={"description": "What went wrong, in short"})
    reason = ma.fields.String(required=True, metadata={"description": "Why, for a person"})
    errors = ma.fields.Dict(metadata={"description": "Per-parameter validation messages"})


class ShopApi(Api):
    """flask-smorest, with the shop's own error handling: errors.py answers JSON under /api/
    and HTML pages elsewhere, so the API's errors read like the rest (status, error, reason)."""

    ERROR_SCHEMA = ApiErrorSchema

    def _register_error_handlers(self):
        pass  # storefront.errors handles every HTTPException


rest_api = ShopApi()  # not "api": that is the storefront.api package
