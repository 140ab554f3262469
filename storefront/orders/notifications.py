"""E-mails about orders, through the one outbox."""

from flask_babel import gettext as _
from sqlalchemy import select

from storefront.accounts.models import Role, User
from storefront.extensions import db
from storefront.links import absolute_url_for
from storefront.orders.models import Order
from storefront.outbox.services import queue_email
from storefront.register.models import Producer


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
    return sorted({a for a in [producer.email, *users] if a})
