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


class OpenShiftForm(FlaskForm):
    """The cash float counted into the drawer when a shift opens."""

    amount = StringField(_l("Cash float counted in the drawer (đồng)"), validators=[Length(max=40)])


class CloseShiftForm(FlaskForm):
    """The drawer counted when a shift closes, and why it differs (when it does)."""

    amount = StringField(_l("Cash counted in the drawer (đồng)"), validators=[Length(max=40)])
    reason = StringField(_l("Why the count differs"), validators=[Length(max=500)])


class SendSlipForm(FlaskForm):
    """Where the customer wants the slip."""

    to = StringField(_l("Customer's e-mail address"), validators=[Length(max=254)])
