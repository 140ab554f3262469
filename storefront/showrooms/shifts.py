"""Shifts at the counter: a staff member opens one at their showroom with the cash float counted
into the drawer, rings up sales in it, and closes it by counting the drawer. What the drawer
should hold is the float, plus cash sales, less cash given back, plus cash taken for pick-up
orders by this staff member, all during the shift; a count that differs needs a reason.
Callers commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from storefront.accounts.models import User
from storefront.clock import utcnow
from storefront.extensions import db
from storefront.formatting import format_vnd
from storefront.numbers import parse_vnd
from storefront.orders.models import Order, PaymentMethod
from storefront.payments.models import Payment
from storefront.showrooms.errors import NotFound, ShowroomError
from storefront.showrooms.models import Sale, SalePayment, SaleReturn, Shift
from storefront.showrooms.staff import own_showroom_id

MAX_DRAWER_VND = 1_000_000_000


@dataclass(frozen=True)
class DrawerCount:
    """What the drawer of a shift should hold, and where it comes from."""

    opening_float: int
    cash_sales: int
    cash_returned: int
    pickup_cash: int

    @property
    def expected(self) -> int:
        return self.opening_float + self.cash_sales - self.cash_returned + self.pickup_cash


def current_shift(actor: User) -> Shift | None:
    """The actor's open shift at their showroom, if any."""
    showroom_id = own_showroom_id(actor)
    return db.session.scalar(
        select(Shift).where(
            Shift.staff_id == actor.id,
            Shift.showroom_id == showroom_id,
            Shift.closed_at.is_(None),
        )
    )


def open_shift(actor: User, counted_float: object, now: datetime | None = None) -> Shift:
    """Open a shift with the cash float counted into the drawer (0 is a float too). Refused
    while this staff member has a shift open, or for an amount that is not whole đồng."""
    showroom_id = own_showroom_id(actor)
    if current_shift(actor) is not None:
        raise ShowroomError(_("Your shift is already open."))
    shift = Shift(
        showroom_id=showroom_id,
        staff_id=actor.id,
        staff_name=actor.display_name,
        opened_at=now or utcnow(),
        opening_float_vnd=_amount(counted_float, _("Count the cash float in the drawer.")),
    )
    db.session.add(shift)
    try:
        db.session.flush()  # the one-open-shift index: a second tab's twin stops here
    except IntegrityError:
        db.session.rollback()
        raise ShowroomError(_("Your shift is already open.")) from None
    return shift


def shift_for_sale(actor: User, shift_id: object) -> Shift:
    """The shift a sale is rung up in: the one it carries (a sale kept offline carries the shift
    of the page that made it), else the actor's open shift. Refused when there is none, or it is
    another staff member's, another showroom's, or closed."""
    showroom_id = own_showroom_id(actor)
    if shift_id is None or shift_id == "":
        shift = current_shift(actor)
        if shift is None:
            raise ShowroomError(_("Open your shift first: no sale is recorded outside a shift."))
        return shift
    shift = (
        db.session.get(Shift, shift_id)
        if isinstance(shift_id, int) and not isinstance(shift_id, bool)
        else None
    )
    if shift is None or shift.staff_id != actor.id or shift.showroom_id != showroom_id:
        raise ShowroomError(_("The sale's shift is not yours; reload the counter page."))
    if not shift.is_open:
        raise ShowroomError(
            _(
                "The sale's shift was closed and its drawer counted; nothing was recorded. "
                "Ring the sale up again in an open shift."
            )
        )
    return shift


def drawer_count(shift: Shift, until: datetime | None = None) -> DrawerCount:
    """The cash a shift's drawer should hold (now, or when it was closed). Three queries."""
    cash_sales = db.session.scalar(
        select(func.coalesce(func.sum(Sale.total_vnd), 0)).where(
            Sale.shift_id == shift.id, Sale.payment_method == SalePayment.CASH
        )
    )
    cash_returned = db.session.scalar(
        select(func.coalesce(func.sum(SaleReturn.amount_vnd), 0))
        .join(Sale, Sale.id == SaleReturn.sale_id)
        .where(SaleReturn.shift_id == shift.id, Sale.payment_method == SalePayment.CASH)
    )
    end = until or shift.closed_at or utcnow()
    pickup_cash = db.session.scalar(
        select(func.coalesce(func.sum(Payment.amount_vnd), 0))
        .join(Order, Order.id == Payment.order_id)
        .where(
            Order.pickup_showroom_id == shift.showroom_id,
            Payment.method == PaymentMethod.CASH_AT_PICKUP,
            Payment.recorded_by == shift.staff_name,
            Payment.created_at >= shift.opened_at,
            Payment.created_at <= end,
        )
    )
    return DrawerCount(
        shift.opening_float_vnd, cash_sales or 0, cash_returned or 0, pickup_cash or 0
    )


def close_shift(actor: User, counted_cash: object, reason: str | None) -> Shift:
    """Close the actor's open shift with the drawer counted. The expected amount is kept with
    it; a count that differs from it needs a reason. Refused when no shift is open."""
    shift = current_shift(actor)
    if shift is None:
        raise ShowroomError(_("You have no open shift."))
    counted = _amount(counted_cash, _("Count the cash in the drawer."))
    now = utcnow()
    expected = drawer_count(shift, now).expected
    reason = (reason or "").strip()[:500] or None
    if counted != expected and reason is None:
        raise ShowroomError(
            _(
                "The drawer should hold %(expected)s and you counted %(counted)s "
                "(%(difference)s): count again, or say why it differs.",
                expected=format_vnd(expected),
                counted=format_vnd(counted),
                difference=("+" if counted > expected else "−")
                + format_vnd(abs(counted - expected)),
            ),
            "reason",
        )
    shift.closed_at = now
    shift.counted_cash_vnd = counted
    shift.expected_cash_vnd = expected
    shift.difference_reason = reason if counted != expected else None
    db.session.flush()
    return shift


def get_shift(actor: User, shift_id: int) -> Shift:
    """A shift of this showroom, else NotFound."""
    showroom_id = own_showroom_id(actor)
    shift = db.session.get(Shift, shift_id)
    if shift is None or shift.showroom_id != showroom_id:
        raise NotFound(_("No such shift."))
    return shift


def shifts_between(showroom_id: int, start: datetime, end: datetime) -> list[Shift]:
    """Shifts of a showroom opened in [start, end), oldest first."""
    return list(
        db.session.scalars(
            select(Shift)
            .where(
                Shift.showroom_id == showroom_id,
                Shift.opened_at >= start,
                Shift.opened_at < end,
            )
            .order_by(Shift.opened_at, Shift.id)
        )
    )


def _amount(raw: object, missing: str) -> int:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise ShowroomError(missing, "amount")
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        raise ShowroomError(_("Enter money as a whole number of đồng."), "amount")
    try:
        return parse_vnd(raw, maximum=MAX_DRAWER_VND)
    except ValueError:
        raise ShowroomError(_("Enter money as a whole number of đồng."), "amount") from None
