from flask_wtf import FlaskForm


class CartForm(FlaskForm):
    """Cart forms carry only the CSRF token; product and quantities are read and checked by the
    cart service."""
