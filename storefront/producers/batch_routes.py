"""The producer portal's batches: each with its short code, where it went (deliveries to
showrooms, shown on its /q/ page) and its labels as PDF."""

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from storefront import clock
from storefront.numbers import parse_int
from storefront.producers import bp
from storefront.producers.access import PortalError, producer_id_of
from storefront.producers.forms import DeliveryForm
from storefront.qr import batch_labels
from storefront.qr.label_sheets import DEFAULT_LAYOUT, LAYOUTS
from storefront.register import showrooms as showroom_services
from storefront.submissions import carry_out_flashed
from storefront.traceability import batches


@bp.get("/batches")
def batches_page():
    return _page()


def _page(status: int = 200):
    form = DeliveryForm(formdata=None)
    form.showroom.choices = [
        SelectChoice(s.code, s.name) for s in showroom_services.list_showrooms()
    ]
    return render_template(
        "producers/batches.html",
        batches=batches.producer_batches(current_user, producer_id_of(current_user)),
        form=form,
        layouts=LAYOUTS.values(),
        default_layout=DEFAULT_LAYOUT,
        today=clock.today(),
    ), status


@bp.post("/batches/<int:batch_id>/deliveries")
def record_delivery(batch_id: int):
    form = DeliveryForm()
    form.showroom.choices = [
        SelectChoice(s.code, s.name) for s in showroom_services.list_showrooms()
    ]
    if done := carry_out_flashed(
        form,
        lambda: batches.record_delivery(
            current_user,
            batch_id,
            form.showroom.data,
            _units(form.quantity.data),
            clock.parse_day(form.delivered_on.data),
            clock.today(),
        ),
    ):
        delivery = done.value
        flash(
            _(
                "%(n)d units of batch %(code)s recorded at %(showroom)s.",
                n=delivery.quantity,
                code=delivery.batch.code,
                showroom=delivery.showroom.name,
            ),
            "success",
        )
    return redirect(url_for(".batches_page"))


def _units(raw: object) -> int:
    try:
        return parse_int(raw, minimum=1, maximum=1_000_000)
    except ValueError:
        raise PortalError(_("Enter a whole number of units above 0.")) from None


@bp.get("/batches/<int:batch_id>/labels.pdf")
def batch_label_pdf(batch_id: int):
    pdf = batch_labels.batch_label_sheet(
        current_user, batch_id, request.args.get("layout"), request.args.get("count")
    )
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f"inline; filename=nhan-lo-{batch_id}.pdf"},
    )
