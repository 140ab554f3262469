"""The office's counterfeit signals: scan counts as charts, shoppers' reports of suspicious
labels (answered by e-mail through the outbox), and the batch review switch."""

from flask import abort, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user

from storefront import clock
from storefront.catalog.images import upload_folder
from storefront.office import bp, signal_reports
from storefront.office.forms import ReasonForm
from storefront.office.report_routes import EXPORTS, exported
from storefront.office.web import act_and_return
from storefront.traceability import batches, reports, signals
from storefront.traceability.models import ReportStatus


@bp.get("/signals")
def signals_page():
    today = clock.today()
    return render_template(
        "office/signals.html",
        reports=signal_reports.build_all(today),
        names=signal_reports.SIGNAL_REPORTS,
        open_reports=reports.open_count(current_user),
        window_days=signal_reports.WINDOW_DAYS,
        batches=signals.batches_to_look_at(signal_reports.window(today)),
        form=ReasonForm(formdata=None),
    )


@bp.get("/signals/<name>.<fmt>")
def signals_export(name: str, fmt: str):
    if name not in signal_reports.SIGNAL_REPORTS or fmt not in EXPORTS:
        abort(404)
    today = clock.today()
    return exported(signal_reports.build(name, today), fmt, f"ocop-signals-{name}-{today}")


@bp.get("/signals/reports")
def label_reports():
    status = request.args.get("status") or None
    today = clock.today()
    window = signal_reports.window(today)
    queue = reports.queue(current_user, status)
    return render_template(
        "office/label_reports.html",
        queue=[
            (r, signals.signals_for(r.product_id, r.batch_id, r.code_tried, window)) for r in queue
        ],
        status=status,
        statuses=list(ReportStatus),
        form=ReasonForm(formdata=None),
        window_days=signal_reports.WINDOW_DAYS,
    )


@bp.get("/signals/reports/<int:report_id>/photo.jpg")
def label_report_photo(report_id: int):
    found = reports.report(current_user, report_id)
    if not found.photo:
        abort(404)
    return send_from_directory(upload_folder(reports.PHOTO_FOLDER), f"{found.photo}-large.jpg")


@bp.post("/signals/reports/<int:report_id>/answer")
def answer_label_report(report_id: int):
    form = ReasonForm()
    return act_and_return(
        form,
        lambda: reports.answer(current_user, report_id, form.reason.data, clock.today()),
        lambda r: _("Report #%(id)d answered; the answer is on its way.", id=r.id),
        url_for(".label_reports"),
    )


@bp.post("/signals/reports/<int:report_id>/close")
def close_label_report(report_id: int):
    form = ReasonForm()
    return act_and_return(
        form,
        lambda: reports.close(current_user, report_id, form.reason.data),
        lambda r: _("Report #%(id)d closed.", id=r.id),
        url_for(".label_reports"),
    )


@bp.post("/batches/<int:batch_id>/suspend")
def suspend_batch(batch_id: int):
    form = ReasonForm()
    return act_and_return(
        form,
        lambda: batches.suspend_batch(current_user, batch_id, form.reason.data),
        lambda b: _("Batch %(code)s is under review: its page says so.", code=b.code),
        _back(),
    )


@bp.post("/batches/<int:batch_id>/lift")
def lift_batch_review(batch_id: int):
    form = ReasonForm()
    return act_and_return(
        form,
        lambda: batches.lift_suspension(current_user, batch_id, form.reason.data),
        lambda b: _("The review of batch %(code)s is over.", code=b.code),
        _back(),
    )


def _back() -> str:
    """Back to the page the button was on: the signals or the reports' queue."""
    return url_for(".signals_page" if request.form.get("back") == "signals" else ".label_reports")
