"""Text messages (SMS) through the outbox: written with their change, sent after the commit by
the configured provider (eSMS.vn, its documented request and answer), retried like e-mail, and
logged (kept for the dev outbox page) when no provider is set."""

from __future__ import annotations

import json

import pytest
import responses
from sqlalchemy import select

from storefront.extensions import db
from storefront.outbox import services as outbox
from storefront.outbox.models import Channel, OutboxMessage, OutboxStatus
from storefront.outbox.sms import ESMS_URL

ESMS = {
    "SMS_PROVIDER": "esms",
    "ESMS_API_KEY": "api-key-1",
    "ESMS_SECRET_KEY": "secret-key-1",
    "ESMS_BRANDNAME": "OCOP",
}


@pytest.fixture
def esms(app, monkeypatch):
    for name, value in ESMS.items():
        monkeypatch.setitem(app.config, name, value)
    with responses.RequestsMock() as mock:
        yield mock


def _reload(message_id: int) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


def test_an_sms_goes_to_esms_after_the_commit_as_documented(app_ctx, esms):
    esms.post(
        ESMS_URL,
        json={"CodeResult": "100", "CountRegenerate": 0, "SMSID": "d533459ee42b2b9525ba"},
    )
    message = outbox.queue_sms("0912345678", "Mã của bạn là 123456", kind="password_reset_code")
    assert len(esms.calls) == 0  # nothing before the commit
    db.session.commit()

    [call] = esms.calls
    assert json.loads(call.request.body) == {
        "ApiKey": "api-key-1",
        "SecretKey": "secret-key-1",
        "Phone": "0912345678",
        "Content": "Mã của bạn là 123456",
        "Brandname": "OCOP",
        "SmsType": "2",
        "IsUnicode": "1",
        "Sandbox": "0",
        "RequestId": f"ocop-{message.id}",
    }
    kept = _reload(message.id)
    assert (kept.channel, kept.status, kept.provider_id) == (
        Channel.SMS,
        OutboxStatus.SENT,
        "d533459ee42b2b9525ba",
    )


def test_an_sms_esms_refuses_is_retried_later_with_its_error(app_ctx, esms):
    esms.post(
        ESMS_URL,
        json={"CodeResult": "101", "CountRegenerate": 0, "ErrorMessage": "Authorize Failed"},
    )
    message = outbox.queue_sms("0912345678", "Ma 123456", kind="password_reset_code")
    db.session.commit()

    kept = _reload(message.id)
    assert kept.status == OutboxStatus.PENDING
    assert kept.attempts == 1
    assert "101" in kept.error
    assert "Authorize Failed" in kept.error
    assert kept.next_attempt_at is not None


def test_a_retry_esms_has_seen_already_counts_as_sent(app_ctx, esms):
    """A lost answer, then the retry: eSMS answers 124 for the same RequestId (no second SMS)."""
    esms.post(
        ESMS_URL,
        json={"CodeResult": "124", "CountRegenerate": 0, "ErrorMessage": "Request exist 1"},
    )
    message = outbox.queue_sms("0912345678", "Ma 123456", kind="order_paid")
    db.session.commit()

    assert json.loads(esms.calls[0].request.body)["IsUnicode"] == "0"
    assert _reload(message.id).status == OutboxStatus.SENT


def test_esms_unreachable_is_retried(app_ctx, esms):
    esms.post(ESMS_URL, body=ConnectionError("no route"))
    message = outbox.queue_sms("0912345678", "Ma 123456", kind="order_paid")
    db.session.commit()

    kept = _reload(message.id)
    assert (kept.status, kept.attempts) == (OutboxStatus.PENDING, 1)


def test_without_a_provider_an_sms_is_logged_and_kept(app_ctx, caplog):
    message = outbox.queue_sms("0912345678", "Ma 654321", kind="password_reset_code")
    with caplog.at_level("INFO"):
        db.session.commit()

    assert _reload(message.id).status == OutboxStatus.LOGGED
    assert "Ma 654321" in caplog.text


def test_a_rolled_back_change_sends_no_sms(app_ctx, esms):
    outbox.queue_sms("0912345678", "Ma 111111", kind="password_reset_code")
    db.session.rollback()

    assert len(esms.calls) == 0
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_flask_outbox_send_sends_emails_and_sms(app, app_ctx, esms, runner):
    esms.post(ESMS_URL, json={"CodeResult": "100", "CountRegenerate": 0, "SMSID": "x1"})
    message = outbox.queue_sms("0912345678", "Ma 222222", kind="order_paid")
    db.session.info.pop("outbox_queued_ids", None)  # as if the process died after its commit
    db.session.commit()
    assert _reload(message.id).status == OutboxStatus.PENDING

    result = runner.invoke(args=["outbox", "send"])

    assert "1 sent" in result.output
    assert _reload(message.id).status == OutboxStatus.SENT
