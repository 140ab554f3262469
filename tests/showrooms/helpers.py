"""A showroom with staff and goods on its shelf, and a second showroom with its own staff (the
``counter`` fixture, for the showroom and office tests), and a pick-up order placed at it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

import storefront.catalog  # noqa: F401  (see tests/inventory/conftest.py: import order)
from storefront.accounts.models import User
from storefront.catalog.models import Product
from storefront.extensions import db
from storefront.inventory import services as inventory
from storefront.orders import placing
from storefront.register.models import Producer, Showroom
from storefront.showrooms import shifts
from tests.factories import make_producer, make_product, make_showroom, make_user, stock_at_showroom

OWN_HOSTS = {"shop.test"}  # the test config's BASE_URL


@dataclass
class Counter:
    showroom: Showroom
    staff: User
    other_showroom: Showroom
    other_staff: User
    producer: Producer
    tea: Product  # 5 on the shelf, 4 stars, 120.000 ₫
    honey: Product  # 3 on the shelf, 5 stars, 250.000 ₫

    @property
    def location_id(self) -> int:
        return inventory.showroom_location(self.showroom.id).id


@pytest.fixture
def counter(app_ctx) -> Counter:
    showroom, other = make_showroom("KT", "Điểm bán OCOP Kon Tum"), make_showroom("DG")
    producer = make_producer("HTX1", "HTX Chè Măng Đen")
    tea = make_product("Trà Măng Đen", producer=producer, price_vnd=120_000, code="TEA234")
    honey = make_product(
        "Mật ong Ngọc Linh",
        producer=producer,
        stars=5,
        price_vnd=250_000,
        code="HNY234",
        ean="8930000000019",
    )
    stock_at_showroom(tea, showroom, 5)
    stock_at_showroom(honey, showroom, 3)
    staff = make_user("staff.kt@example.vn", "staff", showroom_code="KT", name="Chị Lan")
    other_staff = make_user("staff.dg@example.vn", "staff", showroom_code="DG")
    # Both are at work: a shift open at each counter, with an empty drawer.
    open_shift(staff)
    open_shift(other_staff)
    return Counter(showroom, staff, other, other_staff, producer, tea, honey)


def open_shift(staff: User, float_vnd: int = 0, opened_at=None):
    """A shift of ``staff`` opened (``opened_at``: now) with ``float_vnd`` in the drawer."""
    shift = shifts.open_shift(staff, float_vnd, now=opened_at)
    db.session.commit()
    return shift


def place_pickup(counter, payment_method="cash_at_pickup", quantity=2, key="pickup-1"):
    order, _secret = placing.place_order(
        placing.OrderDraft(
            "pickup",
            payment_method,
            "Lan",
            "0912345678",
            "lan@example.vn",
            pickup_showroom_id=counter.showroom.id,
        ),
        [placing.PlacedLine(counter.tea, quantity, counter.location_id)],
        customer_id=None,
        idempotency_digest=key,
    )
    db.session.commit()
    return order
