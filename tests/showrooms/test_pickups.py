"""Pick-up orders at the showroom: ready (the customer is told), hand-over with the code."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storefront.extensions import db
from storefront.inventory import services as inventory
from storefront.orders import payment_panels
from storefront.outbox.models import OutboxMessage
from storefront.payments.models import Payment
from storefront.showrooms import pickups
from storefront.showrooms.errors import NotFound, ShowroomError
from tests.showrooms.helpers import place_pickup


def test_a_pick_up_order_gets_a_private_code_and_a_qr_pass(counter):
    order = place_pickup(counter)
    assert len(order.pickup_code) == 6
    assert payment_panels.pickup_pass(order) == f"{order.number}-{order.pickup_code}"
    assert payment_panels.pickup_qr_data_uri(order).startswith("data:image/png;base64,")


def test_marking_ready_tells_the_customer_by_e_mail(counter):
    order = place_pickup(counter)
    pickups.mark_ready(counter.staff, order.number)
    db.session.commit()
    assert order.status == "ready_for_pickup"
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "pickup_ready"))
    assert mail.recipient == "lan@example.vn"
    assert order.number in mail.subject
    assert order.pickup_code in mail.body_text


def test_hand_over_with_the_scanned_pass_records_the_cash_and_sells_the_units(counter):
    order = place_pickup(counter)
    pickups.mark_ready(counter.staff, order.number)
    pickups.hand_over(
        counter.staff, order.number, payment_panels.pickup_pass(order), cash_received=True
    )
    db.session.commit()
    assert order.status == "collected"
    assert order.paid_at is not None
    payment = db.session.scalar(select(Payment).where(Payment.order_id == order.id))
    assert (payment.method, payment.amount_vnd, payment.recorded_by) == (
        "cash_at_pickup",
        240_000,
        "Chị Lan",
    )
    level = inventory.available(counter.tea.id, counter.location_id)
    assert level == 3
    assert inventory.ledger_sum(counter.tea.id, counter.location_id) == 3


def test_hand_over_with_a_wrong_code_is_refused_and_changes_nothing(counter):
    order = place_pickup(counter)
    pickups.mark_ready(counter.staff, order.number)
    db.session.commit()
    for wrong in ("", "ABCDEF", f"{order.number}-", "DH22222222-" + order.pickup_code):
        with pytest.raises(ShowroomError, match="does not match"):
            pickups.hand_over(counter.staff, order.number, wrong, cash_received=True)
        db.session.rollback()
    assert order.status == "ready_for_pickup"
    assert order.paid_at is None


def test_cash_at_pick_up_must_be_taken_before_hand_over(counter):
    order = place_pickup(counter)
    pickups.mark_ready(counter.staff, order.number)
    with pytest.raises(ShowroomError, match="cash received"):
        pickups.hand_over(counter.staff, order.number, order.pickup_code, cash_received=False)


def test_an_order_not_yet_ready_cannot_be_handed_over(counter):
    order = place_pickup(counter)
    with pytest.raises(ShowroomError, match="not ready"):
        pickups.hand_over(counter.staff, order.number, order.pickup_code, cash_received=True)


def test_an_unpaid_transfer_order_cannot_be_marked_ready(counter):
    order = place_pickup(counter, payment_method="bank_transfer")
    with pytest.raises(ShowroomError):
        pickups.mark_ready(counter.staff, order.number)


def test_another_showrooms_staff_cannot_find_or_touch_the_order(counter):
    order = place_pickup(counter)
    with pytest.raises(NotFound):
        pickups.get_pickup(counter.other_staff, order.number)
    with pytest.raises(NotFound):
        pickups.mark_ready(counter.other_staff, order.number)
    with pytest.raises(NotFound):
        pickups.find_by_scan(counter.other_staff, payment_panels.pickup_pass(order))
    assert pickups.pickup_orders(counter.other_staff) == []


def test_a_scanned_pass_finds_its_order(counter):
    order = place_pickup(counter)
    assert (
        pickups.find_by_scan(counter.staff, payment_panels.pickup_pass(order).lower()).id
        == order.id
    )
    with pytest.raises(ShowroomError):
        pickups.find_by_scan(counter.staff, "not an order")
