"""The public form a shopper reports a suspicious label with (linked from every /q/ answer).
Kept out of search engines: robots.txt disallows /bao-cao-nhan/, the page says noindex."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from storefront.extensions import limiter
from storefront.submissions import carry_out, form_status
from storefront.traceability import bp, reports
from storefront.traceability.forms import LabelReportForm


def _report_rate() -> str:
    return current_app.config["LABEL_REPORT_RATE_LIMIT"]


@bp.route("/bao-cao-nhan/<code>", methods=["GET", "POST"])
@limiter.limit(_report_rate, methods=["POST"])
def report_form(code: str):
    form = LabelReportForm(batch=request.args.get("batch", "")[:32])
    if form.validate_on_submit():
        photo = form.photo.data.read() if form.photo.data else None
        draft = reports.ReportDraft(
            code=code[:64],
            batch_code=form.batch.data or None,
            what_seen=form.what_seen.data,
            where_seen=form.where_seen.data,
            contact=form.contact.data or "",
            photo=photo or None,
        )
        if carry_out(form, lambda: reports.send_report(draft)):
            flash(_("Thank you. The provincial OCOP office has your report."), "success")
            return redirect(url_for(".report_sent", code=code[:64]))
    return render_template("traceability/report.html", form=form, code=code[:64]), form_status(form)


@bp.get("/bao-cao-nhan/<code>/da-gui")
def report_sent(code: str):
    return render_template("traceability/report_sent.html", code=code[:64])
