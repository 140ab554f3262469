from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import Length


class StaffActionForm(FlaskForm):
    """The CSRF token, and the free text some actions need; rows are read by the services."""

    reason = StringField(_l("Reason"), validators=[Length(max=500)])
    note = StringField(_l("Note"), validators=[Length(max=200)])
    code = StringField(_l("Pick-up code"), validators=[Length(max=100)])
    cash_received = BooleanField(_l("Cash received"))
