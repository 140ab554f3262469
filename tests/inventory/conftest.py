"""Inventory fixtures: a product, two stock locations and a fresh read of what the database holds.

Reads go straight to the columns (never through loaded ORM objects), so a test sees exactly what
is stored, not what the session remembers.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

# Load the catalog package before storefront.inventory: inventory.models -> catalog.models runs
# catalog/__init__ -> routes -> catalog.listing -> inventory.models, a cycle that fails when
# storefront.inventory is the first of the two to be imported.
import storefront.catalog  # noqa: F401
from storefront.extensions import db
from storefront.inventory import services as inventory
from storefront.inventory.models import StockLevel, StockMovement
from tests.factories import make_product, make_showroom


@dataclass(frozen=True)
class Stock:
    """One (product, location) as stored: the level row (None when there is none) and its ledger."""

    exists: bool
    quantity: int
    reserved: int
    movements: int
    ledger_sum: int

    @property
    def available(self) -> int:
        return self.quantity - self.reserved


def read_stock(product_id: int, location_id: int) -> Stock:
    row = db.session.execute(
        select(StockLevel.quantity, StockLevel.reserved).filter_by(
            product_id=product_id, location_id=location_id
        )
    ).one_or_none()
    count, total = db.session.execute(
        select(
            func.count(StockMovement.id), func.coalesce(func.sum(StockMovement.delta), 0)
        ).filter_by(product_id=product_id, location_id=location_id)
    ).one()
    quantity, reserved = row if row is not None else (0, 0)
    return Stock(row is not None, quantity, reserved, count, total)


@pytest.fixture()
def stock_of(app_ctx):
    """stock_of(product, location) -> Stock, read fresh from the database (rows or ids)."""

    def read(product, location) -> Stock:
        return read_stock(getattr(product, "id", product), getattr(location, "id", location))

    return read


@pytest.fixture()
def product(app_ctx):
    return make_product(stars=None)


@pytest.fixture()
def warehouse(product):
    """The product's producer's warehouse (empty)."""
    location = inventory.warehouse_of(product.producer_id)
    db.session.commit()
    return location


@pytest.fixture()
def showroom(app_ctx):
    """A showroom's stock location (empty)."""
    location = inventory.showroom_location(make_showroom().id)
    db.session.commit()
    return location
