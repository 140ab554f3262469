"""The showroom's pick-up orders (/showroom/pickups): the list, finding one by its pass or
number, setting it aside and handing it over. Staff only (the back office's check)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from storefront.showrooms import back_office_bp as bp
from storefront.showrooms import pickups
from storefront.showrooms.errors import ShowroomError
from storefront.showrooms.forms import StaffActionForm
from storefront.submissions import carry_out_flashed


@bp.get("/pickups")
def pickup_list():
    return render_template(
        "showrooms/back/pickups.html",
        orders=pickups.pickup_orders(current_user, include_closed=True),
        form=StaffActionForm(),
    )


@bp.post("/pickups/find")
def find_pickup():
    if not StaffActionForm().validate():
        abort(400)
    scanned = request.form.get("scan", "")
    try:
        order = pickups.find_by_scan(current_user, scanned)
    except ShowroomError as refused:  # naming no order of this showroom included: say so here
        flash(refused.message, "error")
        return redirect(url_for(".pickup_list"))
    scanned = scanned.strip().upper()
    return redirect(url_for(".pickup", number=order.number, scanned=scanned[:40] or None))


@bp.get("/pickups/<number>")
def pickup(number: str):
    """The hand-over page; opened from a scanned pass (``?scanned=``), with its code checked."""
    order = pickups.get_pickup(current_user, number)
    scanned = request.args.get("scanned", "")[:40]
    return render_template(
        "showrooms/back/pickup.html",
        order=order,
        form=StaffActionForm(),
        scanned=scanned,
        code_checked=pickups.code_matches(order, scanned) if scanned else None,
    )


@bp.post("/pickups/<number>/ready")
def pickup_ready(number: str):
    form = StaffActionForm()
    if done := carry_out_flashed(form, lambda: pickups.mark_ready(current_user, number)):
        flash(_("%(number)s is ready; the customer is told.", number=done.value.number), "success")
    return redirect(url_for(".pickup", number=number))


@bp.post("/pickups/<number>/hand-over")
def hand_over(number: str):
    form = StaffActionForm()
    done = carry_out_flashed(
        form,
        lambda: pickups.hand_over(
            current_user, number, form.code.data, cash_received=form.cash_received.data
        ),
    )
    if done is None:
        return redirect(url_for(".pickup", number=number))
    flash(_("%(number)s is handed over.", number=done.value.number), "success")
    return redirect(url_for(".pickup_list"))
