from functools import partial

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from storefront.accounts.access import roles_required
from storefront.accounts.models import Role
from storefront.extensions import csrf, db
from storefront.orders import expiry
from storefront.orders import services as orders
from storefront.orders.checkout import stripe_enabled
from storefront.orders.models import PaymentMethod
from storefront.orders.routes import viewable_order
from storefront.payments import bank_webhooks, bp, services, stripe_checkout
from storefront.submissions import ButtonForm, carry_out_flashed


@bp.post("/don-hang/<number>/the")
def card_start(number: str):
    """Send the buyer to Stripe's payment page for this order."""
    expiry.expire_due_orders()  # an order past its time is not paid by card any more
    order = viewable_order(number)
    if not stripe_enabled():
        abort(400)
    start = partial(stripe_checkout.start_checkout, order)
    let_through = (stripe_checkout.NotAwaitingCard,)  # 409: the order page has changed
    if done := carry_out_flashed(ButtonForm(), start, let_through=let_through):
        return redirect(done.value, code=303)
    return redirect(url_for("orders.order_page", number=order.number))


@bp.get("/don-hang/<number>/the/xong")
def card_return(number: str):
    """Where Stripe sends the buyer back. It says "waiting" until the webhook confirms; it never
    marks anything paid itself."""
    order = viewable_order(number)
    return render_template(
        "payments/card_return.html", order=order, cancelled=bool(request.args.get("cancelled"))
    )


@bp.post("/payments/stripe/webhook")
@csrf.exempt
def stripe_webhook():
    if not stripe_enabled():
        abort(404)
    try:
        outcome = stripe_checkout.handle_webhook(
            request.get_data(), request.headers.get("Stripe-Signature")
        )
    except services.PaymentError as error:
        db.session.rollback()
        return {"error": str(error)}, 400
    db.session.commit()
    return {"status": outcome}


@bp.post("/payments/sepay/webhook")
@csrf.exempt
def sepay_webhook():
    """SePay reports one transfer (Authorization: Apikey …): paid, or kept for review, once."""
    key = current_app.config["SEPAY_WEBHOOK_API_KEY"]
    if not key:
        abort(404)
    try:
        bank_webhooks.check_sepay(request.headers.get("Authorization"), key)
        transfers = [bank_webhooks.sepay_transfer(bank_webhooks.parse_json(request.get_data()))]
    except bank_webhooks.WebhookUnauthorized:
        return {"success": False, "message": "Unauthorized"}, 401
    except bank_webhooks.WebhookMalformed as error:
        return {"success": False, "message": str(error)}, 400
    return _receive(transfers)


@bp.post("/payments/casso/webhook")
@csrf.exempt
def casso_webhook():
    """Casso reports a transfer (X-Casso-Signature, HMAC-SHA512): paid, or kept for review,
    once."""
    key = current_app.config["CASSO_WEBHOOK_CHECKSUM_KEY"]
    if not key:
        abort(404)
    try:
        body = bank_webhooks.parse_json(request.get_data())
        bank_webhooks.check_casso(request.headers.get("X-Casso-Signature"), body, key)
        transfers = bank_webhooks.casso_transfers(body)
    except bank_webhooks.WebhookUnauthorized:
        return {"success": False, "message": "Unauthorized"}, 401
    except bank_webhooks.WebhookMalformed as error:
        return {"success": False, "message": str(error)}, 400
    return _receive(transfers)


def _receive(transfers: list[bank_webhooks.IncomingTransfer]):
    expiry.expire_due_orders()  # money for an order past its time is late, not a payment
    outcomes = [bank_webhooks.receive(transfer) for transfer in transfers]
    db.session.commit()
    return {"success": True, "outcomes": outcomes}


@bp.route("/office/payments", methods=["GET", "POST"])
@roles_required(Role.OFFICE)
def reconcile():
    """The office's view of transfers to look for on the bank statement."""
    form = ButtonForm()
    result = None
    if request.method == "POST":
        if not form.validate():
            abort(400)
        upload = request.files.get("statement")
        if upload is None or not upload.filename:
            flash(_("Choose the bank statement CSV file."), "error")
        elif done := carry_out_flashed(
            form,
            lambda: services.import_statement(upload.read(), recorded_by=current_user.display_name),
        ):
            result = done.value
    return render_template(
        "payments/reconcile.html",
        form=form,
        result=result,
        awaiting=services.awaiting_transfers(),
        to_review=services.payments_to_review(),
    )


@bp.post("/office/payments/<number>/received")
@roles_required(Role.OFFICE)
def mark_received(number: str):
    form = ButtonForm()
    if not form.validate():
        abort(400)
    order = orders.get_order(number)
    if order is None:
        abort(404)
    reference = request.form.get("reference", "")[:255] or None
    if carry_out_flashed(
        form,
        lambda: services.record_payment(
            order,
            order.total_vnd,
            PaymentMethod.BANK_TRANSFER,
            recorded_by=current_user.display_name,
            reference=reference,
        ),
    ):
        flash(_("%(number)s is marked paid.", number=order.number), "success")
    return redirect(url_for(".reconcile"))
