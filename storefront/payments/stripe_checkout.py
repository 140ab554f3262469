"""Card payment by Stripe Checkout (hosted page). On only when both Stripe keys are set.

VND is a zero-decimal currency: amounts go to Stripe in whole đồng, never × 100. The order is
marked paid by the signed webhook alone.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import stripe
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from storefront.clock import utcnow
from storefront.domain import Conflict, Refused
from storefront.extensions import db
from storefront.links import absolute_url_for
from storefront.orders import services as orders
from storefront.orders.models import Order, OrderStatus, PaymentMethod
from storefront.payments import services as payments
from storefront.payments.models import Payment, ReviewReason, StripeEvent

log = logging.getLogger(__name__)
STRIPE_MIN_EXPIRY = timedelta(minutes=30)  # Stripe refuses sessions that expire sooner


class StripeUnavailable(Refused):
    """Stripe did not answer; nothing was changed and the buyer may try again."""


class NotAwaitingCard(Conflict, payments.PaymentError):
    """The order is paid, expired or not paid by card (409: look at the order again)."""


def client() -> stripe.StripeClient:
    return stripe.StripeClient(current_app.config["STRIPE_SECRET_KEY"], max_network_retries=2)


def start_checkout(order: Order) -> str:
    """The URL of the Stripe-hosted payment page for this order (made once per order)."""
    if order.payment_method != PaymentMethod.CARD or order.status != OrderStatus.AWAITING_PAYMENT:
        raise NotAwaitingCard(_("This order is not waiting for a card payment."))
    if order.stripe_session_id and order.pay_by:
        expires_at = order.pay_by  # asked again: the same parameters, or Stripe refuses the key
    else:
        expires_at = max(order.pay_by or utcnow(), utcnow() + STRIPE_MIN_EXPIRY)
    params = {
        "mode": "payment",
        "currency": "vnd",
        "line_items": [
            {
                "quantity": line.quantity,
                "price_data": {
                    "currency": "vnd",
                    "unit_amount": line.unit_price_vnd,  # whole đồng: VND has no minor unit
                    "product_data": {"name": line.product_name[:250]},
                },
            }
            for line in order.lines
        ]
        + (
            [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": "vnd",
                        "unit_amount": order.shipping_vnd,
                        "product_data": {"name": "Phí vận chuyển"},
                    },
                }
            ]
            if order.shipping_vnd
            else []
        ),
        "client_reference_id": order.number,
        "metadata": {"order_number": order.number},
        "payment_intent_data": {"metadata": {"order_number": order.number}},
        "customer_email": order.contact_email or None,
        "expires_at": int(expires_at.timestamp()),
        "success_url": absolute_url_for("payments.card_return", number=order.number),
        "cancel_url": absolute_url_for("payments.card_return", number=order.number, cancelled=1),
    }
    params = {k: v for k, v in params.items() if v is not None}
    try:
        session = client().v1.checkout.sessions.create(
            params, options={"idempotency_key": f"checkout-{order.number}"}
        )
    except stripe.StripeError as error:
        log.warning("Stripe did not start a checkout for %s: %s", order.number, error)
        raise StripeUnavailable(
            _(
                "The card payment service does not answer. Try again in a minute, or pay by "
                "bank transfer."
            )
        ) from error
    order.stripe_session_id = session.id
    order.pay_by = expires_at  # the order waits as long as Stripe may take the money
    db.session.flush()
    return session.url


def handle_webhook(payload: bytes, signature: str | None) -> str:
    """Verify the signature on the raw body, apply each event once. Returns what was done."""
    secret = current_app.config["STRIPE_WEBHOOK_SECRET"]
    try:
        event = stripe.Webhook.construct_event(payload, signature or "", secret)
    except (ValueError, stripe.SignatureVerificationError) as error:
        raise payments.PaymentError(f"invalid webhook: {error}") from error
    # Insert the event id first: a second delivery, however concurrent, stops here.
    # (No SAVEPOINT: on SQLite its RELEASE commits at once, and an event whose handling then
    # failed would be dropped as a duplicate when Stripe retries it.)
    try:
        db.session.add(StripeEvent(id=event.id, type=event.type))
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return "duplicate"
    obj = event.data.object.to_dict()  # a StripeObject is not a dict: no .get()
    handler = _HANDLERS.get(event.type)
    return handler(obj) if handler else "ignored"


def _order_of(obj) -> Order | None:
    metadata = obj.get("metadata") or {}
    number = metadata.get("order_number") or obj.get("client_reference_id")
    return orders.get_order(number) if number else None


def _paid(session) -> str:
    """Stripe took the money. It pays the order only when everything matches what the order
    asked for: its own session, a one-off payment, in đồng, the whole total, a card order still
    waiting. Otherwise the money is kept for the office with why, and the order is unchanged."""
    if session.get("payment_status") != "paid":
        return "waiting"  # e.g. a bank debit still on its way: async_payment_succeeded follows
    order = _order_of(session)
    if order is None:
        return "unknown order"
    amount = int(session.get("amount_total") or 0)
    reason = payments.late_reason(order) or _mismatch(order, session)
    if reason is None and order.status != OrderStatus.AWAITING_PAYMENT:
        return f"order already {order.status}"
    if reason is None:
        try:
            payments.record_payment(
                order,
                amount,
                PaymentMethod.CARD,
                recorded_by="stripe",
                reference=session.get("payment_intent"),
            )
        except payments.PaymentError:
            reason = ReviewReason.AMOUNT_DIFFERS
        except orders.InvalidTransition:
            return "already handled"  # another event for the same session won the race
        else:
            return "paid"
    payments.record_unmatched_payment(
        order,
        amount,
        PaymentMethod.CARD,
        reason=reason,
        recorded_by="stripe",
        reference=session.get("payment_intent"),
    )
    return f"{reason}: recorded for the office"


def _mismatch(order: Order, session) -> str | None:
    """What in a paid Checkout Session does not match the order, or None."""
    if order.payment_method != PaymentMethod.CARD:
        return ReviewReason.NOT_A_CARD_ORDER
    if not order.stripe_session_id or session.get("id") != order.stripe_session_id:
        return ReviewReason.OTHER_SESSION
    if session.get("mode") != "payment":
        return ReviewReason.NOT_A_PAYMENT
    if (session.get("currency") or "").lower() != "vnd":
        return ReviewReason.OTHER_CURRENCY
    return None


def _expire_unpaid(note: str):
    """A handler that gives an unpaid card order's goods back, once."""

    def handle(session) -> str:
        order = _order_of(session)
        if order is None or order.status != OrderStatus.AWAITING_PAYMENT:
            return "nothing to do"
        try:
            orders.change_status(order, OrderStatus.EXPIRED, orders.SYSTEM, note=note)
        except orders.InvalidTransition:
            return "already handled"
        return "expired"

    return handle


def _refunded(charge) -> str:
    # A charge does not carry the session's metadata: find the order by its payment intent.
    order = _order_of(charge) or db.session.scalar(
        select(Order)
        .join(Payment, Payment.order_id == Order.id)
        .where(Payment.reference == charge.get("payment_intent"))
    )
    if order is None:
        return "unknown order"
    if not charge.get("refunded"):
        return "partial refund: the office decides"
    if order.status in (OrderStatus.PAID, OrderStatus.DELIVERED, OrderStatus.COLLECTED):
        orders.change_status(order, OrderStatus.REFUNDED, orders.SYSTEM, note="Hoàn tiền thẻ")
        return "refunded"
    return f"order is {order.status}"


_HANDLERS = {
    "checkout.session.completed": _paid,
    "checkout.session.async_payment_succeeded": _paid,
    "checkout.session.async_payment_failed": _expire_unpaid("Thanh toán thẻ thất bại"),
    "checkout.session.expired": _expire_unpaid("Phiên thanh toán hết hạn"),
    "charge.refunded": _refunded,
}
