"""Office pages for the shop itself: who operates it, and its policy pages."""

from dataclasses import asdict

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from storefront.office import bp
from storefront.office.forms import OperatorForm, PolicyForm
from storefront.shop import services as shop
from storefront.submissions import carry_out, form_status


@bp.route("/shop", methods=["GET", "POST"])
def shop_operator():
    form = OperatorForm(data=None if request.method == "POST" else asdict(shop.operator()))
    if form.validate_on_submit() and carry_out(
        form, lambda: shop.update_operator(current_user, _operator_fields(form))
    ):
        flash(_("The operator's details are saved."), "success")
        return redirect(url_for(".shop_operator"))
    pages = [shop.policy(slug) for slug in shop.POLICY_SLUGS]
    return render_template("office/shop.html", form=form, pages=pages), form_status(form)


@bp.route("/shop/policies/<slug>", methods=["GET", "POST"])
def shop_policy(slug: str):
    page = shop.policy(slug)
    form = PolicyForm(data=None if request.method == "POST" else asdict(page))
    if form.validate_on_submit() and carry_out(
        form,
        lambda: shop.update_policy(current_user, slug, form.title.data or "", form.body.data or ""),
    ):
        flash(_("The page is saved."), "success")
        return redirect(url_for(".shop_policy", slug=slug))
    return render_template("office/policy.html", form=form, page=page), form_status(form)


def _operator_fields(form) -> shop.OperatorFields:
    names = [n for n in shop.OperatorFields.__dataclass_fields__ if n != "is_demo"]
    return shop.OperatorFields(**{n: form[n].data or "" for n in names})
