"""Shopping through the real cart and checkout pages, as a visitor would: the one set of checkout
helpers for every suite (orders, payments, office reports)."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from sqlalchemy import select

from storefront.extensions import db
from storefront.inventory import services as stock
from storefront.orders.models import Order
from storefront.register.models import NATIONAL_SOURCE, Region
from tests.factories import make_region

ORDER_URL_RE = re.compile(r"/don-hang/(DH[0-9A-Z]{8})(?:\?k=([\w-]+))?$")


@dataclass
class Placed:
    """An order placed through the pages: its number, and the secret in its link (visitors)."""

    number: str
    secret: str | None


class _Tags(HTMLParser):
    """The attributes of every tag of one kind, whatever their order."""

    def __init__(self, tag: str) -> None:
        super().__init__()
        self.tag = tag
        self.found: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == self.tag:
            self.found.append({name: value or "" for name, value in attrs})


def _tags(page: str, tag: str) -> list[dict[str, str]]:
    parser = _Tags(tag)
    parser.feed(page)
    return parser.found


def input_value(page: str, name: str) -> str:
    """The value of the page's first <input name=…>."""
    values = [attrs.get("value", "") for attrs in _tags(page, "input") if attrs.get("name") == name]
    assert values, f"no <input name={name!r}> on the page"
    return values[0]


def vietqr_png(page: str) -> bytes:
    """The PNG of the order page's VietQR image (<img class="vietqr" src="data:image/png;…">)."""
    sources = [
        attrs["src"] for attrs in _tags(page, "img") if "vietqr" in attrs.get("class", "").split()
    ]
    assert len(sources) == 1, f"expected one VietQR image, found {len(sources)}"
    prefix = "data:image/png;base64,"
    assert sources[0].startswith(prefix), sources[0][:40]
    return base64.b64decode(sources[0].removeprefix(prefix))


def delivery_area() -> tuple[Region, Region]:
    """A province of today's national units and one of its wards, as `flask regions sync`
    loads them (tests that need all 3,355 units run the sync itself)."""
    province = db.session.scalar(select(Region).filter_by(code="VN-01")) or make_region(
        "VN-01", "Thành phố Hà Nội", source=NATIONAL_SOURCE
    )
    ward = db.session.scalar(select(Region).filter_by(code="VN-00070")) or make_region(
        "VN-00070", "Phường Hoàn Kiếm", kind="ward", parent=province, source=NATIONAL_SOURCE
    )
    return province, ward


def add_to_cart(client, product, quantity=1):
    response = client.post("/gio-hang/them", data={"code": product.code, "quantity": quantity})
    assert response.status_code == 302
    return response


def checkout_key(client) -> str:
    """The idempotency key of a fresh checkout page."""
    page = client.get("/thanh-toan")
    assert page.status_code == 200, page.status_code
    return input_value(page.text, "idempotency_key")


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


def place_order(client, product, quantity=1, method="bank_transfer", **fields) -> Placed:
    """Put the product in the cart and place the order (delivered); the order must be placed."""
    add_to_cart(client, product, quantity)
    response = checkout(client, payment_method=method, **fields)
    assert response.status_code == 302, response.text[:2000]
    match = ORDER_URL_RE.search(response.headers["Location"])
    assert match, response.headers["Location"]
    return Placed(match.group(1), match.group(2))


def the_order() -> Order:
    """The one order a test placed, read afresh."""
    db.session.expire_all()
    return db.session.scalar(select(Order))


def warehouse_state(product) -> tuple[tuple[int, int], int]:
    """(quantity, reserved) at the producer's warehouse, and the ledger's sum there."""
    db.session.expire_all()
    location = stock.warehouse_of(product.producer_id).id
    row = db.session.execute(
        select(stock.StockLevel.quantity, stock.StockLevel.reserved).filter_by(
            product_id=product.id, location_id=location
        )
    ).one()
    return tuple(row), stock.ledger_sum(product.id, location)
