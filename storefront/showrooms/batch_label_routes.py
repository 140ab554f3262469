"""Batch labels at a showroom: the batches some units of which this showroom received, each
with its labels as PDF (the QR opens the batch's /q/ page)."""

from flask import Response, render_template, request
from flask_login import current_user

from storefront import clock
from storefront.qr import batch_labels
from storefront.qr.label_sheets import DEFAULT_LAYOUT, LAYOUTS
from storefront.showrooms import back_office_bp as bp
from storefront.traceability import batches


@bp.get("/batches")
def batch_list():
    return render_template(
        "showrooms/back/batches.html",
        batches=batches.showroom_batches(current_user),
        layouts=LAYOUTS.values(),
        default_layout=DEFAULT_LAYOUT,
        today=clock.today(),
    )


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
