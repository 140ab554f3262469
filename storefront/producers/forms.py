from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from storefront.catalog.models import Product
from storefront.labels import GROUP_NAMES
from storefront.producers.products import ProductContent


class PriceForm(FlaskForm):
    price = StringField(_l("New price (đồng)"), validators=[DataRequired(), Length(max=30)])
    version = IntegerField(validators=[DataRequired()])


class DetailsForm(FlaskForm):
    """What the producer tells buyers, in the order the product page shows it. The service
    (producers.products.update_details) checks the lengths; the form only reads."""

    unit = StringField(_l("Unit"), validators=[DataRequired(), Length(max=64)])
    net_quantity = StringField(_l("Net weight or volume"), render_kw={"maxlength": 64})
    description = TextAreaField(_l("Description"), render_kw={"rows": 8, "maxlength": 5000})
    ingredients = TextAreaField(_l("Ingredients"), render_kw={"rows": 3, "maxlength": 2000})
    shelf_life = StringField(_l("Shelf life"), render_kw={"maxlength": 200})
    storage = TextAreaField(_l("Storage"), render_kw={"rows": 3, "maxlength": 1000})
    directions = TextAreaField(_l("How to use"), render_kw={"rows": 3, "maxlength": 2000})
    origin = StringField(_l("Origin (commune)"), render_kw={"maxlength": 200})
    shipping_weight = StringField(
        _l("Packed weight for delivery (grams)"),
        render_kw={"inputmode": "numeric", "maxlength": 6},
    )
    version = IntegerField(validators=[DataRequired()])

    @classmethod
    def of(cls, product: Product) -> DetailsForm:
        """The form as it is shown fresh for ``product``."""
        form = cls(formdata=None, obj=product, prefix="details")
        form.shipping_weight.data = product.shipping_weight_grams or ""
        return form

    def content(self) -> ProductContent:
        """What was typed, for the service to check."""
        return ProductContent(
            **{name: self[name].data or "" for name in ProductContent.__dataclass_fields__}
        )


class PictureForm(FlaskForm):
    picture = FileField(_l("Picture (JPEG, PNG or WebP)"), validators=[FileRequired()])
    alt = StringField(_l("What it shows (for screen readers)"), validators=[Length(max=300)])


class ReceiveForm(FlaskForm):
    product = SelectField(_l("Product"), coerce=int)
    quantity = StringField(_l("Units received"), validators=[DataRequired(), Length(max=10)])
    produced_on = StringField(_l("Production date"), validators=[Length(max=10)])
    expires_on = StringField(_l("Use by (optional)"), validators=[Length(max=10)])
    note = StringField(_l("Note"), validators=[Length(max=200)])


class DeliveryForm(FlaskForm):
    """Units of a batch a showroom received (where the batch went, for its /q/ page)."""

    showroom = SelectField(_l("Showroom"))
    quantity = StringField(_l("Units"), validators=[DataRequired(), Length(max=10)])
    delivered_on = StringField(_l("Received on"), validators=[Length(max=10)])


class CsrfOnlyForm(FlaskForm):
    """Forms whose rows are made by the page (quick update, transfers): only the CSRF token."""

    reason = StringField(_l("Reason"), validators=[Length(max=200)])
    note = StringField(_l("Note"), validators=[Length(max=200)])
    showroom = HiddenField()


class ProposalForm(FlaskForm):
    name = StringField(_l("Product name"), validators=[DataRequired(), Length(min=3, max=300)])
    group = SelectField(
        _l("OCOP group"), choices=[SelectChoice(k, v) for k, v in GROUP_NAMES.items()]
    )
    unit = StringField(_l("Unit"), validators=[DataRequired(), Length(max=64)])
    price = StringField(_l("Price (đồng)"), validators=[DataRequired(), Length(max=30)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
