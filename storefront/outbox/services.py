"""send_email(): render, keep, and send by SMTP when MAIL_SERVER is set (else log)."""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app, render_template
from jinja2 import TemplateNotFound

from storefront.clock import utcnow
from storefront.extensions import db
from storefront.outbox.models import OutboxMessage

log = logging.getLogger(__name__)


def send_email(
    recipient: str, subject: str, template: str, *, kind: str, **context
) -> OutboxMessage:
    """Render ``emails/<template>.txt`` (and ``.html`` when it exists), keep the message, and
    send it. A failed SMTP delivery is recorded (status ``failed``) and never breaks the caller's
    request; the caller's transaction commits the row."""
    body_text = render_template(f"emails/{template}.txt", **context)
    try:
        body_html = render_template(f"emails/{template}.html", **context)
    except TemplateNotFound:
        body_html = None
    message = OutboxMessage(
        recipient=recipient,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        kind=kind,
        status="logged",
    )
    db.session.add(message)
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        log.info("E-mail to %s (%s) not sent, no MAIL_SERVER:\n%s", recipient, subject, body_text)
        db.session.flush()
        return message
    try:
        _deliver(config, message)
    except (OSError, smtplib.SMTPException) as error:
        message.status, message.error = "failed", f"{type(error).__name__}: {error}"
        log.warning("E-mail to %s failed: %s", recipient, message.error)
    else:
        message.status, message.sent_at = "sent", utcnow()
    db.session.flush()
    return message


def _deliver(config, message: OutboxMessage) -> None:
    email = EmailMessage()
    email["From"] = formataddr((config["MAIL_SENDER_NAME"], config["MAIL_SENDER"]))
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain=config["MAIL_SENDER"].split("@")[-1])
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    port = int(config.get("MAIL_PORT") or 587)
    timeout = 10
    if config.get("MAIL_USE_SSL"):
        smtp = smtplib.SMTP_SSL(
            config["MAIL_SERVER"], port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        smtp = smtplib.SMTP(config["MAIL_SERVER"], port, timeout=timeout)
    with smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(email)
