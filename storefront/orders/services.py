"""Moving orders through the transition table, and finding the order a person may see.

Every change of status is one conditional UPDATE (``… WHERE status = :seen``), so two requests can
never both make the same change, and the stock side of a change (release, sale) happens exactly
once with it. Callers commit; nothing here commits. Placing an order: orders.placing; expiring
unpaid ones: orders.expiry.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import selectinload

from storefront.clock import utcnow
from storefront.domain import Refused
from storefront.extensions import db
from storefront.inventory import services as stock
from storefront.orders import notifications, transitions
from storefront.orders.models import (
    Fulfilment,
    Order,
    OrderEvent,
    OrderLine,
    OrderPart,
    OrderStatus,
    PartStatus,
    PaymentMethod,
)

if TYPE_CHECKING:
    from flask_login import AnonymousUserMixin

    from storefront.accounts.models import User


class OrderError(Refused):
    """A refused order or change, with a message for the person; nothing was changed."""


class SoldOut(OrderError):
    def __init__(self, product_name: str):
        super().__init__(
            _("Sorry, %(name)s sold out while you were checking out.", name=product_name)
        )
        self.product_name = product_name


class InvalidTransition(OrderError):
    pass


@dataclass(frozen=True)
class Actor:
    """Who makes a change, for the transition table and the history."""

    role: str  # customer, producer, staff, office, system
    name: str
    user_id: int | None = None
    producer_id: int | None = None
    showroom_id: int | None = None

    @classmethod
    def of(cls, user: User, role: str | None = None) -> Actor:
        return cls(
            role or user.role, user.display_name, user.id, user.producer_id, user.showroom_id
        )


SYSTEM = Actor("system", "Hệ thống")


def access_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def may_view(
    order: Order,
    *,
    user: User | AnonymousUserMixin | None = None,
    secret: str | None = None,
    session_orders: list[str] | None = None,
) -> bool:
    """The buyer (signed in), whoever holds the order's secret link, or the browser that placed
    it may see an order; nobody else."""
    if (
        user is not None
        and getattr(user, "is_authenticated", False)
        and order.customer_id == user.id
    ):
        return True
    if secret and hmac.compare_digest(access_digest(secret), order.access_digest):
        return True
    return order.number in (session_orders or [])


# --- changes of state ------------------------------------------------------------------------


def change_status(order: Order, to_status: str, actor: Actor, note: str | None = None) -> None:
    """Move an order along the table, with its stock side effects, exactly once."""
    from_status = order.status
    parts = transitions.part_statuses(order)
    if not transitions.order_allows(from_status, to_status, actor.role, parts):
        if transitions.order_allows(from_status, to_status, actor.role):  # stopped by a sent part
            raise InvalidTransition(
                _(
                    "Part of this order has already been shipped, so it can no longer be "
                    "cancelled here. Contact the OCOP office to cancel or return it."
                )
            )
        raise InvalidTransition(
            _("This order cannot go from “%(a)s” to “%(b)s”.", a=from_status, b=to_status)
        )
    _guard_actor(order, actor)
    values: dict[str, object] = {"status": to_status}
    if to_status == OrderStatus.PAID:
        values["paid_at"] = utcnow()
    result = db.session.execute(
        update(Order)
        .where(Order.id == order.id, Order.status == from_status)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult, result).rowcount != 1:
        raise InvalidTransition(_("This order was changed meanwhile; reload the page."))
    db.session.refresh(order)
    record_event(order, None, from_status, to_status, actor, note)
    _apply_stock_side(order, from_status, to_status, actor)
    db.session.flush()
    notifications.status_changed(order, to_status)


def _guard_actor(order: Order, actor: Actor) -> None:
    if actor.role == "staff" and actor.showroom_id != order.pickup_showroom_id:
        raise InvalidTransition(_("This order is not for your showroom."))


def record_event(
    order: Order,
    part: OrderPart | None,
    from_status: str | None,
    to_status: str,
    actor: Actor,
    note: str | None,
) -> None:
    """One line of the order's timeline: who moved it (or one producer's part) from what to what."""
    db.session.add(
        OrderEvent(
            order_id=order.id,
            part_id=part.id if part is not None else None,
            from_status=from_status,
            to_status=to_status,
            actor_id=actor.user_id,
            actor_name=actor.name,
            note=note,
        )
    )


def _sell(order: Order, lines: list[OrderLine], actor: Actor, reason: str) -> None:
    """The reserved units of ``lines`` leave stock as sold (shipped, or collected at a showroom)."""
    for line in lines:
        stock.commit_sale(
            line.product_id,
            line.location_id,
            line.quantity,
            actor=actor.name,
            reference=order.number,
            reserved=True,
            reason=reason,
        )


def _apply_stock_side(order: Order, from_status: str, to_status: str, actor: Actor) -> None:
    if to_status in (OrderStatus.CANCELLED, OrderStatus.EXPIRED) or (
        to_status == OrderStatus.REFUNDED and from_status in transitions.HOLDING_RESERVATIONS
    ):
        _release_open_lines(order)
        for part in order.parts:
            if part.status in transitions.PARTS_HOLDING:
                part.status = PartStatus.CANCELLED
    elif to_status == OrderStatus.COLLECTED:
        _sell(order, order.lines, actor, "Giao hàng tại điểm bán")


def _release_open_lines(order: Order) -> None:
    """Give back the reservations of lines not yet handed over (parts that left the warehouse
    hold none: their units were taken out when they were shipped)."""
    for part in order.parts:
        if part.status not in transitions.PARTS_HOLDING:
            continue
        for line in part.lines:
            stock.release(line.product_id, line.location_id, line.quantity, reference=order.number)


def change_part(
    part: OrderPart,
    to_status: str,
    actor: Actor,
    *,
    carrier: str | None = None,
    tracking_number: str | None = None,
    note: str | None = None,
) -> None:
    """A producer packs, ships (with carrier and tracking number) or marks delivered its part
    (the office too, e.g. from the carrier's confirmation of delivery). Shipping takes the units
    out of its warehouse and tells the buyer the carrier and tracking number; when every part is
    shipped (delivered) the order is shipped (delivered: cash on delivery is then paid)."""
    order = part.order
    if actor.role == "producer" and actor.producer_id != part.producer_id:
        raise InvalidTransition(_("This part of the order is not yours."))
    if order.fulfilment != Fulfilment.DELIVERY or order.status not in (
        *transitions.PARTS_WORKABLE,
        OrderStatus.SHIPPED,
    ):
        raise InvalidTransition(_("This order is not ready to be packed or shipped."))
    from_status = part.status
    if not transitions.part_allows(from_status, to_status, actor.role):
        raise InvalidTransition(
            _("This part cannot go from “%(a)s” to “%(b)s”.", a=from_status, b=to_status)
        )
    if to_status == PartStatus.SHIPPED and not (carrier or "").strip():
        raise InvalidTransition(_("Name the carrier (e.g. Viettel Post, GHN)."))
    result = db.session.execute(
        update(OrderPart)
        .where(OrderPart.id == part.id, OrderPart.status == from_status)
        .values(status=to_status)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult, result).rowcount != 1:
        raise InvalidTransition(_("This order was changed meanwhile; reload the page."))
    db.session.refresh(part)
    if to_status == PartStatus.SHIPPED:
        part.carrier = (carrier or "").strip()[:100]
        part.tracking_number = (tracking_number or "").strip()[:100] or None
        _sell(order, part.lines, actor, "Gửi hàng cho khách")
    event_note = " — ".join(x for x in (part.producer.name, note) if x)
    record_event(order, part, from_status, to_status, actor, event_note)
    db.session.flush()
    if to_status == PartStatus.SHIPPED:
        notifications.parcel_shipped(order, part)
    _follow_parts(order)


def _follow_parts(order: Order) -> None:
    """The order is shipped when every part is, delivered when every part is (parts that came
    back do not count)."""
    statuses = {part.status for part in order.parts} - {PartStatus.RETURNED}
    if (
        order.status in transitions.PARTS_WORKABLE
        and statuses
        and statuses <= {PartStatus.SHIPPED, PartStatus.DELIVERED}
    ):
        change_status(order, OrderStatus.SHIPPED, SYSTEM)
    if order.status == OrderStatus.SHIPPED and statuses == {PartStatus.DELIVERED}:
        change_status(order, OrderStatus.DELIVERED, SYSTEM)
        if order.payment_method == PaymentMethod.CASH_ON_DELIVERY and order.paid_at is None:
            order.paid_at = utcnow()


def get_order(number: str) -> Order | None:
    return db.session.scalar(
        select(Order)
        .where(Order.number == number.strip().upper())
        .options(
            selectinload(Order.lines),
            selectinload(Order.parts).selectinload(OrderPart.lines),
            selectinload(Order.events),
        )
    )
