"""The producer's parts of orders for delivery: the open ones, and moving one on (packed, shipped,
delivered) through the orders' transition table."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storefront.accounts.models import User
from storefront.extensions import db
from storefront.orders import services as orders
from storefront.orders.models import Order, OrderPart, OrderStatus, PartStatus
from storefront.orders.transitions import PARTS_WORKABLE
from storefront.producers.access import PortalError, owned, producer_id_of


def order_parts(actor: User, *, open_only: bool = True) -> list:
    """This producer's parts of orders that can be worked on (paid, or cash on delivery), newest
    first, with their lines and the buyer's delivery details. A shipped part stays here until it
    is delivered, also once the whole order is shipped: someone has to mark it delivered (cash
    on delivery is paid then)."""
    producer_id = producer_id_of(actor)
    query = (
        select(OrderPart)
        .join(Order, Order.id == OrderPart.order_id)
        .where(OrderPart.producer_id == producer_id, Order.fulfilment == "delivery")
        .options(selectinload(OrderPart.lines), selectinload(OrderPart.order))
        .order_by(Order.created_at.desc())
    )
    if open_only:
        query = query.where(
            Order.status.in_([*PARTS_WORKABLE, OrderStatus.SHIPPED]),
            OrderPart.status.in_([PartStatus.PENDING, PartStatus.PACKED, PartStatus.SHIPPED]),
        )
    return list(db.session.scalars(query.limit(200)))


def move_order_part(
    actor: User, part_id: int, to_status: str, *, carrier: str = "", tracking_number: str = ""
) -> None:
    part = owned(actor, db.session.get(OrderPart, part_id), _("No such order."))
    try:
        orders.change_part(
            part,
            to_status,
            orders.Actor.of(actor, "producer"),
            carrier=carrier,
            tracking_number=tracking_number,
        )
    except orders.InvalidTransition as error:
        raise PortalError(str(error)) from error
