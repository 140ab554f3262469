"""The province a shopper wants goods delivered to (product page, cart), and what the templates
ask of delivery: the fee line of a product, the address as written on a parcel; the customer's
saved addresses, which they may forget."""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from storefront import clock
from storefront.catalog.models import Product
from storefront.delivery import addresses, bp, fees, places
from storefront.extensions import db
from storefront.fragments import macro_fragment
from storefront.links import safe_next
from storefront.register.models import Region
from storefront.submissions import ButtonForm, carry_out_flashed


@dataclass(frozen=True)
class Offer:
    """What the product page says of delivery: to which province, at what fee, in how long."""

    province: Region | None
    quote: fees.Quote | None
    provinces: tuple[places.ProvinceChoice, ...]


def chosen_province() -> Region | None:
    user_id = current_user.id if current_user.is_authenticated else None
    return places.chosen_province(session.get(places.SESSION_PROVINCE), user_id, clock.today())


def delivery_offer(product: Product) -> Offer:
    province = chosen_province()
    quote = fees.parcels([(product, 1)], province)[0].quote if province else None
    return Offer(province, quote, places.province_choices(clock.today()))


@bp.app_template_global()
def fee_line(product: Product) -> Markup:
    """The product page's delivery line for this visitor (also what htmx swaps in when they
    choose a province), made once per process for each province, fee and list of provinces:
    a select of 34 provinces was a tenth of the product page's time."""
    offer = delivery_offer(product)
    province = (offer.province.id, offer.province.name) if offer.province else None
    back_to = url_for("catalog.product", code=product.code)
    key = (product.code, province, offer.quote, offer.provinces)
    return macro_fragment("delivery/_fee_line.html", "fee_line", key, offer, product.code, back_to)


@bp.app_template_global()
def parcel_address(order) -> list[str]:
    return places.parcel_lines(
        order.contact_name, order.contact_phone, order.address_line, order.commune, order.province
    )


@bp.get("/giao-hang/chon")
def choose_province():
    """Remember the province to show delivery fees for; back to the page (or, asked by htmx
    from a product page, only its fee line)."""
    province = places.province(request.args.get("province"), clock.today())
    if province is not None:
        session[places.SESSION_PROVINCE] = province.id
    code = request.args.get("code", "")
    if request.headers.get("HX-Request") and code:
        product = db.session.scalar(select(Product).where(Product.code == code.upper()[:16]))
        if product is not None:
            return fee_line(product)
    return redirect(safe_next(request.args.get("next"), url_for("cart.show")))


@bp.get("/tai-khoan/dia-chi")
@login_required
def saved_addresses():
    """The addresses the customer had goods delivered to (offered again at checkout), each with
    a button to forget it."""
    return render_template(
        "delivery/saved_addresses.html",
        saved=addresses.saved_for(current_user.id, limit=None),
        form=ButtonForm(),
    )


@bp.post("/tai-khoan/dia-chi/<int:address_id>/xoa")
@login_required
def forget_address(address_id: int):
    if carry_out_flashed(ButtonForm(), lambda: addresses.forget(current_user.id, address_id)):
        flash(_("The address is no longer kept."), "success")
    return redirect(url_for(".saved_addresses"))
