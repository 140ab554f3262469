"""Payment ways: VietQR bank transfer, cash, and Stripe Checkout (card) when configured."""

from flask import Blueprint

bp = Blueprint("payments", __name__)

