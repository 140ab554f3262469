"""Many buyers, few units, one moment: against the app served over HTTP, buyers (each its own
browser session) submit the checkout form together. Exactly as many orders as there are units,
everybody else is told the product sold out, nobody gets a server error, and the stock adds up.

The same race at 200 buyers for 50 units, with timings, is `python -m bench.checkout_race`.
"""

from __future__ import annotations

from collections import Counter

from flask_babel import gettext
from sqlalchemy import func, select

from bench.race_client import race
from storefront.extensions import db
from storefront.inventory import services as stock
from storefront.inventory.models import StockLevel
from storefront.orders.models import Order, OrderLine
from tests.checkout_helpers import delivery_area
from tests.factories import make_product

UNITS = 5
BUYERS = 20
PRODUCT = "Mật ong bạc hà Mèo Vạc"


def sold_out_messages(app) -> set[str]:
    """What a buyer who came too late may read, as the shop shows it (Vietnamese first): sold
    out while checking out, or nothing left to deliver by the time the form was checked."""
    with app.test_request_context("/"):
        return {
            gettext("Sorry, %(name)s sold out while you were checking out.", name=PRODUCT),
            gettext("Only %(n)d × %(name)s can be delivered now.", n=0, name=PRODUCT),
        }


def test_concurrent_buyers_get_exactly_the_units_there_are_and_the_rest_a_clear_sold_out(
    app, app_ctx, live_server
):
    product = make_product(name=PRODUCT, price_vnd=250_000, stock=UNITS)
    delivery_area()
    warehouse = stock.warehouse_of(product.producer_id).id
    db.session.commit()

    outcomes = race(live_server, product.code, BUYERS, timeout=60)

    assert [o.error for o in outcomes if o.error] == []
    statuses = Counter(o.status for o in outcomes)
    assert not [s for s in statuses if s >= 500], statuses
    assert statuses == {302: UNITS, 400: BUYERS - UNITS}, statuses
    numbers = {o.order_number for o in outcomes if o.ordered}
    assert len(numbers) == UNITS
    expected = sold_out_messages(app)
    too_late = [o.message for o in outcomes if o.status == 400]
    assert all(message in expected for message in too_late), set(too_late) - expected

    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Order)) == UNITS
    assert set(db.session.scalars(select(Order.number))) == numbers
    assert db.session.scalar(select(func.sum(OrderLine.quantity))) == UNITS
    level = db.session.execute(
        select(StockLevel.quantity, StockLevel.reserved).filter_by(
            product_id=product.id, location_id=warehouse
        )
    ).one()
    assert (level.quantity, level.reserved) == (UNITS, UNITS)  # promised, not yet shipped
    assert stock.ledger_sum(product.id, warehouse) == level.quantity
    assert stock.available(product.id, warehouse) == 0
