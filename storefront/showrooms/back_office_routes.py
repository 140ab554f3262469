"""The showroom's back office (/showroom): incoming transfers, goods handed in, the stock count,
shelf labels, the day's report and consignment settlements (pick-up orders: pickup_routes). Staff
only (the office may read settlements); the services check the showroom again."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from storefront import clock
from storefront.accounts.access import roles_required
from storefront.accounts.models import Role
from storefront.ids import posted_ids
from storefront.qr.label_sheets import DEFAULT_LAYOUT, LAYOUTS
from storefront.register import showrooms as showroom_register
from storefront.register.models import Producer, Showroom
from storefront.showrooms import back_office_bp as bp
from storefront.showrooms import (
    counter_products,
    pickups,
    receiving,
    reports,
    shelf_labels,
)
from storefront.showrooms.errors import ShowroomError
from storefront.showrooms.forms import StaffActionForm
from storefront.showrooms.web import date_arg, own_hosts
from storefront.submissions import carry_out, refusal

SHARED_WITH_OFFICE = {"showrooms.back_office.settlements"}


@bp.before_request
def staff_only():
    """Staff of a showroom; the office also reads settlements."""
    roles = (Role.STAFF, Role.OFFICE) if request.endpoint in SHARED_WITH_OFFICE else (Role.STAFF,)
    return roles_required(*roles)(lambda: None)()


def _posted_numbers(prefix: str) -> dict[int, str]:
    return posted_ids(request.form, prefix)


def _submitted(form: StaffActionForm) -> bool:
    """A POST whose form validates; one that does not (no token, a reason too long) is a bad
    request."""
    if request.method != "POST":
        return False
    if not form.validate():
        abort(400)
    return True


@bp.get("/")
def dashboard():
    today = clock.today()
    return render_template(
        "showrooms/back/dashboard.html",
        transfers=[
            t for t in receiving.incoming_transfers(current_user) if t.status == "in_transit"
        ],
        pickups=pickups.pickup_orders(current_user),
        report=reports.day_report(current_user, today),
    )


# --- receiving -------------------------------------------------------------------------------


@bp.get("/transfers")
def transfers():
    return render_template(
        "showrooms/back/transfers.html", transfers=receiving.incoming_transfers(current_user)
    )


@bp.route("/transfers/<int:transfer_id>", methods=["GET", "POST"])
def transfer(transfer_id: int):
    found = receiving.get_transfer(current_user, transfer_id)
    form = StaffActionForm()
    if _submitted(form) and carry_out(
        form,
        lambda: receiving.receive_transfer(
            current_user, found.id, _posted_numbers("count-"), form.reason.data
        ),
    ):
        flash(_("Transfer %(ref)s is received.", ref=found.reference), "success")
        return redirect(url_for(".transfers"))
    error = refusal(form)
    # Received or cancelled meanwhile (another tab, a colleague): a conflict, not a bad count.
    status = (409 if found.status != "in_transit" else 400) if error else 200
    return render_template(
        "showrooms/back/transfer.html",
        transfer=found,
        form=form,
        error=error,
        posted=request.form if error else {},
    ), status


@bp.route("/receive", methods=["GET", "POST"])
def receive():
    form = StaffActionForm()
    if _submitted(form) and (
        done := carry_out(
            form,
            lambda: receiving.receive_direct(
                current_user,
                request.form.get("product", ""),
                request.form.get("quantity"),
                form.note.data,
                own_hosts(),
            ),
        )
    ):
        flash(
            _("%(n)s × %(name)s received.", n=request.form.get("quantity"), name=done.value.name),
            "success",
        )
        return redirect(url_for(".receive"))
    error = refusal(form)
    return render_template(
        "showrooms/back/receive.html", form=form, error=error, posted=request.form
    ), 400 if error else 200


@bp.route("/stock", methods=["GET", "POST"])
def stock():
    form = StaffActionForm()
    if _submitted(form) and (
        done := carry_out(
            form,
            lambda: receiving.count_stock(
                current_user, _posted_numbers("count-"), form.reason.data
            ),
        )
    ):
        changed = done.value
        flash(
            _("%(n)d counts corrected.", n=changed) if changed else _("Nothing changed."),
            "success",
        )
        return redirect(url_for(".stock"))
    error = refusal(form)
    return render_template(
        "showrooms/back/stock.html",
        rows=receiving.shelf(current_user),
        form=form,
        error=error,
        posted=request.form if error else {},
    ), 400 if error else 200


# --- labels, report, settlements -------------------------------------------------------------


@bp.get("/labels")
def labels():
    return render_template(
        "showrooms/back/labels.html",
        products=counter_products.counter_catalogue(current_user, clock.today()),
        layouts=LAYOUTS.values(),
        default_layout=DEFAULT_LAYOUT,
        error=None,
        posted={},
    )


@bp.get("/labels.pdf")
def label_pdf():
    copies = {
        key.removeprefix("n-"): value for key, value in request.args.items() if key.startswith("n-")
    }
    layout = request.args.get("layout", DEFAULT_LAYOUT)
    try:
        pdf = shelf_labels.label_sheet(current_user, copies, layout, clock.today())
    except ShowroomError as error:
        return render_template(
            "showrooms/back/labels.html",
            products=counter_products.counter_catalogue(current_user, clock.today()),
            layouts=LAYOUTS.values(),
            default_layout=layout if layout in LAYOUTS else DEFAULT_LAYOUT,
            error=str(error),
            posted=request.args,
        ), 400
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f"inline; filename=nhan-ke-{layout}.pdf"},
    )


@bp.get("/report")
def report():
    day = date_arg("day")
    return render_template(
        "showrooms/back/report.html",
        report=reports.day_report(current_user, day),
        previous_day=reports.previous_day(day),
    )


@bp.get("/settlements")
def settlements():
    today = clock.today()
    start, end = reports.default_period(today)
    date_from, date_to = date_arg("from", start), date_arg("to", end)
    producer = reports.by_code(Producer, request.args.get("producer"))
    showroom = reports.by_code(Showroom, request.args.get("showroom"))
    statement, error = None, None
    if producer is not None:
        try:
            statement = reports.settlement(
                current_user, producer.id, showroom.id if showroom else None, date_from, date_to
            )
        except ShowroomError as refused:
            error = str(refused)
    return render_template(
        "showrooms/back/settlements.html",
        statement=statement,
        error=error,
        producers=reports.statement_choices(),
        showrooms=showroom_register.list_showrooms(),
        chosen_producer=producer,
        chosen_showroom=showroom,
        date_from=date_from,
        date_to=date_to,
    ), 400 if error else 200
