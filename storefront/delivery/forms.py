"""The forms of delivery's own pages."""

from flask_wtf import FlaskForm


class AddressActionForm(FlaskForm):
    """A button on a saved address (forget it): only the CSRF token."""
