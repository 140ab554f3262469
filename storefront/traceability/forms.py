from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class LabelReportForm(FlaskForm):
    what_seen = TextAreaField(
        _l("What looked wrong?"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l(
            "E.g. the QR opened another product, the stars differ, the pack looks different."
        ),
    )
    where_seen = StringField(
        _l("Where did you see it?"),
        validators=[DataRequired(), Length(max=300)],
        description=_l("Shop or market, street, commune or town."),
    )
    photo = FileField(_l("A photo of the label (optional)"))
    contact = StringField(
        _l("Your e-mail or mobile number, if you want an answer (optional)"),
        validators=[Optional(), Length(max=200)],
    )
    batch = HiddenField(validators=[Optional(), Length(max=32)])
