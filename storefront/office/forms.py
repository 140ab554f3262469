from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from storefront.labels import GROUP_NAMES, LEGAL_FORM_NAMES, LEVEL_NAMES, ROLE_NAMES

DATE = {"type": "date"}


def choices(mapping) -> list[SelectChoice]:
    return [SelectChoice(k, v) for k, v in mapping.items()]


class CsrfForm(FlaskForm):
    """Buttons that post nothing but the CSRF token."""


class ReasonForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[Length(max=2000)])


class ProducerForm(FlaskForm):
    code = StringField(_l("Code"), validators=[Length(max=32)])
    name = StringField(_l("Name"), validators=[Length(max=300)])
    legal_form = SelectField(_l("Legal form"), choices=choices(LEGAL_FORM_NAMES))
    region = SelectField(_l("Administrative unit"))
    address = StringField(_l("Address"), validators=[Length(max=500)])
    phone = StringField(_l("Phone"), validators=[Length(max=32)])
    email = StringField(_l("E-mail"), validators=[Length(max=254)])
    website = StringField(_l("Website"), validators=[Length(max=500)])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])


class ProductForm(FlaskForm):
    name = StringField(_l("Product name"), validators=[Length(max=300)])
    producer = SelectField(_l("Producer"))
    group = SelectField(_l("OCOP group"), choices=choices(GROUP_NAMES))
    subgroup = StringField(_l("Subgroup"), validators=[Length(max=64)])
    unit = StringField(_l("Unit"), validators=[Length(max=64)])
    price = StringField(_l("Price (đồng)"), validators=[Length(max=30)])
    ean = StringField(_l("Barcode (EAN)"), validators=[Length(max=14)])
    region = SelectField(_l("Made in (empty: the producer's unit)"))
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    version = HiddenField()


class CertificateForm(FlaskForm):
    decision_number = StringField(_l("Decision number"), validators=[Length(max=64)])
    issued_on = StringField(_l("Decision date"), render_kw=DATE, validators=[Length(max=10)])
    level = SelectField(_l("Certifying level"), choices=choices(LEVEL_NAMES), default="province")
    score = StringField(_l("Score (0–100)"), validators=[Length(max=3)])
    stars = SelectField(_l("Stars"), choices=[SelectChoice(str(n), f"{n}★") for n in (3, 4, 5)])


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Reason for revocation"), validators=[Length(max=2000)])
    revoked_on = StringField(_l("Revocation date"), render_kw=DATE, validators=[Length(max=10)])


class ShowroomForm(FlaskForm):
    code = StringField(_l("Code"), validators=[Length(max=32)])
    name = StringField(_l("Name"), validators=[Length(max=300)])
    level = SelectField(
        _l("Level"),
        choices=[SelectChoice(k, LEVEL_NAMES[k]) for k in ("province", "district")],
    )
    region = SelectField(_l("Administrative unit"))
    address = StringField(_l("Address"), validators=[Length(max=500)])
    opening_hours = StringField(_l("Opening hours"), validators=[Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Length(max=32)])
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])


class StaffForm(FlaskForm):
    identifier = StringField(
        _l("E-mail or mobile number of the account"), validators=[Length(max=254)]
    )


class RegionForm(FlaskForm):
    code = StringField(_l("Code"), validators=[Length(max=32)])
    name = StringField(_l("Name"), validators=[Length(max=200)])
    kind = SelectField(_l("Kind"))
    parent = SelectField(_l("Part of"))
    valid_from = StringField(_l("Valid from"), render_kw=DATE, validators=[Length(max=10)])
    valid_to = StringField(_l("Valid to"), render_kw=DATE, validators=[Length(max=10)])
    successor = SelectField(_l("Succeeded by"))
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])


class UploadForm(FlaskForm):
    file = FileField(_l("CSV file (UTF-8)"), validators=[FileRequired()])


class ConfirmImportForm(FlaskForm):
    token = HiddenField()


class InviteForm(FlaskForm):
    email = StringField(_l("E-mail"), validators=[Length(max=254)])
    name = StringField(_l("Name"), validators=[Length(max=200)])
    role = SelectField(_l("Role"), choices=choices(ROLE_NAMES))
    producer = SelectField(_l("Producer (for a producer account)"))
    showroom = SelectField(_l("Showroom (for staff)"))


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=choices(ROLE_NAMES))
    producer = SelectField(_l("Producer (for a producer account)"))
    showroom = SelectField(_l("Showroom (for staff)"))


class ExpiryRunForm(FlaskForm):
    days = IntegerField(validators=[Optional()])


class DeliveryRateForm(FlaskForm):
    """One band of the delivery fee table; numbers as typed ("30.000", "1 000"), checked by
    storefront.delivery.rules.set_rate."""

    zone = SelectField(_l("Destination"))
    max_grams = StringField(_l("Parcel up to (grams)"), validators=[Length(max=20)])
    fee = StringField(_l("Fee (đồng)"), validators=[Length(max=20)])
    days_min = StringField(_l("Days, at least"), validators=[Length(max=5)])
    days_max = StringField(_l("Days, at most"), validators=[Length(max=5)])
