"""What the buyer and the producers hear about an order, through the one outbox: an e-mail to
the buyer's address, or a text message (SMS) to the buyer's mobile number when the order has no
e-mail address."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from storefront.accounts.models import Role, User
from storefront.extensions import db
from storefront.formatting import format_vnd
from storefront.links import absolute_url_for
from storefront.orders.models import Order, OrderPart, OrderStatus
from storefront.orders.tracking import parcel_link
from storefront.outbox.services import queue_email, queue_sms
from storefront.register.models import Producer

# The changes of an order its buyer hears about (a shipped parcel is told per producer).
TOLD_TO_BUYER = frozenset(
    {
        OrderStatus.PAID,
        OrderStatus.DELIVERED,
        OrderStatus.CANCELLED,
        OrderStatus.EXPIRED,
        OrderStatus.REFUNDED,
    }
)


def order_link(order: Order, secret: str | None) -> str:
    return absolute_url_for("orders.order_page", number=order.number, k=secret)


def order_placed(order: Order, secret: str) -> None:
    """Confirmation to the buyer (with the order's private link) and a notice to each producer
    whose products are in it."""
    if order.contact_email:
        queue_email(
            order.contact_email,
            _("Your OCOP order %(number)s", number=order.number),
            "order_confirmation",
            kind="order_confirmation",
            order=order,
            link=order_link(order, secret),
        )
    else:
        queue_sms(
            order.contact_phone,
            _(
                "OCOP: order %(number)s is placed, %(total)s. Follow it: %(link)s",
                number=order.number,
                total=format_vnd(order.total_vnd),
                link=order_link(order, secret),
            ),
            kind="order_confirmation",
        )
    for part in order.parts:
        for address in producer_addresses(part.producer_id):
            queue_email(
                address,
                _(
                    "New order %(number)s for %(producer)s",
                    number=order.number,
                    producer=part.producer.name,
                ),
                "order_new_for_producer",
                kind="order_new_for_producer",
                order=order,
                part=part,
            )


def status_changed(order: Order, to_status: str) -> None:
    """The buyer hears of a change they care about (paid, delivered, cancelled, expired,
    refunded)."""
    if to_status not in TOLD_TO_BUYER:
        return
    headline = _headline(order, to_status)
    _tell_buyer(order, headline, f"order_{to_status}")


def parcel_shipped(order: Order, part: OrderPart) -> None:
    """A producer's parcel left: the buyer gets its carrier and tracking page."""
    link = parcel_link(part.carrier, part.tracking_number)
    tracking = ""
    if link is not None:
        tracking = " ".join(x for x in (link.carrier, link.tracking_number or "") if x)
        if link.url:
            tracking += f" — {link.url}"
    headline = _(
        "The parcel of %(producer)s for your order %(number)s is on its way.",
        producer=part.producer.name,
        number=order.number,
    )
    _tell_buyer(order, headline, "order_parcel_shipped", detail=tracking)


def pickup_ready(order: Order) -> None:
    """The showroom set the goods aside: the buyer is told where and with which code."""
    if order.contact_email:
        queue_email(
            order.contact_email,
            _("Your OCOP order %(number)s is ready to collect", number=order.number),
            "pickup_ready",
            kind="pickup_ready",
            order=order,
            showroom=order.pickup_showroom,
            pickup_code=order.pickup_code,
        )
        return
    showroom = order.pickup_showroom
    queue_sms(
        order.contact_phone,
        _(
            "OCOP: order %(number)s is ready at %(showroom)s. Pick-up code: %(code)s",
            number=order.number,
            showroom=showroom.name if showroom else "",
            code=order.pickup_code or order.number,
        ),
        kind="pickup_ready",
    )


def _headline(order: Order, to_status: str) -> str:
    number = order.number
    headlines: dict[str, str] = {
        OrderStatus.PAID: _("We received the payment for your order %(number)s.", number=number),
        OrderStatus.DELIVERED: _("Your order %(number)s is delivered.", number=number),
        OrderStatus.CANCELLED: _("Your order %(number)s is cancelled.", number=number),
        OrderStatus.EXPIRED: _(
            "Your order %(number)s was not paid in time and is cancelled.", number=number
        ),
        OrderStatus.REFUNDED: _("Your order %(number)s is refunded.", number=number),
    }
    return headlines[to_status]


def _tell_buyer(order: Order, headline: str, kind: str, detail: str = "") -> None:
    link = order_link(order, None)
    if order.contact_email:
        queue_email(
            order.contact_email,
            headline,
            "order_update",
            kind=kind,
            order=order,
            headline=headline,
            detail=detail,
            link=link,
        )
    else:
        text = " ".join(x for x in ("OCOP:", headline, detail, link) if x)
        queue_sms(order.contact_phone, text, kind=kind)


def producer_addresses(producer_id: int) -> list[str]:
    """Where a producer hears about orders: its own address and its portal users'."""
    producer = db.session.get(Producer, producer_id)
    users = db.session.scalars(
        select(User.email).where(
            User.producer_id == producer_id,
            User.role == Role.PRODUCER,
            User.active.is_(True),
            User.email.is_not(None),
        )
    ).all()
    own = producer.email if producer is not None else None
    return sorted({a for a in [own, *users] if a})
