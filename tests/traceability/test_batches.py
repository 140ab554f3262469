"""Producers record batches when they receive stock, say where each went, and print its labels;
a showroom that received a batch prints them too. Labels decode to /q/<product>/<batch>."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storefront.clock import today
from storefront.extensions import db
from storefront.inventory.models import StockMovement
from storefront.traceability.models import BatchDelivery, ProductBatch
from tests.factories import make_product, make_showroom, make_user
from tests.traceability.helpers import deliver, make_batch, producer_of
from tests.zbar import decode_pdf_qr


def test_receiving_stock_records_a_batch_with_a_code_and_dates(client, auth, app_ctx):
    product = make_product()
    producer = producer_of(product)
    auth.login(producer)
    made, use_by = today() - timedelta(days=2), today() + timedelta(days=180)

    response = client.post(
        "/producer/stock/receive",
        data={
            "product": product.id,
            "quantity": "60",
            "produced_on": made.isoformat(),
            "expires_on": use_by.isoformat(),
        },
    )

    assert response.status_code == 302
    batch = db.session.query(ProductBatch).one()
    assert (batch.quantity, batch.produced_on, batch.expires_on) == (60, made, use_by)
    assert len(batch.code) == 6
    movement = db.session.query(StockMovement).filter_by(product_id=product.id).one()
    assert (movement.delta, movement.reference) == (60, batch.code)
    assert batch.code in client.get("/producer/batches").text


@pytest.mark.parametrize(
    ("produced", "expires"),
    [(1, None), (-5, -10), ("x", None)],
    ids=["made-in-the-future", "expires-before-made", "not-a-date"],
)
def test_a_batch_with_impossible_dates_is_refused_and_no_stock_moves(
    client, auth, app_ctx, produced, expires
):
    product = make_product()
    auth.login(producer_of(product))
    day = lambda n: (today() + timedelta(days=n)).isoformat() if isinstance(n, int) else n  # noqa: E731
    client.post(
        "/producer/stock/receive",
        data={
            "product": product.id,
            "quantity": "5",
            "produced_on": day(produced),
            "expires_on": day(expires) if expires is not None else "",
        },
    )
    assert db.session.query(ProductBatch).count() == 0
    assert db.session.query(StockMovement).count() == 0


def test_deliveries_cannot_place_more_than_the_batch_made(client, auth, app_ctx):
    product = make_product()
    batch = make_batch(product, 10, today() - timedelta(days=1))
    showroom = make_showroom()
    auth.login(producer_of(product))
    url = f"/producer/batches/{batch.id}/deliveries"
    day = today().isoformat()
    client.post(url, data={"showroom": showroom.code, "quantity": "7", "delivered_on": day})
    client.post(url, data={"showroom": showroom.code, "quantity": "4", "delivered_on": day})
    assert [d.quantity for d in db.session.query(BatchDelivery)] == [7]


def test_another_producer_cannot_see_or_print_a_batch(client, auth, app_ctx):
    batch = make_batch(make_product())
    other = make_product()
    auth.login(producer_of(other))
    assert client.get(f"/producer/batches/{batch.id}/labels.pdf").status_code == 404
    assert batch.code not in client.get("/producer/batches").text
    showroom = make_showroom()
    response = client.post(
        f"/producer/batches/{batch.id}/deliveries",
        data={"showroom": showroom.code, "quantity": "1"},
    )
    assert response.status_code == 404
    assert db.session.query(BatchDelivery).count() == 0


def test_batch_label_pdf_decodes_to_the_batch_page(client, auth, app_ctx, tmp_path):
    product = make_product()
    batch = make_batch(product, 30, today() - timedelta(days=1), today() + timedelta(days=90))
    auth.login(producer_of(product))

    pdf = client.get(f"/producer/batches/{batch.id}/labels.pdf?layout=a4-24&count=3")

    assert pdf.mimetype == "application/pdf"
    decoded = decode_pdf_qr(pdf.data, tmp_path)
    assert decoded == [f"http://shop.test/q/{product.code}/{batch.code}"] * 3


def test_label_count_and_paper_are_checked(client, auth, app_ctx):
    batch = make_batch(make_product())
    auth.login(producer_of(batch.product))
    assert client.get(f"/producer/batches/{batch.id}/labels.pdf?count=0").status_code == 400
    assert client.get(f"/producer/batches/{batch.id}/labels.pdf?count=5000").status_code == 400
    assert client.get(f"/producer/batches/{batch.id}/labels.pdf?layout=nope").status_code == 400


def test_a_showroom_that_received_a_batch_prints_its_labels_and_another_cannot(
    client, auth, app_ctx, tmp_path
):
    product = make_product()
    batch = make_batch(product, 20, today() - timedelta(days=3))
    here, elsewhere = make_showroom(), make_showroom()
    deliver(batch, here, 5, today())
    auth.login(make_user(role="staff", showroom_code=here.code))
    assert batch.code in client.get("/showroom/batches").text
    pdf = client.get(f"/showroom/batches/{batch.id}/labels.pdf?layout=thermal-50x30&count=1")
    assert decode_pdf_qr(pdf.data, tmp_path) == [f"http://shop.test/q/{product.code}/{batch.code}"]
    auth.logout()
    auth.login(make_user(role="staff", showroom_code=elsewhere.code))
    assert client.get(f"/showroom/batches/{batch.id}/labels.pdf").status_code == 404
