"""The transactional outbox against a real SMTP server (aiosmtpd) started in the test."""

import email
import email.policy
import logging
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from storefront.clock import utcnow
from storefront.extensions import db
from storefront.outbox import services as outbox
from storefront.outbox.models import OutboxMessage, OutboxStatus
from tests.conftest import free_port
from tests.factories import make_user


def _queue(recipient="lan@example.vn", link="http://shop.test/x"):
    return outbox.queue_email(
        recipient,
        "Đặt lại mật khẩu",
        "password_reset",
        kind="password_reset",
        user=make_user(recipient) if recipient == "lan@example.vn" else None,
        link=link,
        hours=2,
    )


def _reload(message_id: int) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


def test_email_is_sent_by_smtp_only_after_the_commit_and_kept(app_ctx, smtp_server):
    message = _queue()
    assert message.status == OutboxStatus.PENDING
    assert smtp_server.messages == []  # written with the change, not sent before its commit
    db.session.commit()
    [envelope] = smtp_server.messages
    assert envelope.rcpt_tos == ["lan@example.vn"]
    delivered = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert delivered["Subject"] == "Đặt lại mật khẩu"  # Vietnamese survives the trip
    assert "http://shop.test/x" in delivered.get_body(("plain",)).get_content()
    kept = _reload(message.id)
    assert (kept.status, kept.attempts) == (OutboxStatus.SENT, 1)
    assert kept.sent_at is not None


def test_a_rolled_back_change_sends_nothing(app_ctx, smtp_server):
    _queue()
    db.session.rollback()
    assert outbox.deliver() == outbox.DeliveryReport()
    assert smtp_server.messages == []
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_without_mail_server_the_message_is_logged_and_kept(app_ctx, caplog):
    caplog.set_level(logging.INFO, logger=outbox.__name__)
    message = _queue()
    db.session.commit()
    assert _reload(message.id).status == OutboxStatus.LOGGED
    assert "http://shop.test/x" in caplog.text


def test_a_failed_delivery_is_retried_with_backoff_then_marked_failed(app, app_ctx, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nothing listens there
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 3)
    monkeypatch.setitem(app.config, "OUTBOX_RETRY_SECONDS", 60)
    start = utcnow()
    message = _queue()
    db.session.commit()  # the first attempt, after the commit: refused, the commit stands
    first = _reload(message.id)
    assert (first.status, first.attempts) == (OutboxStatus.PENDING, 1)
    assert "Connection" in first.error
    assert (
        start + timedelta(seconds=60) <= first.next_attempt_at <= utcnow() + timedelta(seconds=60)
    )

    # Not due yet: nobody tries.
    assert outbox.deliver(now=first.next_attempt_at - timedelta(seconds=1)).retrying == 0
    assert _reload(message.id).attempts == 1

    due = first.next_attempt_at
    assert outbox.deliver(now=due).retrying == 1
    second = _reload(message.id)
    assert second.attempts == 2
    assert second.next_attempt_at == due + timedelta(seconds=120)

    assert outbox.deliver(now=second.next_attempt_at).failed == 1
    last = _reload(message.id)
    assert (last.status, last.attempts, last.next_attempt_at) == (OutboxStatus.FAILED, 3, None)
    assert outbox.deliver(now=utcnow() + timedelta(days=1)) == outbox.DeliveryReport()


def test_a_retry_delivers_once_the_server_answers(app, app_ctx, monkeypatch, smtp_server):
    working_port = app.config["MAIL_PORT"]
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())
    message = _queue()
    db.session.commit()
    assert _reload(message.id).status == OutboxStatus.PENDING
    monkeypatch.setitem(app.config, "MAIL_PORT", working_port)
    assert outbox.deliver(now=utcnow() + timedelta(hours=1)).sent == 1
    assert _reload(message.id).status == OutboxStatus.SENT
    assert len(smtp_server.messages) == 1


def _pending_rows(count: int) -> list[int]:
    """Messages committed by a process that died before sending them."""
    rows = [
        OutboxMessage(
            recipient=f"buyer{n}@example.vn",
            subject="x",
            body_text="x",
            kind="test",
            status=OutboxStatus.PENDING,
            next_attempt_at=utcnow() - timedelta(seconds=1),
        )
        for n in range(count)
    ]
    db.session.add_all(rows)
    db.session.commit()
    return [row.id for row in rows]


def test_flask_outbox_send_sends_what_a_dead_process_left(app_ctx, runner, smtp_server):
    ids = _pending_rows(3)
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0
    assert "3 sent" in result.output
    assert len(smtp_server.messages) == 3
    assert {_reload(i).status for i in ids} == {OutboxStatus.SENT}
    assert "0 sent" in runner.invoke(args=["outbox", "send"]).output  # nothing twice


def test_a_claim_that_lapsed_is_sent_by_the_next_run(app_ctx, smtp_server):
    [message_id] = _pending_rows(1)
    message = _reload(message_id)
    # A sender claimed it and was killed before it finished.
    message.status, message.attempts = OutboxStatus.SENDING, 1
    message.next_attempt_at = utcnow() + outbox.CLAIM_LEASE
    db.session.commit()
    assert outbox.deliver().sent == 0  # still claimed: nobody else sends it
    assert outbox.deliver(now=utcnow() + outbox.CLAIM_LEASE + timedelta(seconds=1)).sent == 1
    assert _reload(message_id).attempts == 2


@pytest.mark.parametrize("senders", [4])
def test_concurrent_senders_send_each_message_once(app, app_ctx, smtp_server, senders):
    ids = _pending_rows(12)
    barrier = threading.Barrier(senders)
    reports = []

    def run():
        with app.app_context():
            barrier.wait()
            reports.append(outbox.deliver())

    threads = [threading.Thread(target=run) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sum(r.sent for r in reports) == 12
    recipients = [e.rcpt_tos[0] for e in smtp_server.messages]
    assert sorted(recipients) == sorted(f"buyer{n}@example.vn" for n in range(12))
    assert {_reload(i).attempts for i in ids} == {1}
