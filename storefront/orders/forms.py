from flask_wtf import FlaskForm
from wtforms import HiddenField


class CheckoutForm(FlaskForm):
    """The CSRF token and the one-time key that makes a double submission one order. The other
    fields are checked by orders.checkout.prepare()."""

    idempotency_key = HiddenField()


class OrderActionForm(FlaskForm):
    """Only the CSRF token."""
