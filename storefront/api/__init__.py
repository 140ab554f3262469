"""The public JSON API (/api/v1): read-only, over the same services as the pages.

OpenAPI document at /api/openapi.json, a browsable page at /api/docs.
"""

from flask import Blueprint as PageBlueprint
from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint
from limits import parse_many

bp = Blueprint(
    "api",
    __name__,
    url_prefix="/api/v1",
    description="The certified OCOP catalogue as data: products, producers, showrooms, regions "
    "and the certificate check that a product's QR code opens.",
)
pages = PageBlueprint("api_pages", __name__)

CACHE_SECONDS = 60


@bp.after_request
def _public_read_only_headers(response):
    """Anyone may read the catalogue from a browser on any site (GET only), and keep it for a
    minute; the ETag lets a client ask again cheaply."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response.headers["Access-Control-Expose-Headers"] = "ETag, Retry-After, X-RateLimit-Limit"
    if request.method in ("GET", "HEAD") and response.status_code in (200, 304):
        response.headers["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
        response.vary.add("Accept-Encoding")
    return response


def rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def rate_limit_in_words(limit: str) -> str:
    """``"120 per minute;2000 per hour"`` as a person reads it, in the page's language."""
    units = {
        "second": _l("%(num)d requests a second"),
        "minute": _l("%(num)d requests a minute"),
        "hour": _l("%(num)d requests an hour"),
        "day": _l("%(num)d requests a day"),
    }
    parts = []
    for item in parse_many(limit):
        unit = units.get(item.GRANULARITY.name)
        if unit is not None and item.multiples == 1:
            parts.append(str(unit) % {"num": item.amount})
        else:
            parts.append(str(item))
    return ", ".join(parts)
