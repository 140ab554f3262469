"""Several buyers at once: the last units go to exactly as many of them as there are units.

Every buyer is a thread with its own app context, so its own session and database connection.
A barrier releases them together; each runs one transaction and commits, or rolls back when the
service refuses. Afterwards nothing is negative and the ledger still sums to the quantity.
"""

from __future__ import annotations

import functools
import threading
from collections import Counter

import pytest
from sqlalchemy import func, select

from storefront.extensions import db
from storefront.inventory import services as inventory
from storefront.inventory.models import StockLocation
from storefront.inventory.services import OutOfStock
from tests.factories import make_producer, make_product, make_showroom

JOIN_TIMEOUT = 60  # seconds; SQLite's busy_timeout is 15 s


def race(app, buyers: int, buy) -> Counter:
    """Run ``buy()`` in ``buyers`` threads that start together; count 'ok' and 'out of stock'.

    Any other exception (e.g. "database is locked") is re-raised here, failing the test."""
    barrier = threading.Barrier(buyers)
    outcomes: list[object] = [None] * buyers

    def buyer(index: int) -> None:
        with app.app_context():
            try:
                db.session.connection()  # check out a connection before the start signal
                barrier.wait(timeout=JOIN_TIMEOUT)
                buy()
                db.session.commit()
                outcomes[index] = "ok"
            except OutOfStock:
                db.session.rollback()
                outcomes[index] = "out of stock"
            except BaseException as error:  # reported by the main thread
                db.session.rollback()
                outcomes[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=buyer, args=(i,), daemon=True) for i in range(buyers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a buyer is still waiting"
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return Counter(outcomes)


@pytest.fixture
def last_units(app_ctx):
    """make(units) -> (product_id, location_id): a product with ``units`` in its warehouse."""

    def make(units: int) -> tuple[int, int]:
        product = make_product(stars=None, stock=units)
        ids = product.id, inventory.warehouse_of(product.producer_id).id
        db.session.commit()
        return ids

    return make


SIZES = [(2, 1), (8, 1), (8, 3)]
SIZE_IDS = [f"{buyers}-buyers-{units}-units" for buyers, units in SIZES]


@pytest.mark.parametrize(("buyers", "units"), SIZES, ids=SIZE_IDS)
def test_buyers_reserving_the_last_units_at_once_get_exactly_as_many_as_there_are(
    app, last_units, stock_of, buyers, units
):
    product_id, location_id = last_units(units)

    outcomes = race(app, buyers, lambda: inventory.reserve(product_id, location_id, 1))

    assert outcomes == Counter({"ok": units, "out of stock": buyers - units})
    stock = stock_of(product_id, location_id)
    assert (stock.quantity, stock.reserved, stock.available) == (units, units, 0)
    assert stock.ledger_sum == stock.quantity
    assert inventory.available(product_id, location_id) == 0


@pytest.mark.parametrize(("buyers", "units"), SIZES, ids=SIZE_IDS)
def test_buyers_buying_the_last_units_at_once_get_exactly_as_many_as_there_are(
    app, last_units, stock_of, buyers, units
):
    product_id, location_id = last_units(units)

    outcomes = race(
        app, buyers, lambda: inventory.commit_sale(product_id, location_id, 1, actor="quầy")
    )

    assert outcomes == Counter({"ok": units, "out of stock": buyers - units})
    stock = stock_of(product_id, location_id)
    assert (stock.quantity, stock.reserved, stock.available) == (0, 0, 0)
    assert stock.ledger_sum == stock.quantity == 0
    assert stock.movements == 1 + units  # the receipt and one sale per winner


def test_buyers_who_check_first_and_then_reserve_still_cannot_oversell(app, last_units, stock_of):
    """Reading available() before reserving decides nothing: the conditional UPDATE does."""
    product_id, location_id = last_units(2)

    def check_then_reserve() -> None:
        if inventory.available(product_id, location_id) < 1:
            raise OutOfStock(product_id, location_id, 1)  # what a careful caller would do
        inventory.reserve(product_id, location_id, 1)

    outcomes = race(app, 8, check_then_reserve)

    assert outcomes == Counter({"ok": 2, "out of stock": 6})
    stock = stock_of(product_id, location_id)
    assert (stock.quantity, stock.reserved, stock.available) == (2, 2, 0)


def test_checkouts_that_reserve_and_then_sell_in_one_transaction_never_oversell(
    app, last_units, stock_of
):
    product_id, location_id = last_units(3)

    def checkout() -> None:
        inventory.reserve(product_id, location_id, 1, reference="DH")
        inventory.commit_sale(
            product_id, location_id, 1, actor="hệ thống", reserved=True, reference="DH"
        )

    outcomes = race(app, 8, checkout)

    assert outcomes == Counter({"ok": 3, "out of stock": 5})
    stock = stock_of(product_id, location_id)
    assert (stock.quantity, stock.reserved) == (0, 0)
    assert stock.ledger_sum == 0
    assert stock.movements == 4


def test_many_rounds_of_two_buyers_for_one_unit_never_sell_it_twice(app, last_units, stock_of):
    for _ in range(10):
        product_id, location_id = last_units(1)

        outcomes = race(
            app,
            2,
            functools.partial(inventory.commit_sale, product_id, location_id, 1, actor="quầy"),
        )

        assert outcomes == Counter({"ok": 1, "out of stock": 1})
        stock = stock_of(product_id, location_id)
        assert (stock.quantity, stock.ledger_sum) == (0, 0)


@pytest.mark.parametrize("kind", ["warehouse", "showroom"])
def test_first_use_of_a_location_by_several_people_at_once_makes_exactly_one(app_ctx, kind):
    """Two staff receiving the first goods at a new showroom at the same moment: both get the
    same location, neither gets an error."""
    owner_id = make_producer().id if kind == "warehouse" else make_showroom().id
    find = inventory.warehouse_of if kind == "warehouse" else inventory.showroom_location
    seen: list[int] = []

    def first_use() -> None:
        seen.append(find(owner_id).id)

    outcomes = race(app_ctx, 8, first_use)

    assert outcomes == Counter({"ok": 8})
    assert len(set(seen)) == 1
    owner = StockLocation.producer_id if kind == "warehouse" else StockLocation.showroom_id
    count = db.session.scalar(
        select(func.count()).select_from(StockLocation).where(owner == owner_id)
    )
    assert count == 1
