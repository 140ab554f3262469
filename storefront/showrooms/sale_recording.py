"""Ringing up a sale at the counter: priced here, its units leave this showroom's shelf through the
inventory service, inside the caller's transaction (callers commit). Every sale belongs to an open
shift (storefront.showrooms.shifts); a sale kept offline carries the counter's clock and its shift,
so it cannot be dated before that shift began.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from storefront.accounts.models import User
from storefront.catalog.notices import notices_for
from storefront.clock import utcnow
from storefront.extensions import db
from storefront.formatting import format_moment
from storefront.inventory import services as stock
from storefront.numbers import parse_vnd
from storefront.register.codes import CODE_ALPHABET
from storefront.showrooms.errors import NotFound, ShowroomError
from storefront.showrooms.models import Sale, SaleLine, SalePayment, SaleStatus
from storefront.showrooms.sale_pricing import check_client_id, price_lines
from storefront.showrooms.shifts import shift_for_sale
from storefront.showrooms.staff import own_showroom_id

MAX_CASH_VND = 1_000_000_000
# A sale kept offline carries the counter's clock and its shift: a time before the shift
# opened or in the future is refused.
CLOCK_SKEW = timedelta(minutes=5)


def new_sale_number() -> str:
    return "BH" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def record_sale(
    actor: User,
    client_id: str,
    raw_lines: object,
    *,
    payment: str,
    cash_given: object = None,
    client_total: object = None,
    sold_at: datetime | None = None,
    shift: object = None,
    today: date,
) -> tuple[Sale, bool]:
    """Ring up a sale: the units leave this showroom's shelf (one conditional UPDATE each, one
    ledger row each) and the sale is kept, all in the caller's transaction. Returns (sale, True)
    for a new sale and (the first sale, False) when this ``client_id`` was recorded already.
    Refused when any line is not on the shelf, the cash does not cover the total, the input is
    wrong, the sale's ``shift`` (its id; without one, the actor's open shift) is not the actor's
    open shift, or ``sold_at`` is in the future or before that shift opened; then nothing
    changed (the caller rolls back)."""
    showroom_id = own_showroom_id(actor)
    check_client_id(client_id)
    existing = _sale_by_client_id(client_id)
    if existing is not None:
        return _same_showroom(existing, showroom_id), False
    open_shift = shift_for_sale(actor, shift)
    sold_at = _sold_at(sold_at, open_shift.opened_at)
    if payment not in set(SalePayment):
        raise ShowroomError(_("Choose how the customer pays: cash or VietQR."))
    lines = price_lines(raw_lines, today)
    total = sum(line.total for line in lines)
    cash = _cash_given(payment, cash_given, total)
    sale = Sale(
        number=new_sale_number(),
        client_id=client_id,
        showroom_id=showroom_id,
        status=SaleStatus.COMPLETED,
        payment_method=payment,
        total_vnd=total,
        cash_given_vnd=cash,
        client_total_vnd=_whole_vnd(client_total),
        staff_id=actor.id,
        staff_name=actor.display_name,
        shift_id=open_shift.id,
        sold_at=sold_at,
        lines=[
            SaleLine(
                product_id=line.product.id,
                producer_id=line.product.producer_id,
                product_code=line.product.code,
                product_name=line.product.name,
                unit=line.product.unit,
                producer_name=line.product.producer.name,
                stars=line.stars,
                unit_price_vnd=line.product.price_vnd,
                quantity=line.quantity,
                line_total_vnd=line.total,
                notices=" ".join(notices_for(line.product)),
            )
            for line in lines
        ],
    )
    db.session.add(sale)
    try:
        db.session.flush()  # the unique client id first: a concurrent twin stops here
    except IntegrityError:
        db.session.rollback()
        first = _sale_by_client_id(client_id)
        if first is None:
            raise
        return _same_showroom(first, showroom_id), False
    location_id = stock.showroom_location(showroom_id).id
    for line in lines:
        try:
            stock.commit_sale(
                line.product.id,
                location_id,
                line.quantity,
                actor=actor,
                reference=sale.number,
                reason="Bán tại quầy",
            )
        except stock.OutOfStock:
            have = stock.available(line.product.id, location_id)
            raise ShowroomError(
                _(
                    "Only %(n)d × %(name)s on the shelf; the sale asks for %(want)d.",
                    n=max(have, 0),
                    name=line.product.name,
                    want=line.quantity,
                )
            ) from None
    return sale, True


def _sale_by_client_id(client_id: str) -> Sale | None:
    return db.session.scalar(select(Sale).where(Sale.client_id == client_id))


def _same_showroom(sale: Sale, showroom_id: int) -> Sale:
    if sale.showroom_id != showroom_id:
        raise NotFound(_("No such sale."))
    return sale


def _cash_given(payment: str, raw: object, total: int) -> int | None:
    if payment != SalePayment.CASH:
        return None
    given = _whole_vnd(raw)
    if given is None:
        return total  # exact money, no change
    if given < total:
        raise ShowroomError(_("The cash given is less than the total."))
    return given


def _whole_vnd(raw: object) -> int | None:
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str | int):
        raise ShowroomError(_("Enter money as a whole number of đồng."))
    try:
        return parse_vnd(raw, maximum=MAX_CASH_VND)
    except ValueError:
        raise ShowroomError(_("Enter money as a whole number of đồng.")) from None


def _sold_at(sold_at: datetime | None, shift_began: datetime) -> datetime:
    """The counter's time of the sale, if it is believable: not in the future, not before the
    shift (both give or take the clocks' skew). Refused otherwise, so a sale cannot be dated
    into a day already counted; the counter keeps a refused sale on screen with the reason."""
    now = utcnow()
    if sold_at is None or sold_at.tzinfo is None:
        return now
    if sold_at > now + CLOCK_SKEW:
        raise ShowroomError(
            _("The sale's time is in the future: check the counter's clock. Nothing was recorded.")
        )
    if sold_at < shift_began - CLOCK_SKEW:
        raise ShowroomError(
            _(
                "The sale's time (%(sold)s) is before this counter's shift began (%(began)s): "
                "nothing was recorded. Check the counter's clock, or ring the sale up again.",
                sold=format_moment(sold_at),
                began=format_moment(shift_began),
            )
        )
    return min(sold_at, now)
