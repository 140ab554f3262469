import re

import pytest
from sqlalchemy import select

from storefront.accounts import services
from storefront.accounts.models import User
from storefront.extensions import db
from storefront.outbox.models import OutboxMessage
from tests.factories import make_user

# "The e-mail/number or the password is not right."
NOT_RIGHT = "E-mail/số điện thoại hoặc mật khẩu không đúng."


def _register(client, identifier, password="mat-khau-dai", confirm=None, name="Lan"):
    return client.post(
        "/dang-ky",
        data={
            "name": name,
            "identifier": identifier,
            "password": password,
            "confirm": confirm or password,
        },
    )


def _login(client, identifier, password="correct horse battery", remember=False):
    data = {"identifier": identifier, "password": password}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0912345678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("84387654321", "0387654321"),
    ],
)
def test_vietnamese_mobile_numbers_are_normalised(typed, stored):
    assert services.normalise_mobile(typed) == stored


@pytest.mark.parametrize(
    "typed", ["0212345678", "091234567", "09123456789", "abc", "", "+1 912 345 678"]
)
def test_other_numbers_are_not_mobile_numbers(typed):
    assert services.normalise_mobile(typed) is None


def test_customer_registers_with_a_mobile_number_then_signs_in_with_it(client, app_ctx):
    response = _register(client, "0912 345 678")
    assert response.status_code == 200
    assert "0912345678" in response.text
    user = db.session.scalar(select(User).filter_by(phone="0912345678"))
    assert user.role == "customer"
    assert user.email is None
    assert _login(client, "0912345678", "mat-khau-dai").status_code == 302
    assert "Lan" in client.get("/tai-khoan").text


def test_customer_registers_with_an_email_and_gets_a_welcome_email(client, app_ctx):
    response = _register(client, "Hoa@Example.vn")
    assert response.status_code == 200
    assert "hoa@example.vn" in response.text
    assert client.get("/tai-khoan").status_code == 302  # not signed in by the sign-up itself
    welcome = db.session.scalar(select(OutboxMessage).filter_by(recipient="hoa@example.vn"))
    assert welcome.kind == "welcome"
    assert "http://shop.test/login" in welcome.body_text
    assert _login(client, "hoa@example.vn", "mat-khau-dai").status_code == 302


def _page(response, identifier: str) -> str:
    """The page with the address the visitor typed taken out."""
    return response.text.replace(identifier, "…")


def test_signing_up_with_a_taken_address_answers_as_a_new_one_and_tells_its_owner(
    app, app_ctx, smtp_server
):
    owner = make_user("lan@example.vn")
    fresh, taken = app.test_client(), app.test_client()
    new = _register(fresh, "hoa@example.vn")
    again = _register(taken, "lan@example.vn", password="mat-khau-khac")
    assert new.status_code == again.status_code == 200
    assert _page(new, "hoa@example.vn") == _page(again, "lan@example.vn")
    assert new.headers.getlist("Set-Cookie") == again.headers.getlist("Set-Cookie") == []
    assert smtp_server.messages == []  # nothing by SMTP while the page waited
    new.close()
    again.close()  # the responses are out: now the e-mails go
    sent = smtp_server.texts()
    assert sorted(sent) == ["hoa@example.vn", "lan@example.vn"]
    assert "/quen-mat-khau" in sent["lan@example.vn"]
    db.session.refresh(owner)
    assert owner.check_password("correct horse battery")  # the owner's account is untouched
    assert db.session.scalar(select(db.func.count(User.id))) == 2


def test_registration_refuses_bad_input_and_creates_nothing(client, app_ctx):
    make_user("lan@example.vn")
    cases = [
        ("not-a-number", "mat-khau-dai", None),
        ("0112345678", "mat-khau-dai", None),
        ("a@b.vn", "short", None),
        ("a@b.vn", "mat-khau-dai", "khac-mat-khau"),
        ("LAN@example.vn", "short", None),
    ]
    for identifier, password, confirm in cases:
        response = _register(client, identifier, password, confirm)
        assert response.status_code == 400, identifier
        assert 'class="errors"' in response.text
    assert db.session.scalar(select(db.func.count(User.id))) == 1


def test_login_by_email_or_phone_and_wrong_password_says_the_same(client, app_ctx):
    make_user("lan@example.vn", phone=None)
    user = services.create_user(None, "customer", "mat-khau-dai", phone="0987654321")
    db.session.commit()
    assert _login(client, "LAN@example.vn").status_code == 302
    client.post("/logout")
    assert _login(client, "0987 654 321", "mat-khau-dai").status_code == 302
    client.post("/logout")
    wrong = _login(client, "lan@example.vn", "sai-mat-khau")
    unknown = _login(client, "noone@example.vn", "sai-mat-khau")
    assert wrong.status_code == unknown.status_code == 400
    assert _error_text(wrong) == _error_text(unknown)
    assert NOT_RIGHT in " ".join(_error_text(wrong))
    db.session.expire_all()
    assert db.session.get(User, user.id).last_login_at is not None  # the phone's sign-in


def _error_text(response):
    return re.findall(r'<ul class="errors"[^>]*>(.*?)</ul>', response.text, re.S)


def test_deactivated_account_cannot_sign_in(client, app_ctx):
    user = make_user("lan@example.vn")
    user.active = False
    db.session.commit()
    response = _login(client, "lan@example.vn")  # the right password
    assert response.status_code == 400
    # "The e-mail/number or the password is not right.": the same words as a wrong password
    assert NOT_RIGHT in " ".join(_error_text(response))
    assert client.get("/tai-khoan").status_code == 302  # not signed in: sent to sign in
    db.session.expire_all()
    assert db.session.get(User, user.id).last_login_at is None


def test_remember_me_sets_a_long_lived_httponly_cookie(client, app_ctx):
    make_user("lan@example.vn")
    response = _login(client, "lan@example.vn", remember=True)
    cookies = response.headers.getlist("Set-Cookie")
    remember = [c for c in cookies if c.startswith("remember_token=")]
    assert remember
    assert "HttpOnly" in remember[0]
    assert "SameSite=Lax" in remember[0]
    session = [c for c in cookies if c.startswith("session=")]
    assert "HttpOnly" in session[0]
    assert "SameSite=Lax" in session[0]


def test_logout_is_a_post_and_ends_the_session(client, app_ctx):
    make_user("lan@example.vn")
    _login(client, "lan@example.vn")
    assert client.get("/logout").status_code == 200  # a page with a button, not a sign-out
    assert client.get("/tai-khoan").status_code == 200
    client.post("/logout")
    assert client.get("/tai-khoan").status_code == 302


def test_password_change_needs_the_current_password(client, app_ctx):
    user = make_user("lan@example.vn")
    _login(client, "lan@example.vn")
    bad = client.post(
        "/tai-khoan", data={"current": "sai", "password": "mat-khau-moi", "confirm": "mat-khau-moi"}
    )
    assert bad.status_code == 400
    ok = client.post(
        "/tai-khoan",
        data={
            "current": "correct horse battery",
            "password": "mat-khau-moi",
            "confirm": "mat-khau-moi",
        },
    )
    assert ok.status_code == 302
    db.session.refresh(user)
    assert user.check_password("mat-khau-moi")


def _reset_link(email: str) -> str:
    message = db.session.scalar(
        select(OutboxMessage).filter_by(recipient=email, kind="password_reset")
    )
    return re.search(r"http\S+/dat-lai-mat-khau/\S+", message.body_text).group(0)


def test_password_reset_by_a_signed_link_that_works_once(client, app_ctx):
    user = make_user("lan@example.vn")
    response = client.post("/quen-mat-khau", data={"identifier": "lan@example.vn"})
    assert response.status_code == 200
    link = _reset_link("lan@example.vn")
    assert link.startswith("http://shop.test/")
    path = link.removeprefix("http://shop.test")
    assert client.get(path).status_code == 200
    done = client.post(path, data={"password": "mat-khau-moi", "confirm": "mat-khau-moi"})
    assert done.status_code == 302
    db.session.refresh(user)
    assert user.check_password("mat-khau-moi")
    client.post("/logout")
    again = client.get(path)
    assert again.status_code == 400  # the link was bound to the old password


def test_reset_for_an_unknown_account_looks_the_same_and_does_the_same_work(
    client, app_ctx, smtp_server
):
    make_user("lan@example.vn")
    a = client.post("/quen-mat-khau", data={"identifier": "lan@example.vn"})
    b = client.post("/quen-mat-khau", data={"identifier": "nobody@example.vn"})
    assert a.status_code == b.status_code == 200
    assert a.text == b.text
    assert a.headers.getlist("Set-Cookie") == b.headers.getlist("Set-Cookie")
    assert smtp_server.messages == []  # no SMTP while the page waits, for either
    kinds = dict(db.session.execute(select(OutboxMessage.recipient, OutboxMessage.kind)).all())
    assert kinds == {
        "lan@example.vn": "password_reset",
        "nobody@example.vn": "password_reset_no_account",  # told, not given a link
    }
    a.close()
    b.close()
    sent = smtp_server.texts()
    assert "/dat-lai-mat-khau/" in sent["lan@example.vn"]
    assert "/dat-lai-mat-khau/" not in sent["nobody@example.vn"]


def test_expired_or_tampered_reset_link_is_refused(client, app, app_ctx, monkeypatch):
    make_user("lan@example.vn")
    client.post("/quen-mat-khau", data={"identifier": "lan@example.vn"})
    path = _reset_link("lan@example.vn").removeprefix("http://shop.test")
    assert client.get(path + "x").status_code == 400
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE", -1)
    response = client.post(path, data={"password": "mat-khau-moi", "confirm": "mat-khau-moi"})
    assert response.status_code == 400


def test_login_is_rate_limited_with_a_clear_429_page(client, app_ctx):
    make_user("lan@example.vn")
    answers = [_login(client, "lan@example.vn", "sai-mat-khau").status_code for _ in range(11)]
    assert answers[:10] == [400] * 10
    assert answers[10] == 429
    page = client.post("/login", data={"identifier": "x", "password": "y"})
    assert page.status_code == 429
    assert "site-header" in page.text
    assert client.get("/login").status_code == 200  # reading the form is not limited


def test_reset_requests_are_rate_limited(client, app_ctx):
    answers = [
        client.post("/quen-mat-khau", data={"identifier": "a@b.vn"}).status_code for _ in range(6)
    ]
    assert answers[-1] == 429
