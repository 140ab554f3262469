"""The transactional outbox, for e-mail and for text messages (SMS).

``queue_email()`` renders a message (``queue_sms()`` takes a text message) and adds it as a
``pending`` row to the caller's transaction: the message exists exactly when the change it
announces is committed, and a rolled-back change sends nothing. After the commit it is sent:
once the response is out when the commit happened in a request (no SMTP or SMS provider while
the visitor waits), at once from the CLI. ``flask outbox send`` (cron)
sends whatever is still due: retries after a failure (exponential backoff, ``failed`` after
OUTBOX_MAX_ATTEMPTS) and messages whose process died before sending them.

A sender claims a message with one conditional UPDATE before sending it, so any number of
senders may run at once and each message goes out once. A claim lapses after CLAIM_LEASE: a
sender killed mid-send leaves its message to the next run (sent at least once, never lost).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from functools import partial
from typing import Any, cast

from flask import (
    Flask,
    Response,
    current_app,
    g,
    has_app_context,
    has_request_context,
    render_template,
)
from jinja2 import TemplateNotFound
from sqlalchemy import event, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from storefront.clock import utcnow
from storefront.extensions import db
from storefront.outbox.models import Channel, OutboxMessage, OutboxStatus
from storefront.outbox.sms import SmsError, provider_from

log = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=10)  # far longer than one SMTP conversation (10 s timeout)
MAX_BACKOFF = timedelta(hours=6)
SMTP_TIMEOUT = 10
_QUEUED = "outbox_queued_ids"


@dataclass
class DeliveryReport:
    sent: int = 0
    logged: int = 0
    retrying: int = 0
    failed: int = 0


def queue_email(
    recipient: str, subject: str, template: str, *, kind: str, **context: object
) -> OutboxMessage:
    """Render ``emails/<template>.txt`` (and ``.html`` when it exists) and add the message to the
    caller's transaction, to be sent after it commits. Nothing is sent if it rolls back."""
    body_text = render_template(f"emails/{template}.txt", **context)
    try:
        body_html = render_template(f"emails/{template}.html", **context)
    except TemplateNotFound:
        body_html = None
    return _queue(
        OutboxMessage(
            channel=Channel.EMAIL,
            recipient=recipient,
            subject=subject,
            body_text=body_text,
            body_html=body_html,
            kind=kind,
        )
    )


def queue_sms(phone: str, text: str, *, kind: str) -> OutboxMessage:
    """Add a text message to ``phone`` (a Vietnamese mobile number, 0xxxxxxxxx) to the caller's
    transaction, sent after it commits through the SMS provider (``SMS_PROVIDER``), retried like
    e-mail; nothing is sent if it rolls back. Keep ``text`` short: one SMS is 160 characters
    without diacritics, 70 with."""
    return _queue(
        OutboxMessage(channel=Channel.SMS, recipient=phone, subject="", body_text=text, kind=kind)
    )


def _queue(message: OutboxMessage) -> OutboxMessage:
    message.status, message.attempts, message.next_attempt_at = OutboxStatus.PENDING, 0, utcnow()
    db.session.add(message)
    db.session.flush()
    db.session.info.setdefault(_QUEUED, []).append(message.id)
    return message


def latest_messages(limit: int) -> list[OutboxMessage]:
    """The newest messages first (the development outbox page)."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def deliver(ids: list[int] | None = None, *, now: datetime | None = None) -> DeliveryReport:
    """Send the due messages among ``ids`` (all due messages when None), each at most once
    however many senders run: a message is sent by whoever claims it. Never raises for a failed
    delivery: the failure is recorded and retried later."""
    now = now or utcnow()
    report = DeliveryReport()
    config = current_app.config
    with Session(db.engine, expire_on_commit=False) as session:
        if ids is None:
            ids = list(
                session.scalars(
                    select(OutboxMessage.id)
                    .where(
                        OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING)),
                        OutboxMessage.next_attempt_at <= now,
                    )
                    .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                    .limit(config["OUTBOX_BATCH_SIZE"])
                )
            )
        for message_id in ids:
            if not _claim(session, message_id, now):
                continue  # sent already, not due yet, or another sender has it
            message = session.get_one(OutboxMessage, message_id)
            _attempt(session, config, message, report, now)
            session.commit()
    return report


def _claim(session: Session, message_id: int, now: datetime) -> bool:
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING)),
            OutboxMessage.next_attempt_at <= now,
        )
        .values(
            status=OutboxStatus.SENDING,
            attempts=OutboxMessage.attempts + 1,
            next_attempt_at=now + CLAIM_LEASE,
        )
        .execution_options(synchronize_session=False)
    )
    claimed = cast(CursorResult, result).rowcount
    session.commit()  # the claim is visible to every other sender before anything is sent
    return claimed == 1


def _attempt(
    session: Session,
    config: Mapping[str, Any],
    message: OutboxMessage,
    report: DeliveryReport,
    now: datetime,
) -> None:
    session.refresh(message)
    sms = message.channel == Channel.SMS
    provider = provider_from(config) if sms else None
    if (sms and provider is None) or (not sms and not config.get("MAIL_SERVER")):
        log.info(
            "%s to %s (%s) not sent, no %s:\n%s",
            "SMS" if sms else "E-mail",
            message.recipient,
            message.subject,
            "SMS_PROVIDER" if sms else "MAIL_SERVER",
            message.body_text,
        )
        message.status, message.error, message.next_attempt_at = OutboxStatus.LOGGED, None, None
        report.logged += 1
        return
    try:
        if provider is not None:
            message.provider_id = provider.send(
                message.recipient, message.body_text, request_id=f"ocop-{message.id}"
            )[:100]
        else:
            _deliver(config, message)
    except (OSError, smtplib.SMTPException, SmsError) as error:
        message.error = f"{type(error).__name__}: {error}"
        if message.attempts >= config["OUTBOX_MAX_ATTEMPTS"]:
            message.status, message.next_attempt_at = OutboxStatus.FAILED, None
            report.failed += 1
            log.error(
                "Message %s to %s failed for good: %s", message.id, message.recipient, message.error
            )
        else:
            message.status = OutboxStatus.PENDING
            message.next_attempt_at = now + backoff(message.attempts, config)
            report.retrying += 1
            log.warning(
                "Message %s to %s failed (attempt %d), retried at %s: %s",
                message.id,
                message.recipient,
                message.attempts,
                message.next_attempt_at,
                message.error,
            )
    else:
        message.status, message.sent_at = OutboxStatus.SENT, utcnow()
        message.error, message.next_attempt_at = None, None
        report.sent += 1


def backoff(attempts: int, config: Mapping[str, Any]) -> timedelta:
    """How long to wait after the ``attempts``-th failure: the base, doubled each time, capped."""
    delay = timedelta(seconds=config["OUTBOX_RETRY_SECONDS"] * 2 ** max(attempts - 1, 0))
    return min(delay, MAX_BACKOFF)


def _deliver(config: Mapping[str, Any], message: OutboxMessage) -> None:
    email = EmailMessage()
    email["From"] = formataddr((config["MAIL_SENDER_NAME"], config["MAIL_SENDER"]))
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain=config["MAIL_SENDER"].split("@")[-1])
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    port = int(config.get("MAIL_PORT") or 587)
    smtp: smtplib.SMTP
    if config.get("MAIL_USE_SSL"):
        smtp = smtplib.SMTP_SSL(
            config["MAIL_SERVER"], port, timeout=SMTP_TIMEOUT, context=ssl.create_default_context()
        )
    else:
        smtp = smtplib.SMTP(config["MAIL_SERVER"], port, timeout=SMTP_TIMEOUT)
    with smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(email)


# --- after the commit ------------------------------------------------------------------------


def init_app(app: Flask) -> None:
    @app.after_request
    def _send_after_the_response(response: Response) -> Response:
        ids = g.pop(_QUEUED, None)
        if ids:  # the server calls this once the response has gone to the client
            response.call_on_close(partial(_deliver_in_context, app, ids))
        return response


@event.listens_for(Session, "after_commit")
def _send_committed(session: Session) -> None:
    ids = session.info.pop(_QUEUED, None)
    if not ids or not has_app_context():
        return  # flask outbox send picks them up
    if has_request_context():
        g.setdefault(_QUEUED, []).extend(ids)
    else:
        app = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy's app
        _deliver_in_context(app, ids)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(_QUEUED, None)


def _deliver_in_context(app: Flask, ids: list[int]) -> None:
    """Send now; a problem here (the database gone) leaves the messages to the next cron run."""
    try:
        with app.app_context():
            deliver(ids)
    except Exception:  # noqa: BLE001 — the change is committed; never fail it afterwards
        log.exception("Sending e-mails %s after the commit failed; flask outbox send retries", ids)
