"""The producer portal's warehouse and consignment pages: counts (one or many at once), new
batches, the movement ledger, transfers to showrooms and what the showrooms owe for what they sold.
"""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from storefront import clock
from storefront.ids import parse_id, posted_ids
from storefront.producers import bp
from storefront.producers import stock as warehouse
from storefront.producers import transfers as consignment
from storefront.producers.dashboard import dashboard as overview
from storefront.producers.forms import CsrfOnlyForm, ReceiveForm
from storefront.producers.web import button_pressed
from storefront.register import showrooms as showroom_services
from storefront.showrooms import reports as showroom_reports
from storefront.showrooms.errors import ShowroomError
from storefront.submissions import carry_out, form_status


@bp.route("/stock", methods=["GET", "POST"])
def stock():
    form = CsrfOnlyForm()
    if request.method == "POST":
        if not form.validate():
            abort(400)
        counts = posted_ids(request.form, "count-")
        if done := carry_out(
            form, lambda: warehouse.quick_update(current_user, counts, form.reason.data)
        ):
            flash(
                _("%(n)d counts saved.", n=done.value) if done.value else _("Nothing changed."),
                "success",
            )
            return redirect(url_for(".stock"))
    board = overview(current_user, clock.today())
    receive_form = ReceiveForm(formdata=None)
    receive_form.product.choices = [SelectChoice(r.product.id, r.product.name) for r in board.rows]
    return render_template(
        "producers/stock.html",
        board=board,
        form=form,
        posted=request.form if form.form_errors else {},
        receive_form=receive_form,
    ), form_status(form)


@bp.post("/stock/receive")
def receive():
    button_pressed(
        lambda: warehouse.receive_batch(
            current_user,
            request.form.get("product", 0, type=parse_id),
            request.form.get("quantity"),
            request.form.get("note", ""),
            produced_on=request.form.get("produced_on"),
            expires_on=request.form.get("expires_on"),
            today=clock.today(),
        ),
        lambda batch: _("The batch is in the warehouse: batch code %(code)s.", code=batch.code),
    )
    return redirect(url_for(".stock"))


@bp.get("/ledger")
def ledger():
    filters = warehouse.LedgerFilters(
        product_id=request.args.get("product", type=parse_id),
        kind=request.args.get("kind") or None,
        date_from=clock.parse_day(request.args.get("from")),
        date_to=clock.parse_day(request.args.get("to")),
    )
    if request.args.get("format") == "csv":
        rows = warehouse.ledger(current_user, filters, limit=None)
        return Response(
            warehouse.ledger_csv(rows),
            mimetype="text/csv",
            headers={"Content-Disposition": f"attachment; filename=so-kho-{clock.today()}.csv"},
        )
    board = overview(current_user, clock.today())
    return render_template(
        "producers/ledger.html",
        rows=warehouse.ledger(current_user, filters),
        filters=filters,
        products=[r.product for r in board.rows],
    )


@bp.route("/transfers", methods=["GET", "POST"])
def transfers():
    form = CsrfOnlyForm()
    if request.method == "POST":
        if not form.validate():
            abort(400)
        lines = posted_ids(request.form, "send-")
        if done := carry_out(
            form,
            lambda: consignment.send_transfer(
                current_user, request.form.get("showroom", ""), lines, form.note.data
            ),
        ):
            flash(_("Transfer %(ref)s is on its way.", ref=done.value.reference), "success")
            return redirect(url_for(".transfers"))
    return render_template(
        "producers/transfers.html",
        form=form,
        board=overview(current_user, clock.today()),
        posted=request.form if form.form_errors else {},
        transfers=consignment.list_transfers(current_user),
        showrooms=showroom_services.list_showrooms(),
    ), form_status(form)


@bp.post("/transfers/<int:transfer_id>/cancel")
def cancel_transfer(transfer_id: int):
    button_pressed(
        lambda: consignment.cancel_transfer(current_user, transfer_id),
        lambda transfer: _(
            "Transfer %(ref)s is cancelled; the goods are back in the warehouse.",
            ref=transfer.reference,
        ),
    )
    return redirect(url_for(".transfers"))


@bp.get("/settlements")
def settlements():
    """What the showrooms owe this producer for consigned goods they sold."""
    start, end = showroom_reports.default_period(clock.today())
    date_from = clock.parse_day(request.args.get("from")) or start
    date_to = clock.parse_day(request.args.get("to")) or end
    showroom = next(
        (s for s in showroom_services.list_showrooms() if s.code == request.args.get("showroom")),
        None,
    )
    statement, error = None, None
    try:
        statement = showroom_reports.settlement(
            current_user, None, showroom.id if showroom else None, date_from, date_to
        )
    except ShowroomError as refused:  # a period the statement refuses: said on the page itself
        error = str(refused)
    return render_template(
        "producers/settlements.html",
        statement=statement,
        error=error,
        showrooms=showroom_services.list_showrooms(),
        chosen_showroom=showroom,
        date_from=date_from,
        date_to=date_to,
    ), 400 if error else 200
