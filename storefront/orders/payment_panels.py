"""What an order's page shows the customer to pay or collect it: the VietQR transfer panel and
the pick-up pass (both PNG data URIs, so any QR reader, and a test with zbar, can read them)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from storefront import qr_codes
from storefront.orders.models import Fulfilment, Order, OrderStatus, PaymentMethod
from storefront.vietqr import build_vietqr_payload

TO_PREPARE = (OrderStatus.PLACED, OrderStatus.PAID)
# A pick-up order still to be collected.
OPEN = (OrderStatus.AWAITING_PAYMENT, *TO_PREPARE, OrderStatus.READY_FOR_PICKUP)


@dataclass
class VietQR:
    payload: str
    image_data_uri: str  # PNG, so any QR reader (and a test with zbar) can read it
    bank_name: str
    account_number: str
    account_name: str
    amount: int
    content: str
    is_demo: bool


def vietqr_for_order(order: Order, state: str | None = None) -> VietQR | None:
    """What the order page shows to pay by transfer: the QR, bank, holder, amount, content.
    ``state``: the order's status as read now (Order.state_on), its stored status by default."""
    if (
        order.payment_method != PaymentMethod.BANK_TRANSFER
        or (state or order.status) != OrderStatus.AWAITING_PAYMENT
    ):
        return None
    config = current_app.config
    payload = build_vietqr_payload(
        config["VIETQR_BANK_BIN"], config["VIETQR_ACCOUNT_NUMBER"], order.total_vnd, order.number
    )
    return VietQR(
        payload,
        qr_codes.png_data_uri(payload),
        config["VIETQR_BANK_NAME"],
        config["VIETQR_ACCOUNT_NUMBER"],
        config["VIETQR_ACCOUNT_NAME"],
        order.total_vnd,
        order.number,
        config["VIETQR_IS_DEMO"],
    )


def pickup_pass(order: Order) -> str:
    """What the order page's QR holds and the counter checks: number and pick-up code."""
    return f"{order.number}-{order.pickup_code}" if order.pickup_code else order.number


def pickup_qr_data_uri(order: Order, state: str | None = None) -> str | None:
    """The pass as a QR image for the order page (a PNG data URI: no extra request)."""
    if order.fulfilment != Fulfilment.PICKUP or (state or order.status) not in OPEN:
        return None
    return qr_codes.png_data_uri(pickup_pass(order))
