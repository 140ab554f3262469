"""Checkout, the order pages and the order state machine."""

from flask import Blueprint

bp = Blueprint("orders", __name__)

