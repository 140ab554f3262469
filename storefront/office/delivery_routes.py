"""Office pages: the delivery fee table (storefront.delivery.rules)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from storefront.delivery import fees, rules
from storefront.domain import Refused
from storefront.labels import ZONE_NAMES
from storefront.numbers import parse_int, parse_vnd
from storefront.office import bp
from storefront.office.forms import DeliveryRateForm
from storefront.office.web import act_and_return
from storefront.submissions import ButtonForm, carry_out, form_status


def _form() -> DeliveryRateForm:
    form = DeliveryRateForm()
    form.zone.choices = [SelectChoice(k, v) for k, v in ZONE_NAMES.items()]
    return form


def _fields(form: DeliveryRateForm) -> rules.RateFields:
    """The typed numbers, or a refusal naming what is not a number."""
    try:
        return rules.RateFields(
            zone=form.zone.data or "",
            max_grams=parse_int(form.max_grams.data, minimum=1, maximum=rules.MAX_GRAMS),
            fee_vnd=parse_vnd(form.fee.data, maximum=rules.MAX_FEE),
            days_min=parse_int(form.days_min.data, minimum=0, maximum=rules.MAX_DAYS),
            days_max=parse_int(form.days_max.data, minimum=0, maximum=rules.MAX_DAYS),
        )
    except ValueError:
        raise Refused(
            _("Enter whole numbers: grams up to %(g)d, a fee, and days.", g=rules.MAX_GRAMS)
        ) from None


@bp.route("/giao-hang", methods=["GET", "POST"])
def delivery_rates():
    form = _form()
    if form.validate_on_submit() and carry_out(
        form, lambda: rules.set_rate(current_user, _fields(form))
    ):
        flash(_("The delivery fee is saved."), "success")
        return redirect(url_for(".delivery_rates"))
    return render_template(
        "office/delivery_rates.html",
        form=form,
        rates=fees.rates(),
        delete_form=ButtonForm(),
        default_grams=fees.DEFAULT_WEIGHT_GRAMS,
    ), form_status(form)


@bp.post("/giao-hang/<int:rate_id>/xoa")
def delete_delivery_rate(rate_id: int):
    return act_and_return(
        ButtonForm(),
        lambda: rules.delete_rate(current_user, rate_id),
        lambda _done: _("The band is removed."),
        url_for(".delivery_rates"),
    )
