"""Two counters (or a double tap) at once: a sale is recorded once, the last unit sold once.

Each submission is a thread with its own app context, session and connection, released together
by a barrier, as in tests/inventory/test_concurrency.py."""

from __future__ import annotations

import threading
import uuid

from sqlalchemy import func, select

from storefront.accounts.models import User
from storefront.clock import today
from storefront.extensions import db
from storefront.inventory import services as inventory
from storefront.showrooms import sale_recording
from storefront.showrooms.errors import ShowroomError
from storefront.showrooms.models import Sale

JOIN_TIMEOUT = 60


def at_once(app, staff_id: int, client_ids: list[str], code: str) -> list[object]:
    """Submit one sale of 1 × ``code`` per client id, all at the same moment."""
    barrier = threading.Barrier(len(client_ids))
    outcomes: list[object] = [None] * len(client_ids)

    def submit(index: int) -> None:
        with app.app_context():
            try:
                staff = db.session.get(User, staff_id)
                barrier.wait(timeout=JOIN_TIMEOUT)
                _sale, created = sale_recording.record_sale(
                    staff,
                    client_ids[index],
                    [{"code": code, "quantity": 1}],
                    payment="cash",
                    today=today(),
                )
                db.session.commit()
                outcomes[index] = "new" if created else "again"
            except ShowroomError:
                db.session.rollback()
                outcomes[index] = "refused"
            except BaseException as error:  # re-raised by the test
                db.session.rollback()
                outcomes[index] = error
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=submit, args=(i,), daemon=True) for i in range(len(client_ids))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads)
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return outcomes


def test_one_sale_sent_four_times_at_once_is_recorded_once(app, counter):
    outcomes = at_once(app, counter.staff.id, ["double-tap-0001"] * 4, "TEA234")
    assert sorted(outcomes) == ["again", "again", "again", "new"]
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Sale.id))) == 1
    assert inventory.available(counter.tea.id, counter.location_id) == 4


def test_four_counters_selling_the_last_three_units_sell_exactly_three(app, counter):
    outcomes = at_once(app, counter.staff.id, [uuid.uuid4().hex for _ in range(4)], "HNY234")
    assert sorted(outcomes) == ["new", "new", "new", "refused"]
    db.session.expire_all()
    assert inventory.available(counter.honey.id, counter.location_id) == 0
    assert inventory.ledger_sum(counter.honey.id, counter.location_id) == 0
