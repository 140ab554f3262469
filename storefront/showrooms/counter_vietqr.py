"""VietQR at the counter: a code for the sale's total, priced here, whose content names the sale
so the transfer can be found on the statement."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask import current_app

from storefront import qr_codes
from storefront.showrooms.sale_pricing import check_client_id, price_lines
from storefront.showrooms.staff import own_showroom_id
from storefront.vietqr import build_vietqr_payload


@dataclass
class CounterVietQR:
    payload: str
    image_data_uri: str
    amount: int
    content: str
    bank_name: str
    account_number: str
    account_name: str
    is_demo: bool


def counter_vietqr(actor, client_id: str, raw_lines, today: date) -> CounterVietQR:
    """The VietQR for this sale's total, priced here; the content names the sale so the
    transfer can be found on the statement."""
    own_showroom_id(actor)
    check_client_id(client_id)
    total = sum(line.total for line in price_lines(raw_lines, today))
    content = "BH " + re.sub(r"[^A-Za-z0-9]", "", client_id)[:8].upper()
    config = current_app.config
    payload = build_vietqr_payload(
        config["VIETQR_BANK_BIN"], config["VIETQR_ACCOUNT_NUMBER"], total, content
    )
    image = qr_codes.png_data_uri(payload)
    return CounterVietQR(
        payload,
        image,
        total,
        content,
        config["VIETQR_BANK_NAME"],
        config["VIETQR_ACCOUNT_NUMBER"],
        config["VIETQR_ACCOUNT_NAME"],
        config["VIETQR_IS_DEMO"],
    )
