"""The counter (/pos): the selling screen and the small JSON API its script talks to, the day's
sales, receipts, voids and returns. Staff only; the services check the showroom again."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from storefront import clock, domain
from storefront.accounts.access import roles_required
from storefront.accounts.models import Role
from storefront.errors import handle_domain_error
from storefront.extensions import db
from storefront.ids import posted_ids
from storefront.security import CONTENT_SECURITY_POLICY
from storefront.showrooms import (
    counter_products,
    counter_vietqr,
    past_sales,
    sale_recording,
    shifts,
    slips,
)
from storefront.showrooms import pos_bp as bp
from storefront.showrooms.errors import ScanRefused, ShowroomError
from storefront.showrooms.forms import OpenShiftForm, SendSlipForm, StaffActionForm
from storefront.showrooms.scans import ScanKey
from storefront.showrooms.web import (
    counter_asset_urls,
    counter_assets_version,
    date_arg,
    own_hosts,
    product_json,
)
from storefront.submissions import carry_out, carry_out_flashed

# The camera's barcode reader falls back to ZXing compiled to WebAssembly; only this page may
# compile WebAssembly, nothing else is loosened.
COUNTER_CSP = CONTENT_SECURITY_POLICY.replace(
    "script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'"
)
BEST_SELLER_PERIOD = timedelta(days=30)
ROLLS = ("58", "80")  # paper roll widths, millimetres


@bp.before_request
@roles_required(Role.STAFF)
def staff_only():
    """Every page here is for showroom staff, bound to one showroom."""


@bp.errorhandler(ShowroomError)
def refused(error: ShowroomError):
    """What the counter's script reads when its API refuses: 422 with ``refused``, the message
    and, for a scan, its ``kind``; nothing was changed. A sale that is not found (or another
    showroom's) is the app's 404, as on any page."""
    if isinstance(error, domain.NotFound):
        return handle_domain_error(error)
    db.session.rollback()
    body = {"refused": True, "message": error.message}
    if isinstance(error, ScanRefused):
        body["kind"] = error.kind
    return jsonify(body), 422


@bp.get("/")
def counter():
    """The selling screen inside an open shift; without one, the form that opens it."""
    shift = shifts.current_shift(current_user)
    if shift is None:
        return render_template(
            "showrooms/pos/open_shift.html", form=OpenShiftForm(), showroom=current_user.showroom
        )
    response = render_template(
        "showrooms/pos/counter.html", showroom=current_user.showroom, shift=shift
    )
    # X-Counter-Page: the service worker keeps this page (not the shift form) for offline starts.
    return response, 200, {"Content-Security-Policy": COUNTER_CSP, "X-Counter-Page": "selling"}


@bp.get("/sw.js")
def service_worker():
    """The counter's service worker (scope /pos/): it keeps the counter page, its files and the
    shelf's list so that the till starts offline."""
    body = render_template(
        "showrooms/pos/sw.js",
        version=counter_assets_version(current_app.static_folder or ""),
        page=url_for(".counter"),
        catalogue=url_for(".catalogue"),
        assets=counter_asset_urls(),
    )
    return (
        body,
        200,
        {
            "Content-Type": "text/javascript; charset=utf-8",
            "Cache-Control": "no-cache",
        },
    )


@bp.get("/api/catalogue")
def catalogue():
    """What this showroom sells now, and its best sellers: the counter keeps both for when the
    connection drops (its service worker keeps this answer too)."""
    products = counter_products.counter_catalogue(current_user, clock.today())
    return jsonify(
        products=[product_json(p) for p in products],
        best_sellers=counter_products.best_seller_codes(
            current_user, clock.utcnow() - BEST_SELLER_PERIOD
        ),
        csrf_token=generate_csrf(),
        fetched_at=datetime.now(clock.SHOP_TIMEZONE).strftime("%H:%M"),
    )


@bp.get("/api/find")
def find():
    """The shelf's products matching a typed name (the catalogue's folded search)."""
    found = counter_products.find_on_shelf(
        current_user, request.args.get("q", "")[:200], clock.today()
    )
    return jsonify(products=[product_json(p) for p in found])


@bp.get("/api/scan")
def scan():
    """A scanned product, refused with the reason; a pick-up pass answers with its hand-over
    page (the pass's code is checked there)."""
    found = counter_products.scan(
        current_user, request.args.get("code", ""), own_hosts(), clock.today()
    )
    if isinstance(found, ScanKey):
        scanned = found.value + (f"-{found.pickup_code}" if found.pickup_code else "")
        return jsonify(
            pickup=found.value,
            message=_("Pick-up order %(number)s: opening its hand-over.", number=found.value),
            pickup_url=url_for("showrooms.back_office.pickup", number=found.value, scanned=scanned),
        )
    return jsonify(product=product_json(found))


@bp.post("/api/sales")
def record_sale():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return jsonify(refused=True, message=_("The sale could not be read.")), 400
    sale, created = sale_recording.record_sale(
        current_user,
        data.get("client_id"),
        data.get("lines"),
        payment=data.get("payment"),
        cash_given=data.get("cash_given"),
        client_total=data.get("client_total"),
        sold_at=_moment(data.get("sold_at")),
        shift=data.get("shift"),
        today=clock.today(),
    )
    db.session.commit()
    return jsonify(
        number=sale.number,
        client_id=sale.client_id,
        total_vnd=sale.total_vnd,
        cash_given_vnd=sale.cash_given_vnd,
        change_vnd=sale.change_vnd,
        receipt_url=url_for(".receipt", number=sale.number),
        created=created,
    ), 201 if created else 200


def _moment(raw) -> datetime | None:
    if not isinstance(raw, str):
        return None
    try:
        return datetime.fromisoformat(raw[:40])
    except ValueError:
        return None


@bp.post("/api/vietqr")
def vietqr():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return jsonify(refused=True, message=_("The sale could not be read.")), 400
    qr = counter_vietqr.counter_vietqr(
        current_user, data.get("client_id"), data.get("lines"), clock.today()
    )
    return jsonify(
        image=qr.image_data_uri,
        amount_vnd=qr.amount,
        content=qr.content,
        bank_name=qr.bank_name,
        account_number=qr.account_number,
        account_name=qr.account_name,
        is_demo=qr.is_demo,
    )


@bp.get("/sales")
def sales():
    day = date_arg("day")
    return render_template(
        "showrooms/pos/sales.html", day=day, sales=past_sales.sales_of_day(current_user, day)
    )


@bp.get("/sales/<number>")
def sale(number: str):
    return render_template(
        "showrooms/pos/sale.html",
        sale=past_sales.get_sale(current_user, number),
        form=StaffActionForm(),
    )


@bp.get("/sales/<number>/receipt")
def receipt(number: str):
    """The slip to print again, on a 58 or 80 mm roll (``?roll=``)."""
    return render_template(
        "showrooms/pos/receipt.html",
        sale=past_sales.get_sale(current_user, number),
        roll=request.args.get("roll") if request.args.get("roll") in ROLLS else None,
        slip_title=slips.SLIP_TITLE,
    )


@bp.post("/sales/<number>/send")
def send_slip(number: str):
    """Send the slip to the address the customer gives: JSON for the counter's dialog, a
    redirect back to the sale for its page."""
    form = SendSlipForm()
    done = carry_out(form, lambda: slips.send_slip(current_user, number, form.to.data or ""))
    wants_json = request.accept_mimetypes.best == "application/json"
    if done is None:
        message = " ".join(form.form_errors + form.to.errors) or _("The slip was not sent.")
        if wants_json:
            return jsonify(refused=True, message=message), 422
        flash(message, "error")
    else:
        message = _("The slip is on its way to %(to)s.", to=done.value)
        if wants_json:
            return jsonify(sent=True, message=message)
        flash(message, "success")
    return redirect(url_for(".sale", number=number))


@bp.post("/sales/<number>/void")
def void(number: str):
    form = StaffActionForm()
    if carry_out_flashed(
        form, lambda: past_sales.void_sale(current_user, number, form.reason.data)
    ):
        flash(_("The sale is voided; the goods are back on the shelf."), "success")
    return redirect(url_for(".sale", number=number))


@bp.post("/sales/<number>/return")
def take_return(number: str):
    form = StaffActionForm()
    quantities = posted_ids(request.form, "return-")
    if carry_out_flashed(
        form,
        lambda: past_sales.return_items(current_user, number, quantities, form.reason.data),
    ):
        flash(_("The return is recorded; the goods are back on the shelf."), "success")
    return redirect(url_for(".sale", number=number))
