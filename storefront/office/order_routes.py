"""Office pages for orders: find an order, cancel it, and record parcels that came back
(Hoàn hàng), which puts their units back in stock."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from storefront.extensions import db
from storefront.ids import posted_ids
from storefront.office import bp
from storefront.office.forms import ReasonForm
from storefront.office.web import act_and_return
from storefront.orders import returns, tracking, transitions
from storefront.orders import services as orders
from storefront.orders.models import Order, OrderStatus, PartStatus
from storefront.submissions import ButtonForm

MAX_UNITS_DIGITS = 6


@bp.get("/orders")
def order_list():
    number = (request.args.get("number") or "").strip()[:20]
    if number:
        order = orders.get_order(number)
        if order is not None:
            return redirect(url_for(".order_detail", number=order.number))
        flash(_("No order has the number %(number)s.", number=number), "error")
    recent = db.session.scalars(select(Order).order_by(Order.created_at.desc()).limit(50)).all()
    return render_template("office/orders.html", orders=recent, number=number)


@bp.get("/orders/<number>")
def order_detail(number: str):
    order = _order(number)
    return render_template(
        "office/order.html",
        order=order,
        form=ButtonForm(),
        reason_form=ReasonForm(),
        may_cancel=transitions.may_cancel(order, "office"),
        returnable=returns.returnable_parts(order),
        carriers=tracking.all_carriers(),
    )


@bp.post("/orders/<number>/parts/<int:part_id>/delivered")
def order_part_delivered(number: str, part_id: int):
    """The carrier confirmed the parcel reached the buyer (cash on delivery is then paid)."""
    order = _order(number)
    part = next((p for p in order.parts if p.id == part_id), None)
    if part is None:
        abort(404)
    return act_and_return(
        ButtonForm(),
        lambda: orders.change_part(
            part,
            PartStatus.DELIVERED,
            orders.Actor.of(current_user, "office"),
            note=_("Delivery confirmed by the carrier"),
        ),
        lambda _done: _("The parcel of %(producer)s is delivered.", producer=part.producer.name),
        url_for(".order_detail", number=order.number),
    )


@bp.get("/carriers")
def carriers():
    carriers = tracking.all_carriers()
    return render_template("office/carriers.html", carriers=carriers, form=ButtonForm())


@bp.post("/carriers/<code>")
def carrier_save(code: str):
    return act_and_return(
        ButtonForm(),
        lambda: tracking.set_tracking_url(code[:16], request.form.get("tracking_url", "")),
        lambda carrier: _("The tracking page of %(name)s is saved.", name=carrier.name),
        url_for(".carriers"),
    )


@bp.post("/orders/<number>/cancel")
def order_cancel(number: str):
    order = _order(number)
    form = ReasonForm()
    return act_and_return(
        form,
        lambda: orders.change_status(
            order,
            OrderStatus.CANCELLED,
            orders.Actor.of(current_user, "office"),
            note=(form.reason.data or "").strip()[:500] or _("Cancelled by the OCOP office"),
        ),
        lambda _done: _("%(number)s is cancelled.", number=order.number),
        url_for(".order_detail", number=order.number),
    )


@bp.post("/orders/<number>/parts/<int:part_id>/return")
def order_return(number: str, part_id: int):
    order = _order(number)
    return act_and_return(
        ButtonForm(),
        lambda: returns.record_return(
            current_user,
            order,
            part_id,
            _units(posted_ids(request.form, "ret-")),
            _units(posted_ids(request.form, "seen-")),
            request.form.get("reason", ""),
        ),
        lambda put_back: _("%(n)d units are back in stock.", n=put_back),
        url_for(".order_detail", number=order.number),
    )


def _order(number: str) -> Order:
    order = orders.get_order(number[:20])
    if order is None:
        abort(404)
    return order


def _units(values: dict[int, str]) -> dict[int, int]:
    """Whole numbers of units from the form (blank is 0); anything else is refused."""
    units = {}
    for line_id, raw in values.items():
        raw = raw.strip()
        if not raw:
            units[line_id] = 0
        elif raw.isascii() and raw.isdigit() and len(raw) <= MAX_UNITS_DIGITS:
            units[line_id] = int(raw)
        else:
            raise returns.ReturnRefused(_("Enter the units that came back as whole numbers."))
    return units
