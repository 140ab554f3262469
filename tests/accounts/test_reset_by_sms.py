"""A customer who signed up with a mobile number resets the password with a six-digit code sent
by SMS: single use, 10 minutes, a few tries, rate-limited per number and per address; in
development the code is on the dev outbox page (never in production)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from storefront.accounts.models import ResetCode, User
from storefront.extensions import db
from storefront.outbox.models import Channel, OutboxMessage
from tests.factories import make_user

PHONE = "0912345678"
CODE_RE = re.compile(r"\b(\d{6})\b")


@pytest.fixture
def phone_user(app_ctx):
    user = User(phone=PHONE, role="customer", name="Lan")
    user.set_password("old password 1")
    db.session.add(user)
    db.session.commit()
    return user


def sms_codes() -> list[tuple[str, str]]:
    """(number, code) of every SMS in the outbox, oldest first."""
    db.session.expire_all()
    messages = db.session.scalars(
        select(OutboxMessage).filter_by(channel=Channel.SMS).order_by(OutboxMessage.id)
    )
    return [(m.recipient, CODE_RE.search(m.body_text).group(1)) for m in messages]


def ask_for_code(client, identifier="+84 912 345 678"):
    return client.post("/quen-mat-khau", data={"identifier": identifier})


def reset(client, code, password="new password 2", phone=PHONE):
    return client.post(
        "/quen-mat-khau/ma",
        data={"phone": phone, "code": code, "password": password, "confirm": password},
    )


def can_sign_in(client, password) -> bool:
    client.post("/logout")
    answer = client.post("/login", data={"identifier": PHONE, "password": password})
    return answer.status_code == 302


def test_a_phone_only_customer_resets_the_password_with_the_sms_code(client, phone_user):
    asked = ask_for_code(client)
    assert asked.status_code == 302
    assert asked.location.endswith(f"/quen-mat-khau/ma?so={PHONE}")
    [(number, code)] = sms_codes()
    assert number == PHONE

    done = reset(client, code)

    assert done.status_code == 302
    assert can_sign_in(client, "new password 2")
    assert not can_sign_in(client, "old password 1")


def test_a_code_works_once(client, phone_user):
    ask_for_code(client)
    [(_number, code)] = sms_codes()
    assert reset(client, code).status_code == 302

    again = reset(client, code, password="third password 3")

    assert again.status_code == 400
    assert can_sign_in(client, "new password 2")


def test_a_code_expires_after_ten_minutes(client, phone_user):
    ask_for_code(client)
    [(_number, code)] = sms_codes()
    row = db.session.scalar(select(ResetCode))
    row.expires_at = row.created_at - timedelta(seconds=1)
    db.session.commit()

    assert reset(client, code).status_code == 400
    assert can_sign_in(client, "old password 1")


def test_a_code_dies_after_five_wrong_tries(client, app, phone_user, monkeypatch):
    monkeypatch.setitem(app.config, "RESET_RATE_LIMIT", "100 per minute")  # the code's own limit
    ask_for_code(client)
    [(_number, code)] = sms_codes()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    answers = [reset(client, wrong).status_code for _ in range(5)]

    assert answers == [400] * 5
    assert reset(client, code).status_code == 400  # the right code no longer opens anything
    assert can_sign_in(client, "old password 1")


def test_a_new_code_replaces_the_old_one(client, phone_user):
    ask_for_code(client)
    ask_for_code(client)
    [(_n, first), (_m, second)] = sms_codes()

    if first != second:
        assert reset(client, first).status_code == 400
    assert reset(client, second).status_code == 302


def test_a_number_without_an_account_gets_the_same_page_and_no_sms(client, app_ctx):
    asked = ask_for_code(client, "0987654321")

    assert asked.status_code == 302
    assert "/quen-mat-khau/ma" in asked.location
    assert sms_codes() == []
    assert reset(client, "123456", phone="0987654321").status_code == 400


def test_codes_are_rate_limited_per_number(client, app, phone_user, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_CODE_RATE_LIMIT", "2 per 10 minutes")
    answers = [ask_for_code(client, f"0912 345 678{' ' * n}").status_code for n in range(3)]

    assert answers == [302, 302, 429]
    assert len(sms_codes()) == 2


def test_codes_are_rate_limited_per_address(client, app, app_ctx, monkeypatch):
    monkeypatch.setitem(app.config, "RESET_RATE_LIMIT", "2 per minute")
    answers = [ask_for_code(client, f"09123456{n:02d}").status_code for n in range(3)]

    assert answers == [302, 302, 429]


def test_the_dev_outbox_page_shows_the_code_in_development_only(client, app, phone_user):
    ask_for_code(client)
    [(_number, code)] = sms_codes()

    page = client.get("/dev/outbox")
    assert page.status_code == 200
    assert code in page.text
    assert PHONE in page.text

    app.config["STOREFRONT_ENV"] = "production"
    try:
        assert client.get("/dev/outbox").status_code == 404
    finally:
        app.config["STOREFRONT_ENV"] = "development"


def test_an_email_account_still_gets_its_link(client, app_ctx):
    make_user("lan@example.vn")
    answer = client.post("/quen-mat-khau", data={"identifier": "lan@example.vn"})

    assert answer.status_code == 200
    assert sms_codes() == []
