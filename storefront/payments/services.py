"""Recording money that arrived: a transfer the office saw on the bank statement (one by one or
from the statement's CSV), cash handed over, or a card payment confirmed by Stripe's webhook.

An order is marked paid here and only here — never because a browser came back from a payment
page."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute

from storefront.clock import utcnow
from storefront.domain import Refused
from storefront.extensions import db
from storefront.folding import fold
from storefront.formatting import format_vnd
from storefront.numbers import parse_vnd
from storefront.orders import services as orders
from storefront.orders.models import Order, OrderStatus, PaymentMethod
from storefront.payments.models import Payment, ReviewReason

# Overlapping candidates: in "TT DH DH2611ABCD" the first "DH" must not hide the number.
ORDER_NUMBER_RE = re.compile(r"(?=(DH[0-9A-Z]{8}))")
MAX_STATEMENT_BYTES = 2 * 1024 * 1024
MAX_STATEMENT_AMOUNT_VND = 2**31 - 1  # what an amount column holds (PostgreSQL integer)
MAX_ROWS = 5000  # each row is looked up: a bound on the time one upload may take


class PaymentError(Refused):
    pass


def record_payment(
    order: Order,
    amount: int,
    method: str,
    *,
    recorded_by: str,
    reference: str | None = None,
    note: str | None = None,
    by_system: bool = False,
) -> Payment:
    """Money for ``order`` arrived. The full amount marks it paid (exactly once); a different
    amount is refused so a person looks at it. ``by_system``: confirmed by a provider (a
    webhook), not by a person of the office."""
    if amount != order.total_vnd:
        raise PaymentError(
            _(
                "%(number)s: received %(got)s but the order is %(want)s.",
                number=order.number,
                got=_vnd(amount),
                want=_vnd(order.total_vnd),
            )
        )
    role = "system" if by_system or recorded_by == "stripe" else "office"
    orders.change_status(order, OrderStatus.PAID, orders.Actor(role, recorded_by), note=note)
    return _keep_payment(
        order, amount, method, recorded_by=recorded_by, reference=reference, note=note
    )


def record_cash_at_pickup(order: Order, *, recorded_by: str) -> Payment:
    """The buyer paid the whole order in cash at the showroom's counter, at hand-over. The
    payment is kept and the order is paid; its status is the hand-over's (collected), which the
    caller makes in the same transaction. Once only."""
    if order.payment_method != PaymentMethod.CASH_AT_PICKUP or order.paid_at is not None:
        raise PaymentError(_("%(number)s is not waiting for cash.", number=order.number))
    return _keep_payment(
        order,
        order.total_vnd,
        PaymentMethod.CASH_AT_PICKUP,
        recorded_by=recorded_by,
        note="Tiền mặt khi nhận hàng",
    )


def _keep_payment(
    order: Order,
    amount: int,
    method: str,
    *,
    recorded_by: str,
    reference: str | None = None,
    note: str | None = None,
) -> Payment:
    """The one way money is written down: a Payment row, and the order's paid time."""
    payment = Payment(
        order_id=order.id,
        method=method,
        amount_vnd=amount,
        reference=reference,
        recorded_by=recorded_by,
        note=note,
    )
    db.session.add(payment)
    if order.paid_at is None:
        order.paid_at = payment.created_at = utcnow()
    db.session.flush()
    return payment


def record_unmatched_payment(
    order: Order,
    amount: int,
    method: str,
    *,
    reason: str,
    recorded_by: str,
    reference: str | None = None,
    note: str | None = None,
) -> Payment:
    """Money that arrived but could not pay its order (it expired or was cancelled first, the
    amount differs, a card payment does not match the order): kept with ``reason`` (a
    ReviewReason) for the office to refund or settle by hand. The order does not change. The
    same money reported again (a statement imported twice, a repeated event) is kept once."""
    kept = db.session.scalar(
        select(Payment).where(
            Payment.order_id == order.id,
            Payment.needs_review.is_(True),
            Payment.method == method,
            Payment.amount_vnd == amount,
            _same(Payment.reference, reference),
            _same(Payment.note, note),
        )
    )
    if kept is not None:
        return kept
    payment = Payment(
        order_id=order.id,
        method=method,
        amount_vnd=amount,
        reference=reference,
        recorded_by=recorded_by,
        needs_review=True,
        review_reason=reason,
        note=note,
    )
    db.session.add(payment)
    db.session.flush()
    return payment


def _same(column: InstrumentedAttribute[Any], value: object) -> ColumnElement[bool]:
    return column.is_(None) if value is None else column == value


def late_reason(order: Order) -> str | None:
    """Why money for this order comes too late to pay it, or None when it may still pay it."""
    reasons: dict[str, str] = {
        OrderStatus.EXPIRED: ReviewReason.ORDER_EXPIRED,
        OrderStatus.CANCELLED: ReviewReason.ORDER_CANCELLED,
    }
    return reasons.get(order.status)


def payments_to_review() -> list[Payment]:
    return list(
        db.session.scalars(
            select(Payment).where(Payment.needs_review.is_(True)).order_by(Payment.created_at)
        )
    )


def awaiting_transfers() -> list[Order]:
    return list(
        db.session.scalars(
            select(Order)
            .where(
                Order.status == OrderStatus.AWAITING_PAYMENT,
                Order.payment_method == PaymentMethod.BANK_TRANSFER,
            )
            .order_by(Order.created_at)
        )
    )


@dataclass
class StatementResult:
    paid: list[str] = field(default_factory=list)
    to_review: list[str] = field(default_factory=list)  # orders whose money waits for review
    unmatched: list[tuple[int, str, str]] = field(default_factory=list)  # (row, content, why)


def import_statement(data: bytes, *, recorded_by: str) -> StatementResult:
    """Mark paid every awaiting order that a statement row pays: the row's content holds the
    order number and its credit equals the order's total. Rows that match nothing (or match
    wrongly) are listed, and change nothing.

    The CSV needs a header with a content column (content/description/noi dung/dien giai) and an
    amount column (amount/credit/so tien/ghi co); amounts like 350000, 350.000 or 350,000.
    """
    rows, content_col, amount_col = _read_statement(data)
    result = StatementResult()
    for row_number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        content = row[content_col] if content_col < len(row) else ""
        amount = _amount(row[amount_col] if amount_col < len(row) else "")
        _settle_row(result, row_number, content, amount, recorded_by)
    return result


def _read_statement(data: bytes) -> tuple[list[list[str]], int, int]:
    """The statement's rows (header first) and its content and amount columns; the whole file is
    read before any change, so a file that is not a statement changes nothing."""
    if len(data) > MAX_STATEMENT_BYTES:
        raise PaymentError(_("The statement file is larger than 2 MB."))
    text = _decode(data)
    try:  # read it all first: a file that is not CSV (.xlsx…) fails here, before any change
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise PaymentError(_("The statement is not a text file.")) from error
    if len(rows) > MAX_ROWS + 1:  # and the header
        message = _("The file has more than %(n)d rows; split it into smaller files.", n=MAX_ROWS)
        raise PaymentError(message)
    header = [_key(h) for h in (rows[0] if rows else [])]
    content_col = _column(header, ("content", "description", "noi dung", "dien giai", "mo ta"))
    amount_col = _column(header, ("amount", "credit", "so tien", "ghi co", "so tien ghi co"))
    if content_col is None or amount_col is None:
        raise PaymentError(
            _("The statement needs a header row with a content column and an amount column.")
        )
    return rows, content_col, amount_col


def _settle_row(
    result: StatementResult, row_number: int, content: str, amount: int | None, recorded_by: str
) -> None:
    """One row: it pays its order, or its money is kept for review, or it is listed with why it
    matched nothing."""
    if amount is None:
        result.unmatched.append((row_number, content, _("no amount")))
        return
    named, order = named_order(content)
    if not named:
        result.unmatched.append((row_number, content, _("no order number")))
        return
    if order is None:
        result.unmatched.append((row_number, content, _("unknown order")))
        return
    if reason := late_reason(order):
        # Money for an order that gave its goods back: kept for the office, never lost.
        _keep_statement_row(order, amount, content, reason, recorded_by)
        result.to_review.append(order.number)
        result.unmatched.append(
            (row_number, content, _("order is %(status)s", status=order.status))
        )
        return
    if order.status != OrderStatus.AWAITING_PAYMENT:
        result.unmatched.append(
            (row_number, content, _("order is %(status)s", status=order.status))
        )
        return
    try:
        with db.session.begin_nested():
            record_payment(
                order,
                amount,
                PaymentMethod.BANK_TRANSFER,
                recorded_by=recorded_by,
                reference=f"statement row {row_number}",
                note=content[:200],
            )
    except PaymentError as error:  # the amount differs
        _keep_statement_row(order, amount, content, ReviewReason.AMOUNT_DIFFERS, recorded_by)
        result.to_review.append(order.number)
        result.unmatched.append((row_number, content, str(error)))
        return
    except orders.InvalidTransition as error:
        result.unmatched.append((row_number, content, str(error)))
        return
    result.paid.append(order.number)


def named_order(content: str) -> tuple[bool, Order | None]:
    """Whether a transfer's content names an order number (DH + 8), and the order it names."""
    numbers = ORDER_NUMBER_RE.findall(content.upper().replace(" ", ""))
    if not numbers:
        return False, None
    found = {
        o.number: o for o in db.session.scalars(select(Order).where(Order.number.in_(numbers)))
    }
    return True, next((found[number] for number in numbers if number in found), None)


def _keep_statement_row(order: Order, amount: int, content: str, reason: str, by: str) -> None:
    record_unmatched_payment(
        order,
        amount,
        PaymentMethod.BANK_TRANSFER,
        reason=reason,
        recorded_by=by,
        note=content[:200],
    )


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1258", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PaymentError(_("The statement is not a text file."))


def _key(header: str) -> str:
    return fold(header).strip()


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    for index, name in enumerate(header):
        if name in names:
            return index
    return None


def _amount(raw: str) -> int | None:
    try:
        return parse_vnd(raw, maximum=MAX_STATEMENT_AMOUNT_VND)
    except ValueError:
        return None


def _vnd(amount: int) -> str:
    return format_vnd(amount)
