"""Transfers confirmed by themselves: the webhooks of the bank-notification services Vietnamese
shops connect to their account, SePay and Casso. Each POSTs JSON for every incoming transfer.

* SePay (https://developer.sepay.vn/en/sepay-webhooks/tich-hop-webhook, authentication at
  …/xac-thuc): header ``Authorization: Apikey <key>``; body
  ``{"id": 92704, "gateway": "Vietcombank", "transactionDate": "2023-03-25 14:02:37",
  "accountNumber": "0123499999", "code": null, "content": "…", "transferType": "in",
  "transferAmount": 2277000, "accumulated": 19077000, "subAccount": null,
  "referenceCode": "MBVCB.3278907687", "description": "…"}``; it expects HTTP 200/201 with
  ``{"success": true}`` and retries otherwise.
* Casso, webhook v2 (https://developer.casso.vn/webhook/thiet-lap-webhook-thu-cong and
  "Xử lý sự kiện Webhook"): header ``X-Casso-Signature: t=<ms timestamp>,v1=<hex>``, where v1 is
  HMAC-SHA512 with the webhook's checksum key over ``"<t>." + JSON of the body with its keys
  sorted (recursively)``; body ``{"error": 0, "data": {"id": …, "reference": "…",
  "description": "…", "amount": 599000, "runningBalance": …, "transactionDateTime": "…",
  "accountNumber": "…", "bankName": "…", …}}``. Casso's own example vector is a test.

What a transfer does, once per (provider, transaction id), however often it is delivered:
* it names an order awaiting its transfer and pays exactly its total → the order is paid;
* anything else is kept as a payment to review with its reason (the same list as the bank
  statement's leftovers, /office/payments): no order number, an unknown number, an order that
  expired or was cancelled first, already paid, too little, too much. Money is never lost.
Money going out of the account (SePay ``transferType: "out"``, Casso negative amounts) is noted
and ignored.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from storefront.domain import Refused
from storefront.extensions import db
from storefront.orders.models import Order, OrderStatus, PaymentMethod
from storefront.payments.models import BankNotification, Payment, ReviewReason
from storefront.payments.services import (
    MAX_STATEMENT_AMOUNT_VND,
    late_reason,
    named_order,
    record_payment,
    record_unmatched_payment,
)

SEPAY = "sepay"
CASSO = "casso"
PROVIDER_NAMES = {SEPAY: "SePay", CASSO: "Casso"}


class WebhookUnauthorized(Exception):
    """The request does not carry the provider's key or signature (answered 401)."""


class WebhookMalformed(Refused):
    """The body is not the provider's documented shape (answered 400, nothing kept)."""


@dataclass(frozen=True)
class IncomingTransfer:
    provider: str
    transaction_id: str
    amount: int  # whole đồng; negative for money going out
    content: str
    account_number: str | None = None
    bank_reference: str | None = None


# --- authentication --------------------------------------------------------------------------


def check_sepay(authorization: str | None, api_key: str) -> None:
    """SePay's API-key authentication: ``Authorization: Apikey <key>``, compared in constant
    time."""
    given = (authorization or "").strip()
    prefix = "apikey "
    if not api_key or not given.lower().startswith(prefix):
        raise WebhookUnauthorized
    if not hmac.compare_digest(given[len(prefix) :].strip().encode(), api_key.encode()):
        raise WebhookUnauthorized


def casso_signature(timestamp: str, body: Any, checksum_key: str) -> str:
    """Casso's v1 signature: HMAC-SHA512 (hex) over ``"<timestamp>.<sorted JSON>"``."""
    message = f"{timestamp}.{json.dumps(_sorted(body), separators=(',', ':'), ensure_ascii=False)}"
    return hmac.new(checksum_key.encode(), message.encode(), hashlib.sha512).hexdigest()


def check_casso(signature_header: str | None, body: Any, checksum_key: str) -> None:
    fields = dict(
        part.strip().split("=", 1) for part in (signature_header or "").split(",") if "=" in part
    )
    timestamp, signature = fields.get("t", ""), fields.get("v1", "")
    if not checksum_key or not timestamp.isdigit() or not signature:
        raise WebhookUnauthorized
    expected = casso_signature(timestamp, body, checksum_key)
    if not hmac.compare_digest(expected.encode(), signature.strip().lower().encode()):
        raise WebhookUnauthorized


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    return value


# --- the documented bodies -------------------------------------------------------------------


def parse_json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise WebhookMalformed(_("The body is not JSON.")) from error


def sepay_transfer(body: Any) -> IncomingTransfer:
    if not isinstance(body, dict) or body.get("id") in (None, ""):
        raise WebhookMalformed(_("Not a SePay transaction."))
    amount = _whole(body.get("transferAmount"))
    if str(body.get("transferType", "in")).lower() == "out":
        amount = -amount
    return IncomingTransfer(
        SEPAY,
        str(body["id"])[:100],
        amount,
        _text(body.get("content")) or _text(body.get("description")),
        _text(body.get("accountNumber"))[:64] or None,
        _text(body.get("referenceCode"))[:100] or None,
    )


def casso_transfers(body: Any) -> list[IncomingTransfer]:
    """Casso v2 sends one transaction in ``data``; a list is read too (its older shape)."""
    if not isinstance(body, dict):
        raise WebhookMalformed(_("Not a Casso notification."))
    data = body.get("data")
    items = data if isinstance(data, list) else [data]
    transfers = []
    for item in items:
        if not isinstance(item, dict) or item.get("id") in (None, ""):
            raise WebhookMalformed(_("Not a Casso transaction."))
        transfers.append(
            IncomingTransfer(
                CASSO,
                str(item["id"])[:100],
                _whole(item.get("amount")),
                _text(item.get("description")),
                _text(item.get("accountNumber"))[:64] or None,
                _text(item.get("reference"))[:100] or None,
            )
        )
    return transfers


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise WebhookMalformed(_("The amount is missing."))
    try:
        amount = int(str(value).strip())
    except ValueError as error:
        raise WebhookMalformed(_("The amount is not a whole number of đồng.")) from error
    if abs(amount) > MAX_STATEMENT_AMOUNT_VND:
        raise WebhookMalformed(_("The amount is too large."))
    return amount


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()[:500]


# --- applying a transfer, once ---------------------------------------------------------------


def receive(transfer: IncomingTransfer) -> str:
    """Apply one reported transfer, exactly once. Returns what became of it: ``duplicate``
    (reported before: nothing changed), ``paid``, ``review`` (kept for the office with its
    reason) or ``ignored`` (money going out). The caller commits."""
    seen = select(BankNotification.id).filter_by(
        provider=transfer.provider, transaction_id=transfer.transaction_id
    )
    if db.session.scalar(seen) is not None:
        return "duplicate"
    notification = BankNotification(
        provider=transfer.provider,
        transaction_id=transfer.transaction_id,
        amount_vnd=transfer.amount,
        content=transfer.content,
        account_number=transfer.account_number,
        bank_reference=transfer.bank_reference,
        outcome="ignored",
    )
    try:
        with db.session.begin_nested():  # two deliveries at once: the second stops here
            db.session.add(notification)
    except IntegrityError:
        return "duplicate"
    if transfer.amount <= 0:
        return notification.outcome
    payment, paid = _settle(transfer)
    notification.outcome = "paid" if paid else "review"
    notification.payment_id = payment.id
    db.session.flush()
    return notification.outcome


def _settle(transfer: IncomingTransfer) -> tuple[Payment, bool]:
    by = PROVIDER_NAMES[transfer.provider]
    reference = f"{transfer.provider}:{transfer.transaction_id}"
    note = transfer.content[:200]
    order = _named_order(transfer.content)
    if not isinstance(order, Order):
        return _keep_without_order(transfer, order, by, reference, note), False
    reason = _why_not(order, transfer.amount)
    if reason is not None:
        payment = record_unmatched_payment(
            order,
            transfer.amount,
            PaymentMethod.BANK_TRANSFER,
            reason=reason,
            recorded_by=by,
            reference=reference,
            note=note,
        )
        return payment, False
    payment = record_payment(
        order,
        transfer.amount,
        PaymentMethod.BANK_TRANSFER,
        recorded_by=by,
        reference=reference,
        note=note,
        by_system=True,
    )
    return payment, True


def _named_order(content: str) -> Order | str:
    """The order the transfer's content names, or why none (a ReviewReason)."""
    named, order = named_order(content)
    if not named:
        return ReviewReason.NO_ORDER_NUMBER
    return order if order is not None else ReviewReason.UNKNOWN_ORDER


def _why_not(order: Order, amount: int) -> str | None:
    """Why this money cannot pay ``order`` now (a ReviewReason), or None."""
    if reason := late_reason(order):
        return reason
    if order.status != OrderStatus.AWAITING_PAYMENT or order.paid_at is not None:
        return ReviewReason.ALREADY_PAID
    if amount < order.total_vnd:
        return ReviewReason.AMOUNT_SHORT
    if amount > order.total_vnd:
        return ReviewReason.AMOUNT_OVER
    return None


def _keep_without_order(
    transfer: IncomingTransfer, reason: str, by: str, reference: str, note: str
) -> Payment:
    payment = Payment(
        order_id=None,
        method=PaymentMethod.BANK_TRANSFER,
        amount_vnd=transfer.amount,
        reference=reference,
        recorded_by=by,
        needs_review=True,
        review_reason=reason,
        note=note,
    )
    db.session.add(payment)
    db.session.flush()
    return payment
