"""The outbox against a real SMTP server (aiosmtpd) started in the test."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller

from storefront.extensions import db
from storefront.outbox.services import send_email


class Collector:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, _server, _session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture()
def smtp_server():
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, collector
    controller.stop()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def mail_config(app, monkeypatch):
    def configure(port):
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", port)
        monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)

    return configure


def test_email_is_delivered_by_smtp_and_kept(app, smtp_server, mail_config):
    controller, collector = smtp_server
    mail_config(controller.port)
    with app.test_request_context():
        from tests.factories import make_user

        user = make_user("lan@example.vn")
        message = send_email(
            "lan@example.vn",
            "Đặt lại mật khẩu",
            "password_reset",
            kind="password_reset",
            user=user,
            link="http://shop.test/x",
            hours=2,
        )
        db.session.commit()
        assert message.status == "sent" and message.sent_at is not None
    [envelope] = collector.messages
    assert envelope.rcpt_tos == ["lan@example.vn"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"] == "Đặt lại mật khẩu"  # Vietnamese survives the trip
    assert "http://shop.test/x" in message.get_body(("plain",)).get_content()


def test_a_failed_delivery_is_recorded_and_does_not_break_the_request(app, mail_config):
    mail_config(_free_port())  # nothing listens there
    with app.test_request_context():
        from tests.factories import make_user

        user = make_user("lan@example.vn")
        message = send_email(
            "lan@example.vn",
            "x",
            "password_reset",
            kind="password_reset",
            user=user,
            link="http://shop.test/x",
            hours=2,
        )
        db.session.commit()
        assert message.status == "failed" and "Connection" in message.error
