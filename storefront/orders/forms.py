from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField, ValidationError

from storefront.accounts.services import normalise_email, normalise_mobile
from storefront.orders.checkout import CheckoutFields, payment_methods
from storefront.orders.models import Fulfilment


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class CheckoutForm(FlaskForm):
    """What the buyer types and picks at checkout, each field checked with its own message; the
    one-time key makes a double submission one order. Where the goods go or come from (province,
    commune, showroom) and whether the cart can be had are the domain's checks
    (orders.checkout.prepare)."""

    idempotency_key = HiddenField()
    name = StringField(filters=[_strip])
    phone = StringField()
    email = StringField(filters=[_strip])
    fulfilment = StringField()
    payment_method = StringField()
    province = StringField()
    commune = StringField()
    address = StringField(filters=[_strip])
    showroom = StringField()
    note = TextAreaField(filters=[_strip])
    age_confirmed = BooleanField()

    def validate_name(self, field) -> None:
        if not 2 <= len(field.data or "") <= 200:
            raise ValidationError(_("Enter the name of the person who receives the order."))

    def validate_phone(self, field) -> None:
        if normalise_mobile(field.data or "") is None:
            raise ValidationError(_("Enter a Vietnamese mobile number, e.g. 0912345678."))

    def validate_email(self, field) -> None:
        if field.data and normalise_email(field.data) is None:
            raise ValidationError(_("This is not an e-mail address."))

    def validate_fulfilment(self, field) -> None:
        if field.data not in set(Fulfilment):
            raise ValidationError(_("Choose delivery or pick-up at a showroom."))

    def validate_payment_method(self, field) -> None:
        fulfilment = self.fulfilment.data if self.fulfilment.data in set(Fulfilment) else None
        if field.data not in payment_methods(fulfilment):
            raise ValidationError(_("Choose a way to pay that fits how you get the goods."))

    def validate_address(self, field) -> None:
        if self.fulfilment.data == Fulfilment.DELIVERY and not 5 <= len(field.data or "") <= 300:
            raise ValidationError(_("Enter the house number and street or village."))

    def fields(self) -> CheckoutFields:
        """The checked values, for the checkout service."""
        return CheckoutFields(
            fulfilment=self.fulfilment.data,
            payment_method=self.payment_method.data,
            contact_name=self.name.data,
            contact_phone=normalise_mobile(self.phone.data),
            contact_email=normalise_email(self.email.data) if self.email.data else None,
            note=(self.note.data or "")[:500] or None,
            province=self.province.data or "",
            commune=self.commune.data or "",
            address=self.address.data or "",
            showroom=self.showroom.data or "",
            age_confirmed=bool(self.age_confirmed.data),
        )

    def shown_errors(self) -> dict[str, str]:
        """{field: its first message}, and the form's own under "cart", as the page shows them."""
        errors = {name: messages[0] for name, messages in self.errors.items() if name and messages}
        if self.form_errors:
            errors["cart"] = self.form_errors[-1]
        return errors
