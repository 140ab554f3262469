"""Sales rung up, looked back on: one sale, a day's sales, voiding a sale and taking units back.
Units come back on the shelf through the inventory service, inside the caller's transaction
(callers commit); only at the acting staff member's showroom.
"""

from __future__ import annotations

from datetime import date
from typing import cast

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import selectinload

from storefront.accounts.models import User
from storefront.clock import day_bounds, utcnow
from storefront.extensions import db
from storefront.inventory import services as stock
from storefront.numbers import parse_int
from storefront.showrooms.errors import NotFound, ShowroomError
from storefront.showrooms.models import Sale, SaleLine, SaleReturn, SaleStatus
from storefront.showrooms.shifts import current_shift
from storefront.showrooms.staff import own_showroom_id


def get_sale(actor: User, number: str) -> Sale:
    """A sale of this showroom, else NotFound."""
    showroom_id = own_showroom_id(actor)
    sale = db.session.scalar(
        select(Sale)
        .where(Sale.number == (number or "").strip().upper())
        .options(selectinload(Sale.lines), selectinload(Sale.returns))
    )
    if sale is None or sale.showroom_id != showroom_id:
        raise NotFound(_("No such sale."))
    return sale


def sales_of_day(actor: User, day: date) -> list[Sale]:
    showroom_id = own_showroom_id(actor)
    start, end = day_bounds(day)
    return list(
        db.session.scalars(
            select(Sale)
            .where(Sale.showroom_id == showroom_id, Sale.sold_at >= start, Sale.sold_at < end)
            .options(selectinload(Sale.lines), selectinload(Sale.returns))
            .order_by(Sale.sold_at.desc(), Sale.id.desc())
        )
    )


def void_sale(actor: User, number: str, reason: str) -> Sale:
    """Cancel a whole sale: every unit not yet returned goes back on the shelf (ledger rows)
    and its money back to the customer. Once only; a reason is needed."""
    sale = get_sale(actor, number)
    reason = _reason(reason)
    result = cast(
        CursorResult,
        db.session.execute(
            update(Sale)
            .where(Sale.id == sale.id, Sale.status == SaleStatus.COMPLETED)
            .values(status=SaleStatus.VOIDED, voided_at=utcnow())
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        raise ShowroomError(_("Sale %(number)s is voided already.", number=sale.number))
    db.session.refresh(sale, ["status", "voided_at"])
    for line in sale.lines:
        if line.returnable:
            _take_back(actor, sale, line, line.returnable, reason, "void")
    db.session.flush()
    return sale


def return_items(actor: User, number: str, quantities: dict[int, object], reason: str) -> list:
    """Units of a sale come back: ``{line_id: quantity}``. Each line at most what was sold and
    not yet returned; the units go back on the shelf, the money back to the customer."""
    sale = get_sale(actor, number)
    reason = _reason(reason)
    if sale.status != SaleStatus.COMPLETED:
        raise ShowroomError(
            _("Sale %(number)s is voided; nothing can be returned.", number=sale.number)
        )
    lines = {line.id: line for line in sale.lines}
    wanted = {}
    for line_id, raw in quantities.items():
        text = str(raw if raw is not None else "").strip()
        if text in ("", "0"):
            continue
        try:
            quantity = parse_int(text, minimum=1, maximum=10**9)  # the line's own limit below
        except ValueError:
            raise ShowroomError(_("Enter a whole number of units to return.")) from None
        if line_id not in lines:
            raise NotFound(_("No such line in this sale."))
        wanted[line_id] = quantity
    if not wanted:
        raise ShowroomError(_("Enter how many units come back."))
    taken_back = []
    for line_id, quantity in wanted.items():
        line = lines[line_id]
        if quantity > line.returnable:
            raise ShowroomError(
                _(
                    "At most %(n)d × %(name)s can come back.",
                    n=line.returnable,
                    name=line.product_name,
                )
            )
        taken_back.append(_take_back(actor, sale, line, quantity, reason, "return"))
    db.session.flush()
    return taken_back


def _take_back(
    actor: User, sale: Sale, line: SaleLine, quantity: int, reason: str, kind: str
) -> SaleReturn:
    result = cast(
        CursorResult,
        db.session.execute(
            update(SaleLine)
            .where(
                SaleLine.id == line.id, SaleLine.returned_quantity + quantity <= SaleLine.quantity
            )
            .values(returned_quantity=SaleLine.returned_quantity + quantity)
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        raise ShowroomError(_("These units came back already; reload the page."))
    db.session.refresh(line, ["returned_quantity"])
    stock.return_goods(
        line.product_id,
        stock.showroom_location(sale.showroom_id).id,
        quantity,
        actor=actor,
        reason=("Huỷ hoá đơn: " if kind == "void" else "Khách trả hàng: ") + reason,
        reference=sale.number,
    )
    back = SaleReturn(
        sale=sale,
        line=line,
        kind=kind,
        quantity=quantity,
        amount_vnd=line.unit_price_vnd * quantity,
        reason=reason,
        actor_id=actor.id,
        actor_name=actor.display_name,
        # the money leaves the drawer of the actor's open shift, which counts it
        shift_id=shift.id if (shift := current_shift(actor)) is not None else None,
    )
    db.session.add(back)
    return back


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ShowroomError(_("Say why (e.g. wrong item scanned, customer changed mind)."))
    return reason[:500]
