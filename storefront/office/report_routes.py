"""The programme's reports (with CSV and XLSX of every table, and a print view) and the audit
log (searchable, with CSV)."""

from datetime import date

from flask import Response, abort, render_template, request
from wtforms import SelectChoice

from storefront import clock
from storefront.audit.models import AuditArea
from storefront.audit.reading import AREA_NAMES, describe
from storefront.audit.services import AuditFilters, record_of, search, to_csv
from storefront.office import bp, exports, plans, programme_reports, sales_reports

EXPORTS = {
    "csv": ("text/csv; charset=utf-8", exports.to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.to_xlsx),
}


def exported(table, fmt: str, filename: str) -> Response:
    """A report table as a CSV or XLSX download named ``filename.<fmt>`` (404 for another fmt)."""
    if fmt not in EXPORTS:
        abort(404)
    mimetype, render = EXPORTS[fmt]
    return Response(
        render(table),
        mimetype=mimetype,
        headers={"Content-Disposition": f"attachment; filename={filename}.{fmt}"},
    )


@bp.get("/reports")
def report_page():
    today = clock.today()
    return render_template(
        "office/reports.html",
        reports=programme_reports.build_all(today),
        names=programme_reports.REPORTS,
        print_view=request.args.get("print") == "1",
        plan=plans.plan_in_force(today),
    )


@bp.get("/reports/<name>.<fmt>")
def report_export(name: str, fmt: str):
    if name not in programme_reports.REPORTS or fmt not in EXPORTS:
        abort(404)
    today = clock.today()
    return exported(programme_reports.build(name, today), fmt, f"ocop-{name}-{today}")


@bp.get("/sales")
def sales_page():
    date_from, date_to = _sales_period()
    return render_template(
        "office/sales.html",
        reports=sales_reports.build_all_sales(date_from, date_to),
        names=sales_reports.SALES_REPORTS,
        date_from=date_from,
        date_to=date_to,
    )


@bp.get("/sales/<name>.<fmt>")
def sales_export(name: str, fmt: str):
    if name not in sales_reports.SALES_REPORTS or fmt not in EXPORTS:
        abort(404)
    date_from, date_to = _sales_period()
    return exported(
        sales_reports.build_sales(name, date_from, date_to),
        fmt,
        f"ocop-{name}-{date_from}-{date_to}",
    )


def _sales_period() -> tuple[date, date]:
    return sales_reports.sales_period(clock.today(), _date_arg("from"), _date_arg("to"))


@bp.get("/audit")
def audit_log():
    filters = AuditFilters(
        q=request.args.get("q", "")[:200],
        area=request.args.get("area") or None,
        date_from=_date_arg("from"),
        date_to=_date_arg("to"),
    )
    if request.args.get("format") == "csv":
        return Response(
            to_csv(search(filters, limit=None)),
            mimetype="text/csv",
            headers={"Content-Disposition": f"attachment; filename=nhat-ky-{clock.today()}.csv"},
        )
    return render_template(
        "office/audit.html",
        entries=[describe(e) for e in search(filters)],
        filters=filters,
        areas=[SelectChoice(a.value, AREA_NAMES[a]) for a in AuditArea],
    )


@bp.get("/audit/<int:entry_id>")
def audit_entry(entry_id: int):
    """One entry as it is stored: the event's key and its before/after record."""
    return render_template("office/audit_entry.html", entry=describe(record_of(entry_id)))


def _date_arg(name: str) -> date | None:
    return clock.parse_day(request.args.get(name))
