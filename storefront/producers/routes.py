from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from storefront import clock
from storefront.accounts.access import roles_required
from storefront.accounts.models import Role
from storefront.catalog.images import ImageRejected
from storefront.extensions import db
from storefront.ids import parse_id, posted_ids
from storefront.inventory.services import StockError
from storefront.producers import bp, services
from storefront.producers.forms import (
    CsrfOnlyForm,
    DetailsForm,
    PictureForm,
    PriceForm,
    ProposalForm,
    ReceiveForm,
)
from storefront.register import showrooms as showroom_services
from storefront.showrooms import reports as showroom_reports
from storefront.showrooms.errors import ShowroomError


@bp.before_request
@roles_required(Role.PRODUCER)
def producers_only():
    """Every page here is for a producer account, bound to one producer."""


@bp.get("/")
def dashboard():
    return render_template(
        "producers/dashboard.html", board=services.dashboard(current_user, clock.today())
    )


def _product_page(product, status=200, **forms):
    forms.setdefault(
        "price_form",
        PriceForm(formdata=None, price=product.price_vnd, version=product.version, prefix="price"),
    )
    forms.setdefault("details_form", DetailsForm(formdata=None, obj=product, prefix="details"))
    forms.setdefault("picture_form", PictureForm(formdata=None, prefix="picture"))
    history = services.price_history(current_user, product.id)
    return render_template(
        "producers/product.html", product=product, history=history, **forms
    ), status


def _own(code):
    try:
        return services.own_product(current_user, code)
    except services.NotFound:
        abort(404)


@bp.get("/products/<code>")
def product(code: str):
    return _product_page(_own(code))


@bp.post("/products/<code>/price")
def change_price(code: str):
    product = _own(code)
    form = PriceForm(prefix="price")
    if not form.validate():
        return _product_page(product, 400, price_form=form)
    try:
        services.change_price(current_user, product.id, form.price.data, form.version.data)
    except services.ChangedMeanwhile as conflict:
        fresh = PriceForm(
            formdata=None,
            price=conflict.product.price_vnd,
            version=conflict.product.version,
            prefix="price",
        )
        fresh.price.errors = [str(conflict)]
        return _product_page(conflict.product, 409, price_form=fresh)
    except services.PortalError as error:
        db.session.rollback()
        form.price.errors = [str(error)]
        return _product_page(product, 400, price_form=form)
    db.session.commit()
    flash(_("The new price is saved and shown in the shop."), "success")
    return redirect(url_for(".product", code=product.code))


@bp.post("/products/<code>/details")
def update_details(code: str):
    product = _own(code)
    form = DetailsForm(prefix="details")
    if not form.validate():
        return _product_page(product, 400, details_form=form)
    try:
        services.update_details(
            current_user,
            product.id,
            description=form.description.data,
            unit=form.unit.data,
            expected_version=form.version.data,
        )
    except services.ChangedMeanwhile as conflict:
        fresh = DetailsForm(formdata=None, obj=conflict.product, prefix="details")
        fresh.description.errors = [str(conflict)]
        return _product_page(conflict.product, 409, details_form=fresh)
    except services.PortalError as error:
        db.session.rollback()
        form.unit.errors = [str(error)]
        return _product_page(product, 400, details_form=form)
    db.session.commit()
    flash(_("The product details are saved."), "success")
    return redirect(url_for(".product", code=product.code))


@bp.post("/products/<code>/pictures")
def add_picture(code: str):
    product = _own(code)
    form = PictureForm(prefix="picture")
    if form.validate():
        try:
            services.add_picture(current_user, product.id, form.picture.data.read(), form.alt.data)
        except (services.PortalError, ImageRejected) as error:
            db.session.rollback()
            form.picture.errors = [str(error)]
        else:
            db.session.commit()
            flash(_("The picture is added."), "success")
            return redirect(url_for(".product", code=product.code))
    return _product_page(product, 400, picture_form=form)


@bp.post("/products/<code>/pictures/<int:image_id>/delete")
def remove_picture(code: str, image_id: int):
    product = _own(code)
    if not CsrfOnlyForm().validate():
        abort(400)
    try:
        services.remove_picture(current_user, product.id, image_id)
    except services.NotFound:
        abort(404)
    db.session.commit()
    flash(_("The picture is removed."), "success")
    return redirect(url_for(".product", code=product.code))


@bp.route("/stock", methods=["GET", "POST"])
def stock():
    board = services.dashboard(current_user, clock.today())
    form = CsrfOnlyForm()
    receive_form = ReceiveForm(formdata=None)
    receive_form.product.choices = [SelectChoice(r.product.id, r.product.name) for r in board.rows]
    error, status = None, 200
    if request.method == "POST":
        if not form.validate():
            abort(400)
        counts = posted_ids(request.form, "count-")
        try:
            changed = services.quick_update(current_user, counts, form.reason.data)
        except (services.PortalError, StockError) as refused:
            db.session.rollback()
            error, status = str(refused), 400
        else:
            db.session.commit()
            flash(
                _("%(n)d counts saved.", n=changed) if changed else _("Nothing changed."), "success"
            )
            return redirect(url_for(".stock"))
    return render_template(
        "producers/stock.html",
        board=board,
        form=form,
        error=error,
        posted=request.form if error else {},
        receive_form=receive_form,
    ), status


@bp.post("/stock/receive")
def receive():
    if not CsrfOnlyForm().validate():
        abort(400)
    try:
        services.receive_batch(
            current_user,
            request.form.get("product", 0, type=parse_id),
            request.form.get("quantity"),
            request.form.get("note", ""),
        )
    except services.NotFound:
        abort(404)
    except services.PortalError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("The batch is in the warehouse."), "success")
    return redirect(url_for(".stock"))


@bp.get("/ledger")
def ledger():
    filters = services.LedgerFilters(
        product_id=request.args.get("product", type=parse_id),
        kind=request.args.get("kind") or None,
        date_from=_date_arg("from"),
        date_to=_date_arg("to"),
    )
    if request.args.get("format") == "csv":
        rows = services.ledger(current_user, filters, limit=None)
        return Response(
            services.ledger_csv(rows),
            mimetype="text/csv",
            headers={"Content-Disposition": f"attachment; filename=so-kho-{clock.today()}.csv"},
        )
    board = services.dashboard(current_user, clock.today())
    return render_template(
        "producers/ledger.html",
        rows=services.ledger(current_user, filters),
        filters=filters,
        products=[r.product for r in board.rows],
    )


def _date_arg(name: str) -> date | None:
    return clock.parse_day(request.args.get(name))


@bp.route("/transfers", methods=["GET", "POST"])
def transfers():
    form = CsrfOnlyForm()
    error, status = None, 200
    if request.method == "POST":
        if not form.validate():
            abort(400)
        lines = posted_ids(request.form, "send-")
        try:
            transfer = services.send_transfer(
                current_user, request.form.get("showroom", ""), lines, form.note.data
            )
        except services.NotFound:
            abort(404)
        except services.PortalError as refused:
            db.session.rollback()
            error, status = str(refused), 400
        else:
            db.session.commit()
            flash(_("Transfer %(ref)s is on its way.", ref=transfer.reference), "success")
            return redirect(url_for(".transfers"))
    board = services.dashboard(current_user, clock.today())
    return render_template(
        "producers/transfers.html",
        form=form,
        board=board,
        error=error,
        posted=request.form if error else {},
        transfers=services.list_transfers(current_user),
        showrooms=showroom_services.list_showrooms(),
    ), status


@bp.post("/transfers/<int:transfer_id>/cancel")
def cancel_transfer(transfer_id: int):
    if not CsrfOnlyForm().validate():
        abort(400)
    try:
        transfer = services.cancel_transfer(current_user, transfer_id)
    except services.NotFound:
        abort(404)
    except services.PortalError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(
            _(
                "Transfer %(ref)s is cancelled; the goods are back in the warehouse.",
                ref=transfer.reference,
            ),
            "success",
        )
    return redirect(url_for(".transfers"))


@bp.route("/proposals/new", methods=["GET", "POST"])
def propose():
    form = ProposalForm()
    if form.validate_on_submit():
        try:
            product = services.propose_product(
                current_user,
                name=form.name.data,
                group=form.group.data,
                unit=form.unit.data,
                price=form.price.data,
                description=form.description.data,
            )
        except services.PortalError as error:
            db.session.rollback()
            form.name.errors = [str(error)]
        else:
            db.session.commit()
            flash(
                _("%(name)s is sent to the OCOP office for approval.", name=product.name), "success"
            )
            return redirect(url_for(".dashboard"))
    return render_template("producers/propose.html", form=form), 400 if form.errors else 200


@bp.get("/orders")
def orders():
    return render_template(
        "producers/orders.html", parts=services.order_parts(current_user), form=CsrfOnlyForm()
    )


@bp.post("/orders/<int:part_id>/<any(packed, shipped, delivered):to_status>")
def move_order(part_id: int, to_status: str):
    if not CsrfOnlyForm().validate():
        abort(400)
    try:
        services.move_order_part(
            current_user,
            part_id,
            to_status,
            carrier=request.form.get("carrier", ""),
            tracking_number=request.form.get("tracking", ""),
        )
    except services.NotFound:
        abort(404)
    except services.PortalError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("The order is updated."), "success")
    return redirect(url_for(".orders"))


@bp.get("/settlements")
def settlements():
    """What the showrooms owe this producer for consigned goods they sold."""
    today = clock.today()
    start, end = showroom_reports.default_period(today)
    date_from, date_to = _date_arg("from") or start, _date_arg("to") or end
    showroom = next(
        (s for s in showroom_services.list_showrooms() if s.code == request.args.get("showroom")),
        None,
    )
    statement, error = None, None
    try:
        statement = showroom_reports.settlement(
            current_user, None, showroom.id if showroom else None, date_from, date_to
        )
    except ShowroomError as refused:
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
