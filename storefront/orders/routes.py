import secrets

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import DBAPIError

from storefront import clock
from storefront.accounts.sessions import keep_at_sign_in
from storefront.cart import services as cart_services
from storefront.cart.routes import current_cart
from storefront.delivery import addresses, places
from storefront.ids import parse_id
from storefront.orders import bp, checkout, following, placing, services, transitions
from storefront.orders.forms import CheckoutForm
from storefront.orders.models import Fulfilment, Order, OrderStatus
from storefront.orders.payment_panels import pickup_qr_data_uri, vietqr_for_order
from storefront.register.showrooms import list_showrooms
from storefront.submissions import (
    ButtonForm,
    carry_out,
    carry_out_flashed,
    form_status,
    show_on_form,
)

SESSION_ORDERS = keep_at_sign_in("orders")  # orders placed as a guest, still theirs after sign-in
# A random value per browser session that the checkout form's key is bound to.
SESSION_CHECKOUT_BINDING = "checkout_binding"


# POSTed by the checkout form's "next" buttons: show the communes of the chosen province, or an
# address typed the old way in today's units; nothing is placed (the two steps without script).
FORM_STEPS = ("province", "convert")


@bp.route("/thanh-toan", methods=["GET", "POST"])
def checkout_page():
    """The checkout form. Reading it changes nothing: unpaid orders past their time are expired
    by the job, and by placing an order (in its own transaction)."""
    today = clock.today()
    cart = current_cart()
    form = CheckoutForm()
    status = 200
    converted = None
    # Set when the form is given, so a retry whose first answer was lost finds its order.
    session.setdefault(SESSION_CHECKOUT_BINDING, secrets.token_urlsafe(16))
    stepping = request.method == "POST" and request.form.get("step") in FORM_STEPS
    if stepping:  # a "next" button: the form is not checked yet
        form.validate()
        if "csrf_token" in form.errors:
            abort(400)
        values = request.form.to_dict()
        if values["step"] == "convert":
            converted = places.convert_old_address(values.get("old_address", ""), today)
            values.update(_converted_values(converted))
    elif request.method == "POST":
        outcome = _submit(cart, form, today)
        if not isinstance(outcome, int):
            return outcome
        status, values = outcome, request.form.to_dict()
    else:
        values = _starting_values(request.args.get("dia_chi", type=parse_id))
    if not form.idempotency_key.data:
        form.idempotency_key.data = values.get("idempotency_key") or secrets.token_urlsafe(24)
    view = cart_services.view(cart.items(), today)
    if not view.lines and request.method == "GET":
        return redirect(url_for("cart.show"))
    province = places.province(values.get("province"), today)
    commune = places.find_commune(province, values.get("commune"), today)
    if commune is not None:
        values["commune"] = commune.name
    return render_template(
        "orders/checkout.html",
        form=form,
        cart=view,
        errors={} if stepping else form.shown_errors(),
        posted=values,
        provinces=places.province_choices(today),
        province=province,
        communes=places.communes(province, today),
        quotes=checkout.parcel_quotes(view, Fulfilment.DELIVERY, province),
        pickups=checkout.pickup_options(view, list_showrooms()),
        saved=addresses.saved_for(current_user.get_id() and current_user.id),
        converted=converted,
        methods=checkout.payment_methods(),
    ), status


def _submit(cart, form: CheckoutForm, today):
    """Place the order: a redirect to it, or the status to show the form again with."""
    binding = session[SESSION_CHECKOUT_BINDING]
    valid = form.validate()
    key = (form.idempotency_key.data or "").strip()[:64]
    if "csrf_token" in form.errors or not key:
        abort(400)
    digest = placing.idempotency_digest(key, binding)
    first = placing.order_for_form(digest)
    if first is not None:
        # This form made its order already in this browser session (double click, back and
        # resubmit, a retry after a dropped connection): show that order.
        _remember(first)
        return redirect(url_for(".order_page", number=first.number))
    if not valid:  # the place and the cart are named too, all at once
        show_on_form(form, checkout.refusals(cart.items(), form.fields(), today))
    try:
        done = valid and carry_out(form, lambda: _place(cart, form, today, digest))
    except DBAPIError:
        form.form_errors.append(
            _(
                "The shop could not confirm your order just now. Send the form again in a "
                "moment: it will not be ordered twice."
            )
        )
        return 503
    if not done:
        return form_status(form)
    order, secret = done.value
    _remember(order)
    if order.province_id:
        session[places.SESSION_PROVINCE] = order.province_id
    return redirect(url_for(".order_page", number=order.number, k=secret or None))


@bp.get("/thanh-toan/giao-den")
def delivery_choice():
    """The commune field and the order's summary for a province (htmx swaps them in as the
    buyer picks the province; without script the "Next" button does the same)."""
    today = clock.today()
    view = cart_services.view(current_cart().items(), today)
    province = places.province(request.args.get("province"), today)
    return render_template(
        "orders/_delivery_choice.html",
        cart=view,
        province=province,
        communes=places.communes(province, today),
        quotes=checkout.parcel_quotes(view, Fulfilment.DELIVERY, province),
        posted={},
        errors={},
    )


def _starting_values(saved_id: int | None) -> dict[str, str]:
    """A signed-in customer starts from the chosen saved address (else the latest one); anyone
    from the province they last had goods delivered to."""
    user_id = current_user.get_id() and current_user.id
    saved = addresses.get_saved(user_id, saved_id)
    if saved is None and saved_id is None:
        mine = addresses.saved_for(user_id)
        saved = mine[0] if mine else None
    if saved is not None:
        return {
            "name": saved.contact_name,
            "phone": saved.contact_phone,
            "province": str(saved.province_id),
            "commune": str(saved.commune_id),
            "address": saved.address_line,
            "saved": str(saved.id),
        }
    remembered = session.get(places.SESSION_PROVINCE)
    return {"province": str(remembered)} if remembered else {}


def _converted_values(converted) -> dict[str, str]:
    if converted is None:
        return {}
    values = {"province": str(converted.province.id), "fulfilment": "delivery"}
    if converted.commune is not None:
        values["commune"] = str(converted.commune.id)
    if converted.street:
        values["address"] = converted.street
    return values


def _place(cart, form: CheckoutForm, today, digest: str):
    return checkout.place(
        cart,
        form.fields(),
        today,
        customer_id=current_user.get_id() and current_user.id,
        idempotency_digest=digest,
    )


def _remember(order: Order) -> None:
    """This browser may come back to the order without the link for the rest of the session."""
    numbers = [n for n in session.get(SESSION_ORDERS, []) if n != order.number][-9:]
    session[SESSION_ORDERS] = [*numbers, order.number]


def viewable_order(number: str) -> Order:
    order = services.get_order(number)
    if order is None or not services.may_view(
        order,
        user=current_user,
        secret=request.args.get("k"),
        session_orders=session.get(SESSION_ORDERS),
    ):
        abort(404)  # someone else's order looks like no order at all
    return order


def _order_view(order: Order) -> dict:
    """What the order page shows of the order as it stands now (also its polled part)."""
    state = order.state_on(clock.utcnow())  # overdue and unpaid reads as expired
    vietqr = vietqr_for_order(order, state)
    return {
        "order": order,
        "state": state,
        "form": ButtonForm(),
        "vietqr": vietqr,
        "waiting": vietqr is not None,
        "secret": request.args.get("k"),
        "pickup_qr": pickup_qr_data_uri(order, state),
        "may_cancel": state == order.status and transitions.may_cancel(order, "customer"),
        "parcels": following.parcels(order),
        "pictures": following.first_pictures({line.product_id for line in order.lines}),
        "may_buy_again": following.may_buy_again(order),
    }


@bp.get("/don-hang/<number>")
def order_page(number: str):
    order = viewable_order(number)
    _remember(order)
    return render_template("orders/order.html", **_order_view(order))


@bp.get("/don-hang/<number>/trang-thai-thanh-toan")
def payment_status(number: str):
    """The order's changing part alone, for the page's polling (htmx, every 5 s) while a transfer
    is awaited; once the order no longer waits, the answer stops the polling."""
    order = viewable_order(number)
    return render_template(
        "orders/_order_live.html",
        **_order_view(order),
        just_paid=order.status == OrderStatus.PAID,
    )


@bp.post("/don-hang/<number>/mua-lai")
def buy_again(number: str):
    """The same items back in the cart: only what is sold today; what was left out is said."""
    order = viewable_order(number)
    cart = current_cart()
    done = carry_out_flashed(ButtonForm(), lambda: following.buy_again(order, cart, clock.today()))
    if done:
        result = done.value
        if result.added:
            flash(_("Back in your cart: %(names)s.", names=", ".join(result.added)), "success")
        if result.left_out:
            flash(
                _(
                    "Not added, no longer sold: %(names)s.",
                    names=", ".join(result.left_out),
                ),
                "warning",
            )
    return redirect(url_for("cart.show"))


@bp.post("/don-hang/<number>/huy")
def cancel(number: str):
    order = viewable_order(number)
    actor = services.Actor(
        "customer", order.contact_name, current_user.get_id() and current_user.id
    )
    if carry_out_flashed(
        ButtonForm(),
        lambda: services.change_status(
            order, OrderStatus.CANCELLED, actor, note=_("Cancelled by the customer")
        ),
    ):
        flash(_("Your order is cancelled."), "success")
    return redirect(url_for(".order_page", number=order.number))


@bp.get("/tai-khoan/don-hang")
@login_required
def my_orders():
    """Đơn hàng của tôi: the customer's orders by status tab, with pictures."""
    now = clock.utcnow()
    mine = following.my_orders(current_user.id, request.args.get("tab"), now)
    return render_template("orders/mine.html", mine=mine, tabs=following.TABS, now=now)
