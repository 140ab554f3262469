from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, user_logged_in
from sqlalchemy import select

from storefront import clock
from storefront.cart import bp, services
from storefront.cart.forms import CartForm
from storefront.catalog.models import Product
from storefront.delivery import fees, places
from storefront.extensions import db
from storefront.ids import parse_id, posted_ids
from storefront.links import safe_next
from storefront.numbers import parse_int
from storefront.submissions import carry_out_flashed


def current_cart() -> services.Cart:
    return services.Cart(session, current_user, clock.today())


@user_logged_in.connect
def keep_what_was_picked(_app, user, **_extra) -> None:
    """At sign-in (or sign-up): what the visitor put in the cart joins what the account kept.
    The signing-in request commits it with the sign-in."""
    services.Cart(session, user).merge_session_cart(session)


@bp.app_context_processor
def cart_count():
    return {"cart_count": current_cart().count}


@bp.get("/gio-hang")
def show():
    today = clock.today()
    view = services.view(current_cart().items(), today)
    user_id = current_user.id if current_user.is_authenticated else None
    province = places.chosen_province(session.get(places.SESSION_PROVINCE), user_id, today)
    quotes = fees.parcels(((line.product, line.quantity) for line in view.lines), province)
    return render_template(
        "cart/cart.html",
        cart=view,
        form=CartForm(),
        province=province,
        provinces=places.province_choices(today),
        quotes=quotes,
    )


@bp.post("/gio-hang/them")
def add():
    form = CartForm()
    if not form.validate():
        abort(400)
    product_id = db.session.scalar(
        select(Product.id).where(Product.code == (request.form.get("code") or "").upper())
    )
    if product_id is None:
        abort(404)
    quantity = request.form.get("quantity", "1")
    if carry_out_flashed(form, lambda: current_cart().add(product_id, _quantity(quantity))):
        flash(_("Added to your cart."), "success")
    return redirect(safe_next(request.form.get("next"), url_for(".show")))


@bp.post("/gio-hang/cap-nhat")
def update():
    carry_out_flashed(CartForm(), lambda: _update(current_cart()))
    return redirect(url_for(".show"))


def _update(cart: services.Cart) -> None:
    """The new quantities (0 removes), the line whose − or + was pressed ("<id>:<quantity>"),
    and the line whose remove button was pressed."""
    stepped = _stepped(request.form.get("set", ""))
    for product_id, value in posted_ids(request.form, "qty-").items():
        if stepped is None or product_id != stepped[0]:
            cart.set(product_id, _quantity(value, allow_zero=True))
    if stepped is not None:
        cart.set(stepped[0], _quantity(stepped[1], allow_zero=True))
    if (removed := request.form.get("remove", type=parse_id)) is not None:
        cart.set(removed, 0)


def _stepped(raw: str) -> tuple[int, str] | None:
    product_id, _sep, quantity = raw.partition(":")
    try:
        return parse_id(product_id), quantity
    except ValueError:
        return None


def _quantity(raw: str, allow_zero: bool = False) -> int:
    try:
        return parse_int(raw, minimum=0 if allow_zero else 1, maximum=services.MAX_QUANTITY)
    except ValueError:
        message = _("Choose a quantity from 1 to %(n)d.", n=services.MAX_QUANTITY)
        raise services.CartError(message) from None
