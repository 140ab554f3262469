"""Random sequences of stock changes against a simple model of (quantity, reserved).

Over 2 products x 3 locations (a producer's warehouse and two showrooms), hypothesis applies
receive / adjust / transfer / reserve / release / commit_sale / return_goods and calls with bad
quantities. A call the model allows must succeed and is committed; a call the model forbids must be
refused with the right error and is rolled back, as a real caller would. After every step the
ledger sums to the quantity, 0 <= reserved <= quantity, and the database equals the model.

Amounts are drawn around what the model says is possible (up to one more than the limit, or any
small number), so both sides of every boundary are tried often.
"""

from __future__ import annotations

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import delete, func, select

from storefront.extensions import db
from storefront.inventory import services as inventory
from storefront.inventory.models import StockLevel, StockMovement
from storefront.inventory.services import InvalidQuantity, OutOfStock, StockError
from tests.factories import make_producer, make_product, make_showroom

PRODUCTS = st.integers(0, 1)
LOCATIONS = st.integers(0, 2)
AMOUNTS = st.integers(1, 6)
BAD_AMOUNTS = st.sampled_from([0, -1, -4, True, False, 1.0, 2.5, "2", None])

MACHINE_SETTINGS = settings(max_examples=40, stateful_step_count=25)


def around(limit: int) -> st.SearchStrategy[int]:
    """A positive amount near ``limit``: at most one more than it, or any small number."""
    return st.integers(1, limit + 1) | AMOUNTS


class LedgerMachine(RuleBasedStateMachine):
    # Set by the test: the session-scoped app and the rows made once for the whole run.
    flask_app = None
    product_ids: list[int] = []
    location_ids: list[int] = []

    def __init__(self):
        super().__init__()
        self._context = self.flask_app.app_context()
        self._context.push()
        # (product index, location index) -> [quantity, reserved]; every example starts empty.
        self.model = {(p, loc): [0, 0] for p in range(2) for loc in range(3)}

    def teardown(self):
        """Delete this example's stock rows, so the next one starts from empty stock."""
        try:
            db.session.rollback()
            for model in (StockMovement, StockLevel):
                db.session.execute(delete(model).where(model.product_id.in_(self.product_ids)))
            db.session.commit()
        finally:
            db.session.remove()
            self._context.pop()

    # --- helpers --------------------------------------------------------------------------

    def _ids(self, p: int, loc: int) -> tuple[int, int]:
        return self.product_ids[p], self.location_ids[loc]

    def _attempt(self, expected_error, action) -> bool:
        """Run ``action``; it must be refused with ``expected_error`` (None: must succeed).

        Success is committed, a refusal rolled back. Returns whether it succeeded."""
        refusal: StockError | None = None
        try:
            action()
        except StockError as error:
            db.session.rollback()
            refusal = error
        if refusal is not None:
            assert expected_error is not None, f"refused, but the model allows it: {refusal!r}"
            assert type(refusal) is expected_error, (
                f"expected {expected_error.__name__}: {refusal!r}"
            )
            return False
        assert expected_error is None, f"succeeded, but the model says {expected_error.__name__}"
        db.session.commit()
        return True

    def _check_available(self, p: int, loc: int) -> None:
        quantity, reserved = self.model[p, loc]
        assert inventory.available(*self._ids(p, loc)) == quantity - reserved

    # --- rules ----------------------------------------------------------------------------

    @initialize(
        start=st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8)), min_size=6, max_size=6)
    )
    def stock_up(self, start):
        """Begin with some stock, part of it reserved, so that every rule has work to do."""
        for (p, loc), (quantity, reserved) in zip(self.model, start, strict=True):
            product_id, location_id = self._ids(p, loc)
            if quantity:
                inventory.receive(product_id, location_id, quantity, actor="kho", reason="đầu kỳ")
            if min(reserved, quantity):
                inventory.reserve(product_id, location_id, min(reserved, quantity))
            self.model[p, loc] = [quantity, min(reserved, quantity)]
        db.session.commit()

    @rule(p=PRODUCTS, loc=LOCATIONS, n=AMOUNTS)
    def receive(self, p, loc, n):
        product_id, location_id = self._ids(p, loc)
        self._attempt(
            None, lambda: inventory.receive(product_id, location_id, n, actor="kho", reason="nhập")
        )
        self.model[p, loc][0] += n
        self._check_available(p, loc)

    @rule(p=PRODUCTS, loc=LOCATIONS, data=st.data())
    def adjust(self, p, loc, data):
        product_id, location_id = self._ids(p, loc)
        quantity, reserved = self.model[p, loc]
        delta = data.draw(AMOUNTS | around(quantity - reserved).map(lambda n: -n), label="delta")
        allowed = quantity + delta >= reserved
        if self._attempt(
            None if allowed else OutOfStock,
            lambda: inventory.adjust(product_id, location_id, delta, actor="kho", reason="kiểm"),
        ):
            self.model[p, loc][0] += delta
        self._check_available(p, loc)

    @rule(p=PRODUCTS, loc=LOCATIONS, n=AMOUNTS, reason=st.sampled_from([None, "", "  "]))
    def adjust_without_reason(self, p, loc, n, reason):
        product_id, location_id = self._ids(p, loc)
        self._attempt(
            InvalidQuantity,
            lambda: inventory.adjust(product_id, location_id, -n, actor="kho", reason=reason),
        )

    @rule(p=PRODUCTS, source=LOCATIONS, step=st.integers(1, 2), data=st.data())
    def transfer(self, p, source, step, data):
        destination = (source + step) % 3
        product_id, source_id = self._ids(p, source)
        destination_id = self.location_ids[destination]
        quantity, reserved = self.model[p, source]
        n = data.draw(around(quantity - reserved), label="n")
        allowed = quantity - reserved >= n
        if self._attempt(
            None if allowed else OutOfStock,
            lambda: inventory.transfer(product_id, source_id, destination_id, n, actor="xe"),
        ):
            self.model[p, source][0] -= n
            self.model[p, destination][0] += n
        self._check_available(p, source)
        self._check_available(p, destination)

    @rule(p=PRODUCTS, loc=LOCATIONS, data=st.data())
    def reserve(self, p, loc, data):
        product_id, location_id = self._ids(p, loc)
        quantity, reserved = self.model[p, loc]
        n = data.draw(around(quantity - reserved), label="n")
        allowed = quantity - reserved >= n
        if self._attempt(
            None if allowed else OutOfStock,
            lambda: inventory.reserve(product_id, location_id, n),
        ):
            self.model[p, loc][1] += n
        self._check_available(p, loc)

    @rule(p=PRODUCTS, loc=LOCATIONS, data=st.data())
    def release(self, p, loc, data):
        product_id, location_id = self._ids(p, loc)
        reserved = self.model[p, loc][1]
        n = data.draw(around(reserved), label="n")
        if self._attempt(
            None if reserved >= n else InvalidQuantity,
            lambda: inventory.release(product_id, location_id, n),
        ):
            self.model[p, loc][1] -= n
        self._check_available(p, loc)

    @rule(p=PRODUCTS, loc=LOCATIONS, from_reservation=st.booleans(), data=st.data())
    def commit_sale(self, p, loc, from_reservation, data):
        product_id, location_id = self._ids(p, loc)
        quantity, reserved = self.model[p, loc]
        if from_reservation:
            n = data.draw(around(reserved), label="n")
            expected = None if reserved >= n else InvalidQuantity
        else:
            n = data.draw(around(quantity - reserved), label="n")
            expected = None if quantity - reserved >= n else OutOfStock
        if self._attempt(
            expected,
            lambda: inventory.commit_sale(
                product_id, location_id, n, actor="quầy", reserved=from_reservation
            ),
        ):
            self.model[p, loc][0] -= n
            if from_reservation:
                self.model[p, loc][1] -= n
        self._check_available(p, loc)

    @rule(p=PRODUCTS, loc=LOCATIONS, n=AMOUNTS)
    def return_goods(self, p, loc, n):
        product_id, location_id = self._ids(p, loc)
        self._attempt(
            None,
            lambda: inventory.return_goods(product_id, location_id, n, actor="quầy", reason="trả"),
        )
        self.model[p, loc][0] += n
        self._check_available(p, loc)

    @rule(
        operation=st.sampled_from(
            ["receive", "transfer", "reserve", "release", "sale", "reserved_sale", "return"]
        ),
        p=PRODUCTS,
        loc=LOCATIONS,
        n=BAD_AMOUNTS,
    )
    def bad_quantity(self, operation, p, loc, n):
        product_id, location_id = self._ids(p, loc)
        other_id = self.location_ids[(loc + 1) % 3]
        calls = {
            "receive": lambda: inventory.receive(product_id, location_id, n, actor="x"),
            "transfer": lambda: inventory.transfer(product_id, location_id, other_id, n, actor="x"),
            "reserve": lambda: inventory.reserve(product_id, location_id, n),
            "release": lambda: inventory.release(product_id, location_id, n),
            "sale": lambda: inventory.commit_sale(product_id, location_id, n, actor="x"),
            "reserved_sale": lambda: inventory.commit_sale(
                product_id, location_id, n, actor="x", reserved=True
            ),
            "return": lambda: inventory.return_goods(
                product_id, location_id, n, actor="x", reason="x"
            ),
        }
        self._attempt(InvalidQuantity, calls[operation])

    # --- invariants -----------------------------------------------------------------------

    @invariant()
    def database_matches_model_and_ledger_sums_to_quantity(self):
        levels = {
            (product_id, location_id): (quantity, reserved)
            for product_id, location_id, quantity, reserved in db.session.execute(
                select(
                    StockLevel.product_id,
                    StockLevel.location_id,
                    StockLevel.quantity,
                    StockLevel.reserved,
                ).where(StockLevel.product_id.in_(self.product_ids))
            )
        }
        ledger = {
            (product_id, location_id): total
            for product_id, location_id, total in db.session.execute(
                select(
                    StockMovement.product_id,
                    StockMovement.location_id,
                    func.sum(StockMovement.delta),
                )
                .where(StockMovement.product_id.in_(self.product_ids))
                .group_by(StockMovement.product_id, StockMovement.location_id)
            )
        }
        for (p, loc), expected in self.model.items():
            key = self._ids(p, loc)
            quantity, reserved = levels.get(key, (0, 0))
            assert ledger.get(key, 0) == quantity, f"ledger != quantity at {(p, loc)}"
            assert 0 <= reserved <= quantity, f"reserved out of range at {(p, loc)}"
            assert [quantity, reserved] == expected, f"database != model at {(p, loc)}"
        pairs = {self._ids(p, loc) for p, loc in self.model}
        assert set(levels) <= pairs
        assert set(ledger) <= set(levels), "ledger rows for a pair without a stock level"


@pytest.fixture
def places(app):
    """Two products of one producer, its warehouse and two showrooms: made once for all examples
    (the machine deletes its stock rows after each one; _clean_tables removes the rest)."""
    with app.app_context():
        producer = make_producer()
        products = [make_product(producer=producer, stars=None) for _ in range(2)]
        locations = [inventory.warehouse_of(producer.id)] + [
            inventory.showroom_location(make_showroom().id) for _ in range(2)
        ]
        db.session.commit()
        ids = [product.id for product in products], [location.id for location in locations]
        db.session.remove()
    return ids


def test_random_stock_changes_keep_the_ledger_equal_to_quantity(app, places):
    product_ids, location_ids = places

    class Machine(LedgerMachine):
        flask_app = app

    Machine.product_ids, Machine.location_ids = product_ids, location_ids
    run_state_machine_as_test(Machine, settings=MACHINE_SETTINGS)
