"""The producer portal: a producer keeps its own prices, stock and product details true."""

from flask import Blueprint

bp = Blueprint("producers", __name__, url_prefix="/producer")
