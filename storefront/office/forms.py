from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from storefront.labels import GROUP_NAMES, LEGAL_FORM_NAMES, LEVEL_NAMES, NOTICE_NAMES, ROLE_NAMES

DATE = {"type": "date"}


def choices(mapping) -> list[SelectChoice]:
    return [SelectChoice(k, v) for k, v in mapping.items()]


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


class DecisionScanForm(FlaskForm):
    file = FileField(_l("Scanned decision (PDF or picture)"), validators=[FileRequired()])


class ShowroomForm(FlaskForm):
    code = StringField(_l("Code"), validators=[Length(max=32)])
    name = StringField(_l("Name"), validators=[Length(max=300)])
    level = SelectField(
        _l("Level"),
        choices=[SelectChoice(k, LEVEL_NAMES[k]) for k in ("province", "district")],
    )
    region = SelectField(_l("Administrative unit"))
    address = StringField(_l("Address"), validators=[Length(max=500)])
    opening_hours = StringField(
        _l("Opening hours"),
        validators=[Length(max=200)],
        render_kw={"placeholder": "T2–T6 7:30–11:30, 13:30–17:00; T7 8:00–12:00"},
    )
    phone = StringField(_l("Phone"), validators=[Length(max=32)], render_kw={"type": "tel"})
    zalo_url = StringField(
        _l("Zalo link"),
        validators=[Length(max=300)],
        render_kw={"placeholder": "https://zalo.me/0901234567"},
    )
    coordinates = StringField(
        _l("Coordinates (latitude, longitude)"),
        validators=[Length(max=60)],
        render_kw={"placeholder": "14.3545, 108.0076"},
    )
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


class PlanForm(FlaskForm):
    """A programme plan and its province-wide targets."""

    number = StringField(_l("Plan number"), validators=[Length(max=64)])
    title = StringField(_l("Title"), validators=[Length(max=300)])
    period_start = StringField(_l("From"), render_kw=DATE, validators=[Length(max=10)])
    period_end = StringField(_l("To"), render_kw=DATE, validators=[Length(max=10)])
    products_3_star_plus = StringField(
        _l("Products with 3 stars or more"), validators=[Length(max=12)]
    )
    products_5_star = StringField(_l("Products with 5 stars"), validators=[Length(max=12)])
    cooperative_share_pct = StringField(
        _l("Cooperatives among producers (%)"), validators=[Length(max=12)]
    )
    sme_share_pct = StringField(
        _l("Enterprises (SMEs) among producers (%)"), validators=[Length(max=12)]
    )
    modern_channels_low_pct = StringField(
        _l("Producers in modern channels, from (%)"), validators=[Length(max=12)]
    )
    modern_channels_high_pct = StringField(
        _l("Producers in modern channels, to (%)"), validators=[Length(max=12)]
    )


class UnitTargetForm(FlaskForm):
    """One target of a plan for one unit of today (0 removes it)."""

    region = SelectField(_l("Unit of today"))
    indicator = SelectField(_l("Counts"))
    target = StringField(_l("Target"), validators=[Length(max=12)])


class OperatorForm(FlaskForm):
    """Who sells: shown in every page's footer, on order confirmations and their e-mails."""

    name = StringField(_l("Name of the operator"), validators=[Length(max=300)])
    address = StringField(_l("Address"), validators=[Length(max=500)])
    tax_code = StringField(_l("Tax code (MST)"), validators=[Length(max=20)])
    phone = StringField(_l("Hotline"), validators=[Length(max=32)], render_kw={"type": "tel"})
    email = StringField(_l("E-mail"), validators=[Length(max=254)], render_kw={"type": "email"})
    zalo_url = StringField(
        _l("Zalo link"),
        validators=[Length(max=300)],
        render_kw={"placeholder": "https://zalo.me/0901234567"},
    )
    moit_registration = StringField(
        _l("Registration with the Ministry of Industry and Trade"), validators=[Length(max=100)]
    )
    moit_badge_url = StringField(
        _l("Link of the Ministry's badge (online.gov.vn)"),
        validators=[Length(max=300)],
        render_kw={"placeholder": "https://online.gov.vn/Home/WebDetails/…"},
    )


class PolicyForm(FlaskForm):
    title = StringField(_l("Title"), validators=[Length(max=200)])
    body = TextAreaField(
        _l("Text (Markdown: ## heading, - list, **bold**, [link](https://…))"),
        validators=[Length(max=50_000)],
        render_kw={"rows": 24},
    )


class NoticeRuleForm(FlaskForm):
    group = SelectField(_l("OCOP group"), choices=choices(GROUP_NAMES))
    subgroup = StringField(
        _l("Subgroup (empty: the whole group)"),
        validators=[Length(max=64)],
        render_kw={"list": "subgroups"},
    )
    notice = SelectField(_l("Notice"), choices=choices(NOTICE_NAMES))


class DeliveryRateForm(FlaskForm):
    """One band of the delivery fee table; numbers as typed ("30.000", "1 000"), checked by
    storefront.delivery.rules.set_rate."""

    zone = SelectField(_l("Destination"))
    max_grams = StringField(_l("Parcel up to (grams)"), validators=[Length(max=20)])
    fee = StringField(_l("Fee (đồng)"), validators=[Length(max=20)])
    days_min = StringField(_l("Days, at least"), validators=[Length(max=5)])
    days_max = StringField(_l("Days, at most"), validators=[Length(max=5)])
