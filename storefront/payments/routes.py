from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from storefront.accounts.access import roles_required
from storefront.accounts.models import Role
from storefront.extensions import csrf, db
from storefront.orders import expiry
from storefront.orders import services as orders
from storefront.orders.checkout import stripe_enabled
from storefront.orders.forms import OrderActionForm
from storefront.orders.models import PaymentMethod
from storefront.orders.routes import viewable_order
from storefront.payments import bp, services, stripe_checkout


@bp.post("/don-hang/<number>/the")
def card_start(number: str):
    """Send the buyer to Stripe's payment page for this order."""
    expiry.expire_due_orders()
    order = viewable_order(number)
    if not OrderActionForm().validate() or not stripe_enabled():
        abort(400)
    try:
        url = stripe_checkout.start_checkout(order)
    except services.PaymentError:
        abort(409, description=_("This order is not waiting for a card payment."))
    except stripe_checkout.StripeUnavailable:
        db.session.rollback()
        flash(
            _(
                "The card payment service does not answer. Try again in a minute, or pay by "
                "bank transfer."
            ),
            "error",
        )
        return redirect(url_for("orders.order_page", number=order.number))
    db.session.commit()
    return redirect(url, code=303)


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


@bp.route("/office/payments", methods=["GET", "POST"])
@roles_required(Role.OFFICE)
def reconcile():
    """The office's view of transfers to look for on the bank statement."""
    form = OrderActionForm()
    result = None
    if request.method == "POST":
        if not form.validate():
            abort(400)
        upload = request.files.get("statement")
        if upload is None or not upload.filename:
            flash(_("Choose the bank statement CSV file."), "error")
        else:
            try:
                result = services.import_statement(
                    upload.read(), recorded_by=current_user.display_name
                )
            except services.PaymentError as error:
                db.session.rollback()
                flash(str(error), "error")
            else:
                db.session.commit()
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
    if not OrderActionForm().validate():
        abort(400)
    order = orders.get_order(number)
    if order is None:
        abort(404)
    try:
        services.record_payment(
            order,
            order.total_vnd,
            PaymentMethod.BANK_TRANSFER,
            recorded_by=current_user.display_name,
            reference=request.form.get("reference", "")[:255] or None,
        )
    except (services.PaymentError, orders.InvalidTransition) as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("%(number)s is marked paid.", number=order.number), "success")
    return redirect(url_for(".reconcile"))
