"""Shopping through the real pages, as a visitor would."""

from __future__ import annotations

import re

from sqlalchemy import select

from storefront.extensions import db
from storefront.register.models import Region
from tests.factories import make_region

KEY_RE = re.compile(r'name="idempotency_key" type="hidden" value="([^"]+)"')


def delivery_area() -> tuple[Region, Region]:
    """Today's province and one of its wards."""
    province = db.session.scalar(select(Region).filter_by(code="QNG")) or make_region(
        "QNG", "Quảng Ngãi"
    )
    ward = db.session.scalar(select(Region).filter_by(code="QNG-W1")) or make_region(
        "QNG-W1", "Phường Trần Phú", kind="ward", parent=province
    )
    return province, ward


def add_to_cart(client, product, quantity=1):
    response = client.post("/gio-hang/them", data={"code": product.code, "quantity": quantity})
    assert response.status_code == 302
    return response


def checkout_key(client) -> str:
    page = client.get("/thanh-toan")
    assert page.status_code == 200, page.status_code
    return KEY_RE.search(page.text).group(1)


def checkout(client, key=None, **fields):
    """Submit the checkout form (delivery, cash on delivery, unless told otherwise)."""
    province, ward = delivery_area()
    data = {
        "idempotency_key": key or checkout_key(client),
        "name": "Nguyễn Thị Lan",
        "phone": "0912 345 678",
        "email": "lan@example.vn",
        "fulfilment": "delivery",
        "province": province.id,
        "commune": ward.id,
        "address": "12 Lê Lợi",
        "payment_method": "cod",
    }
    data.update(fields)
    return client.post("/thanh-toan", data=data)
