"""The producer portal's pages: the overview, a product's page (price, details, pictures) and new
product proposals, and orders. The warehouse and consignment pages are in stock_routes.
A refusal goes beside its form field (storefront.submissions); someone else's product, transfer or
order is not found (the app's handler answers 404)."""

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from storefront import clock
from storefront.accounts.access import roles_required
from storefront.accounts.models import Role
from storefront.catalog.models import Product
from storefront.catalog.pricing import ChangedMeanwhile
from storefront.orders.tracking import all_carriers
from storefront.producers import bp, pictures, products
from storefront.producers import orders as order_parts
from storefront.producers.access import own_product
from storefront.producers.dashboard import dashboard as overview
from storefront.producers.forms import (
    CsrfOnlyForm,
    DetailsForm,
    PictureForm,
    PriceForm,
    ProposalForm,
)
from storefront.producers.web import button_pressed
from storefront.submissions import carry_out, form_status


@bp.before_request
@roles_required(Role.PRODUCER)
def producers_only():
    """Every page here is for a producer account, bound to one producer."""


@bp.get("/")
def dashboard():
    return render_template("producers/dashboard.html", board=overview(current_user, clock.today()))


# The product page's three forms, each as it is shown fresh for a product, and the field a
# "changed meanwhile" message stands beside.
PRODUCT_FORMS: dict[str, tuple[Callable[[Product], FlaskForm], str]] = {
    "price_form": (
        lambda product: PriceForm(
            formdata=None, price=product.price_vnd, version=product.version, prefix="price"
        ),
        "price",
    ),
    "details_form": (DetailsForm.of, "description"),
    "picture_form": (lambda _product: PictureForm(formdata=None, prefix="picture"), "picture"),
}


def _product_page(product: Product, status: int = 200, **forms):
    for name, (fresh, _field) in PRODUCT_FORMS.items():
        forms.setdefault(name, fresh(product))
    history = products.price_history(current_user, product.id)
    return render_template(
        "producers/product.html", product=product, history=history, **forms
    ), status


def _product_form_sent(product: Product, name: str, form: FlaskForm, action, saved: str):
    """Carry one of the product page's forms through its service: saved → back to the page with
    ``saved``; refused → the page again with the message beside its field (400); the product was
    saved by someone else since the form was read → the page with the new value and the message
    (409), so the producer can look and decide."""
    try:
        done = form.validate() and carry_out(form, action, let_through=(ChangedMeanwhile,))
    except ChangedMeanwhile as conflict:
        fresh, field = PRODUCT_FORMS[name]
        shown = fresh(conflict.product)
        shown[field].errors = [conflict.message]
        return _product_page(conflict.product, 409, **{name: shown})
    if not done:
        return _product_page(product, form_status(form), **{name: form})
    flash(saved, "success")
    return redirect(url_for(".product", code=product.code))


@bp.get("/products/<code>")
def product(code: str):
    return _product_page(own_product(current_user, code))


@bp.post("/products/<code>/price")
def change_price(code: str):
    product = own_product(current_user, code)
    form = PriceForm(prefix="price")
    return _product_form_sent(
        product,
        "price_form",
        form,
        lambda: products.change_price(current_user, product.id, form.price.data, form.version.data),
        _("The new price is saved and shown in the shop."),
    )


@bp.post("/products/<code>/details")
def update_details(code: str):
    product = own_product(current_user, code)
    form = DetailsForm(prefix="details")
    return _product_form_sent(
        product,
        "details_form",
        form,
        lambda: products.update_details(
            current_user, product.id, form.content(), form.version.data
        ),
        _("The product details are saved."),
    )


@bp.post("/products/<code>/pictures")
def add_picture(code: str):
    product = own_product(current_user, code)
    form = PictureForm(prefix="picture")
    return _product_form_sent(
        product,
        "picture_form",
        form,
        lambda: pictures.add_picture(
            current_user, product.id, form.picture.data.read(), form.alt.data
        ),
        _("The picture is added."),
    )


@bp.post("/products/<code>/pictures/<int:image_id>/delete")
def remove_picture(code: str, image_id: int):
    product = own_product(current_user, code)
    button_pressed(
        lambda: pictures.remove_picture(current_user, product.id, image_id),
        lambda _none: _("The picture is removed."),
    )
    return redirect(url_for(".product", code=product.code))


@bp.route("/proposals/new", methods=["GET", "POST"])
def propose():
    form = ProposalForm()
    if form.validate_on_submit() and (
        done := carry_out(
            form,
            lambda: products.propose_product(
                current_user,
                name=form.name.data,
                group=form.group.data,
                unit=form.unit.data,
                price=form.price.data,
                description=form.description.data,
            ),
        )
    ):
        flash(
            _("%(name)s is sent to the OCOP office for approval.", name=done.value.name), "success"
        )
        return redirect(url_for(".dashboard"))
    return render_template("producers/propose.html", form=form), form_status(form)


@bp.get("/orders")
def orders():
    return render_template(
        "producers/orders.html",
        parts=order_parts.order_parts(current_user),
        carriers=all_carriers(),
        form=CsrfOnlyForm(),
    )


@bp.post("/orders/<int:part_id>/<any(packed, shipped, delivered):to_status>")
def move_order(part_id: int, to_status: str):
    button_pressed(
        lambda: order_parts.move_order_part(
            current_user,
            part_id,
            to_status,
            carrier=request.form.get("carrier", ""),
            tracking_number=request.form.get("tracking", ""),
        ),
        lambda _none: _("The order is updated."),
    )
    return redirect(url_for(".orders"))


# The warehouse and consignment pages register on the same blueprint.
from storefront.producers import batch_routes, stock_routes  # noqa: E402, F401
