"""The office's returns flow (Hoàn hàng): a parcel that came back to its producer.

Once a part has shipped, the buyer can no longer cancel (storefront/orders/transitions.py); the
office cancels the order if need be and, when the parcel is back, records which lines came back.
Their units go back to the warehouse they left, through the inventory service (one ledger row of
kind "return" each), exactly once: each line counts its returned units, and the form carries the
counts it was made from, so sending the same form again changes nothing. When every unit of a
part is back the part is "returned"; when no part is left out, the order is cancelled (never paid)
or refunded (paid). Callers commit; nothing here commits.
"""

from __future__ import annotations

from typing import cast

from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.engine import CursorResult

from storefront.accounts.models import User
from storefront.extensions import db
from storefront.inventory import services as stock
from storefront.orders import transitions
from storefront.orders.models import (
    Fulfilment,
    Order,
    OrderLine,
    OrderPart,
    OrderStatus,
    PartStatus,
)
from storefront.orders.services import (
    Actor,
    InvalidTransition,
    OrderError,
    change_status,
    record_event,
)

MAX_REASON = 500


class ReturnRefused(OrderError):
    """A return that was not recorded; nothing changed."""


def returnable_parts(order: Order) -> list[OrderPart]:
    """The parts whose parcel may still come back (shipped or delivered, units not all back)."""
    if order.fulfilment != Fulfilment.DELIVERY:
        return []
    return [
        part
        for part in order.parts
        if part.status in transitions.PARTS_RETURNABLE
        and any(line.returnable for line in part.lines)
    ]


def record_return(
    user: User,
    order: Order,
    part_id: int,
    quantities: dict[int, int],
    seen: dict[int, int],
    reason: str,
) -> int:
    """Record that ``quantities`` ({order line id: units}) of one part came back; returns the
    number of units put back in stock. ``seen`` is {line id: units already returned} as the
    office's form showed them. Refused (ReturnRefused, nothing changed) for anyone but the
    office, a part that has not shipped, no units or more than were sent, no reason, or a form
    whose counts are no longer current (the same return sent twice)."""
    if getattr(user, "role", None) != "office":
        raise InvalidTransition(_("Only the OCOP office records returns."))
    actor = Actor.of(user, "office")
    part = next((p for p in order.parts if p.id == part_id), None)
    if part is None:
        raise ReturnRefused(_("This order has no such part."))
    if part not in returnable_parts(order):
        raise ReturnRefused(_("Only a parcel that was shipped can come back."))
    reason = (reason or "").strip()[:MAX_REASON]
    if not reason:
        raise ReturnRefused(_("Say why the parcel came back (refused, damaged, sent back…)."))
    wanted = {line.id: quantities.get(line.id, 0) for line in part.lines}
    for line in part.lines:
        quantity = wanted[line.id]
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 0:
            raise ReturnRefused(_("Enter the units that came back as whole numbers."))
        if quantity > line.returnable:
            raise ReturnRefused(
                _(
                    "At most %(n)d × %(name)s can come back.",
                    n=line.returnable,
                    name=line.product_name,
                )
            )
    if not any(wanted.values()):
        raise ReturnRefused(_("Enter how many units of each product came back."))

    put_back = 0
    summary = []
    for line in part.lines:
        quantity = wanted[line.id]
        if not quantity:
            continue
        _count_returned(line, quantity, seen.get(line.id))
        stock.return_goods(
            line.product_id,
            line.location_id,
            quantity,
            actor=user,
            reason=f"Hoàn hàng: {reason}",
            reference=order.number,
        )
        put_back += quantity
        summary.append(f"{quantity} × {line.product_name}")
    from_status = part.status
    to_status = from_status
    if not any(line.returnable for line in part.lines):
        to_status = PartStatus.RETURNED
        _mark_part_returned(part, from_status, actor)
    note = f"{part.producer.name} — Hoàn hàng: {', '.join(summary)} ({reason})"
    record_event(order, part, from_status, to_status, actor, note)
    db.session.flush()
    _close_when_all_back(order, actor)
    return put_back


def _count_returned(line: OrderLine, quantity: int, seen: int | None) -> None:
    """One conditional UPDATE: the units are counted only if the line still shows what the form
    saw, and never past what was sent."""
    column = OrderLine.__table__.c
    result = db.session.execute(
        update(OrderLine)
        .where(
            column.id == line.id,
            column.returned_quantity == (seen if isinstance(seen, int) else -1),
            column.returned_quantity + quantity <= column.quantity,
        )
        .values(returned_quantity=column.returned_quantity + quantity)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult, result).rowcount != 1:
        raise ReturnRefused(
            _("This return was recorded already, or the order changed meanwhile; reload the page.")
        )
    db.session.refresh(line)


def _mark_part_returned(part: OrderPart, from_status: str, actor: Actor) -> None:
    if not transitions.part_allows(from_status, PartStatus.RETURNED, actor.role):
        raise InvalidTransition(_("This part cannot be marked returned."))
    result = db.session.execute(
        update(OrderPart)
        .where(OrderPart.id == part.id, OrderPart.status == from_status)
        .values(status=PartStatus.RETURNED)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult, result).rowcount != 1:
        raise ReturnRefused(_("This order was changed meanwhile; reload the page."))
    db.session.refresh(part)


def _close_when_all_back(order: Order, actor: Actor) -> None:
    """No part left out: the order ends, cancelled if it was never paid, else refunded."""
    if order.status in transitions.FINAL:
        return
    if not all(part.status in (PartStatus.RETURNED, PartStatus.CANCELLED) for part in order.parts):
        return
    target = OrderStatus.CANCELLED if order.paid_at is None else OrderStatus.REFUNDED
    if transitions.order_allows(order.status, target, actor.role):
        change_status(order, target, actor, note=_("Every parcel came back"))
