"""Shifts at the counter (/pos/shift): open with the float counted, close with the drawer counted,
and the closed shift's count. Staff only (the counter's check)."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user

from storefront.showrooms import pos_bp as bp
from storefront.showrooms import shifts
from storefront.showrooms.forms import CloseShiftForm, OpenShiftForm
from storefront.submissions import carry_out, form_status


@bp.post("/shift/open")
def open_shift():
    form = OpenShiftForm()
    if form.validate() and carry_out(
        form, lambda: shifts.open_shift(current_user, form.amount.data), on_field="amount"
    ):
        return redirect(url_for(".counter"))
    return render_template(
        "showrooms/pos/open_shift.html", form=form, showroom=current_user.showroom
    ), form_status(form)


@bp.get("/shift")
def shift():
    current = shifts.current_shift(current_user)
    if current is None:
        return redirect(url_for(".counter"))
    return render_template("showrooms/pos/close_shift.html", shift=current, form=CloseShiftForm())


@bp.post("/shift/close")
def close_shift():
    form = CloseShiftForm()
    done = form.validate() and carry_out(
        form,
        lambda: shifts.close_shift(current_user, form.amount.data, form.reason.data),
        on_field="amount",
    )
    if done:
        return redirect(url_for(".shift_report", shift_id=done.value.id))
    current = shifts.current_shift(current_user)
    if current is None:
        return redirect(url_for(".counter"))
    return render_template("showrooms/pos/close_shift.html", shift=current, form=form), form_status(
        form
    )


@bp.get("/shifts/<int:shift_id>")
def shift_report(shift_id: int):
    shift = shifts.get_shift(current_user, shift_id)
    return render_template(
        "showrooms/pos/shift.html", shift=shift, drawer=shifts.drawer_count(shift)
    )
