"""Faults injected into checkout: an order is committed with its e-mails or not at all, a lost
connection is tried once more, the buyer's retry gets the order and its e-mails, and the e-mails
leave after the response. Also: the form's key alone opens no order."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from storefront.extensions import db
from storefront.orders import notifications, placing
from storefront.orders.models import Order
from storefront.outbox.models import OutboxMessage, OutboxStatus
from tests.checkout_helpers import add_to_cart, checkout, checkout_key, delivery_area
from tests.factories import make_producer, make_product


@pytest.fixture
def cart_of_two_producers(app_ctx, client):
    kora = make_producer("KORA", "Kora Group")
    kora.email = "kora@example.vn"
    dgtp = make_producer("DGTP", "Đăk Glei TP")
    dgtp.email = "dgtp@example.vn"
    ginseng = make_product("Hồng đảng sâm", producer=kora, price_vnd=450000, stock=10)
    shoots = make_product("Măng khô", producer=dgtp, price_vnd=160000, stock=10)
    add_to_cart(client, ginseng, 2)
    add_to_cart(client, shoots, 1)
    delivery_area()  # made now: only checkout's own commits meet the faults
    return ginseng, shoots


EXPECTED_RECIPIENTS = ["dgtp@example.vn", "kora@example.vn", "lan@example.vn"]


def _committed() -> tuple[list[Order], list[OutboxMessage]]:
    db.session.rollback()
    db.session.expire_all()
    return (
        list(db.session.scalars(select(Order))),
        list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.recipient))),
    )


def assert_every_order_has_its_emails() -> int:
    """The invariant: each committed order has its buyer's and each producer's e-mail, once;
    no e-mail announces an order that does not exist. Returns the number of orders."""
    placed, mails = _committed()
    for order in placed:
        about = [m.recipient for m in mails if order.number in m.body_text]
        assert about == EXPECTED_RECIPIENTS, (order.number, about)
    assert len(mails) == len(EXPECTED_RECIPIENTS) * len(placed)
    return len(placed)


class Fault(Exception):
    """Stands for a worker killed or a process crashing mid-checkout."""


def _after_the_order(monkeypatch):
    real = placing.place_order

    def place_then_fail(*args, **kwargs):
        real(*args, **kwargs)
        raise Fault("after the order was written")

    monkeypatch.setattr(placing, "place_order", place_then_fail)


def _between_two_emails(monkeypatch):
    real = notifications.queue_email
    calls = []

    def queue_then_fail(*args, **kwargs):
        calls.append(args[0])
        if len(calls) == 2:
            raise Fault("after the buyer's e-mail, before the producers'")
        return real(*args, **kwargs)

    monkeypatch.setattr(notifications, "queue_email", queue_then_fail)


def _at_every_commit(monkeypatch):
    def lose_the_connection():
        raise OperationalError("COMMIT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(db.session, "commit", lose_the_connection)


@pytest.mark.parametrize("inject", [_after_the_order, _between_two_emails, _at_every_commit])
def test_a_fault_mid_checkout_leaves_no_order_without_its_emails_and_the_retry_places_it(
    client, cart_of_two_producers, monkeypatch, inject
):
    key = checkout_key(client)
    with monkeypatch.context() as patched:
        inject(patched)
        response = checkout(client, key=key)
    if inject is _at_every_commit:  # the database was gone twice: asked to send again, no 500
        assert response.status_code == 503
        assert "Gửi lại biểu mẫu" in response.text
    else:
        assert response.status_code == 500  # stands for the worker that died mid-request
    assert assert_every_order_has_its_emails() == 0
    ginseng, _shoots = cart_of_two_producers

    retry = checkout(client, key=key)  # the buyer sends the same form again
    assert retry.status_code == 302
    assert assert_every_order_has_its_emails() == 1
    assert client.get(retry.location).status_code == 200  # and may see it


def test_a_connection_lost_once_at_commit_is_retried_before_the_buyer_sees_it(
    client, cart_of_two_producers, monkeypatch
):
    real_commit = db.session.commit
    failures = []

    def lose_the_first(*args, **kwargs):
        if not failures:
            failures.append(1)
            raise OperationalError("COMMIT", {}, Exception("server closed the connection"))
        return real_commit(*args, **kwargs)

    key = checkout_key(client)
    monkeypatch.setattr(db.session, "commit", lose_the_first)
    response = checkout(client, key=key)
    monkeypatch.undo()
    assert failures
    assert response.status_code == 302
    assert assert_every_order_has_its_emails() == 1


def test_a_commit_that_reached_the_database_before_the_connection_dropped_is_not_repeated(
    client, cart_of_two_producers, monkeypatch
):
    real_commit = db.session.commit
    dropped = []

    def commit_then_drop(*args, **kwargs):
        real_commit(*args, **kwargs)
        if not dropped:
            dropped.append(1)
            raise OperationalError("COMMIT", {}, Exception("connection reset before the reply"))

    key = checkout_key(client)
    monkeypatch.setattr(db.session, "commit", commit_then_drop)
    response = checkout(client, key=key)
    monkeypatch.undo()
    assert dropped
    assert response.status_code == 302
    assert assert_every_order_has_its_emails() == 1  # one order, its e-mails once


def test_order_emails_leave_after_the_response_not_during_it(
    client, cart_of_two_producers, smtp_server
):
    response = checkout(client)
    assert response.status_code == 302
    assert smtp_server.messages == []  # the buyer did not wait for SMTP
    _placed, mails = _committed()
    assert {m.status for m in mails} == {OutboxStatus.PENDING}
    response.close()  # the server has sent the response: now the e-mails go
    assert sorted(e.rcpt_tos[0] for e in smtp_server.messages) == EXPECTED_RECIPIENTS
    _placed, mails = _committed()
    assert {m.status for m in mails} == {OutboxStatus.SENT}


def test_the_checkout_key_from_another_session_does_not_reveal_the_order(
    app, client, cart_of_two_producers
):
    key = checkout_key(client)
    placed = checkout(client, key=key)
    assert placed.status_code == 302
    [order] = _committed()[0]
    assert key not in (order.idempotency_digest, *vars(order).values())  # only a hash is kept

    stranger = app.test_client()
    replay = checkout(stranger, key=key)  # a stranger's empty cart, the buyer's key
    assert replay.status_code == 400  # a checkout of its own (an empty cart), not the order
    assert order.number not in replay.text
    assert stranger.get(f"/don-hang/{order.number}").status_code == 404
    assert db.session.scalar(select(func.count(Order.id))) == 1
