"""The producer portal: a producer keeps its own prices, stock and product details true."""

from flask import Blueprint

bp = Blueprint("producers", __name__, url_prefix="/producer")

from storefront.producers import routes  # noqa: E402,F401
