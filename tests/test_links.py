"""Absolute links are built on BASE_URL, never on the host a request names (issue 13, finding 4):
password-reset e-mails, order e-mails, QR codes and the API. Requests for other hosts are refused
before anything is sent (tests/test_security.py has the production side)."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from storefront.extensions import db
from storefront.links import absolute_url_for
from storefront.orders.models import Order
from storefront.orders.notifications import order_link
from storefront.outbox.models import OutboxMessage
from storefront.qr.services import verification_url
from tests.factories import make_product, make_user

BASE_URL = "http://shop.test"  # tests/conftest.py
ALIAS = "http://www.shop.test"  # a second host name the shop answers at


def _reset_link(email: str) -> str:
    message = db.session.scalar(
        select(OutboxMessage).filter_by(recipient=email, kind="password_reset")
    )
    return re.search(r"http\S+/dat-lai-mat-khau/\S+", message.body_text).group(0)


def _answer_the_alias_too(app, monkeypatch):
    monkeypatch.setitem(
        app.config, "ALLOWED_HOSTS", [*app.config["ALLOWED_HOSTS"], "www.shop.test"]
    )


def test_the_reset_e_mail_links_to_base_url_whatever_host_was_asked(
    app, client, app_ctx, monkeypatch
):
    _answer_the_alias_too(app, monkeypatch)
    make_user("lan@example.vn")
    sent = client.post("/quen-mat-khau", data={"identifier": "lan@example.vn"}, base_url=ALIAS)
    assert sent.status_code == 200
    assert _reset_link("lan@example.vn").startswith(f"{BASE_URL}/dat-lai-mat-khau/")


def test_a_forged_host_gets_400_and_no_e_mail(client, app_ctx):
    make_user("lan@example.vn")
    refused = client.post(
        "/quen-mat-khau", data={"identifier": "lan@example.vn"}, headers={"Host": "evil.example"}
    )
    assert refused.status_code == 400
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_qr_codes_and_the_api_link_to_base_url(app, client, app_ctx, monkeypatch):
    _answer_the_alias_too(app, monkeypatch)
    code = make_product("Sâm dây Ngọc Linh", stock=3).code
    product = client.get(f"/api/v1/products/{code}", base_url=ALIAS).json
    assert product["url"] == f"{BASE_URL}/san-pham/{code}"
    assert product["qr_png"] == f"{BASE_URL}/qr/{code}.png"
    listed = client.get("/api/v1/products", base_url=ALIAS).json
    assert all(link.startswith(BASE_URL) for link in _links(listed))
    with app.test_request_context("/", base_url=ALIAS):
        assert verification_url(code) == f"{BASE_URL}/q/{code}"
        assert order_link(Order(number="DH-1"), "s3cret") == f"{BASE_URL}/don-hang/DH-1?k=s3cret"


def _links(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _links(item)
    elif isinstance(value, list):
        for item in value:
            yield from _links(item)
    elif isinstance(value, str) and value.startswith("http"):
        yield value


def test_without_base_url_links_follow_the_request_in_development(app, monkeypatch):
    # Production refuses to start without BASE_URL; development answers any host.
    monkeypatch.setitem(app.config, "BASE_URL", "")
    with app.test_request_context("/", base_url="http://127.0.0.1:5000"):
        assert absolute_url_for("qr.verify", code="X") == "http://127.0.0.1:5000/q/X"
    with app.app_context():  # the CLI
        assert absolute_url_for("qr.verify", code="X") == "http://localhost/q/X"
