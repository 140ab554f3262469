"""Sessions end when they should (issue 13, findings 1 and 2): a password change keeps this device
signed in and ends every other session; a reset, a deactivation and "sign out on every device"
end them all, remember-me cookies included; signing in starts a fresh session.

These tests keep no app context open across requests: each request has its own, as in production
(an open one would cache the user and the language between requests and hide the bugs)."""

from __future__ import annotations

import pytest

from storefront.accounts import services
from storefront.accounts.models import User
from storefront.extensions import db
from storefront.office import users as office_users
from tests.factories import make_product, make_user

PASSWORD = "correct horse battery"
NEW_PASSWORD = "mat-khau-moi-dai"


def _login(client, identifier="lan@example.vn", password=PASSWORD, remember=False):
    data = {"identifier": identifier, "password": password}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data)


def _change_password(client, current=PASSWORD, new=NEW_PASSWORD):
    return client.post("/tai-khoan", data={"current": current, "password": new, "confirm": new})


def _copy(app, client, names):
    """Another browser holding copies of ``client``'s cookies (as a thief would)."""
    other = app.test_client()
    for name in names:
        cookie = client.get_cookie(name)
        assert cookie is not None, name
        other.set_cookie(name, cookie.value)
    return other


def _signed_in(client) -> bool:
    return client.get("/tai-khoan").status_code == 200


@pytest.fixture
def lan(app):
    with app.app_context():
        return make_user("lan@example.vn").id


def test_a_customer_who_never_chose_a_language_changes_the_password(app, client, lan):
    _login(client)
    assert client.get_cookie("lang") is None
    changed = _change_password(client)
    assert changed.status_code == 302
    page = client.get(changed.location)
    assert page.status_code == 200
    assert "Mật khẩu đã được đổi." in page.text
    client.post("/logout")
    assert _login(client).status_code == 400  # the old password no longer opens it
    assert _login(client, password=NEW_PASSWORD).status_code == 302


def _by_password_change(app, client, user_id):
    assert _change_password(client).status_code == 302


def _by_password_reset(app, client, user_id):
    with app.app_context():
        link = services.password_link(db.session.get(User, user_id))
    path = link.removeprefix(app.config["BASE_URL"])
    done = app.test_client().post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302


def _by_signing_out_everywhere(app, client, user_id):
    signed_out = client.post("/tai-khoan/dang-xuat-moi-noi")
    assert signed_out.status_code == 302
    assert signed_out.location.endswith("/login")


def _by_signing_out(app, client, user_id):
    signed_out = client.post("/logout")
    assert signed_out.status_code == 302


def _by_deactivation(app, client, user_id):
    with app.app_context():
        office = make_user("office@example.vn", "office")
        office_users.set_active(office, user_id, False)
        db.session.commit()


ENDINGS = {
    "password change": _by_password_change,
    "password reset": _by_password_reset,
    "sign out on every device": _by_signing_out_everywhere,
    "sign out on this device": _by_signing_out,
    "deactivation": _by_deactivation,
}


@pytest.mark.parametrize("how", sorted(ENDINGS))
def test_copied_session_and_remember_cookies_stop_working(app, client, lan, how):
    _login(client, remember=True)
    copied_session = _copy(app, client, ["session"])
    copied_both = _copy(app, client, ["session", "remember_token"])
    copied_remember = _copy(app, client, ["remember_token"])
    for copy in (copied_session, copied_both, copied_remember):
        assert _signed_in(copy)  # the copies work until the sessions are ended
    ENDINGS[how](app, client, lan)
    for copy in (copied_session, copied_both, copied_remember):
        assert not _signed_in(copy)
    # Only the device that changed its password goes on, its remember-me cookie renewed.
    stays = how == "password change"
    assert _signed_in(client) is stays
    if stays:
        assert _signed_in(_copy(app, client, ["remember_token"]))


def test_a_password_change_without_remember_me_sets_no_remember_cookie(app, client, lan):
    _login(client)
    _change_password(client)
    assert _signed_in(client)
    assert client.get_cookie("remember_token") is None


def test_reactivating_an_account_does_not_bring_old_sessions_back(app, client, lan):
    _login(client, remember=True)
    copied = _copy(app, client, ["session", "remember_token"])
    _by_deactivation(app, client, lan)
    with app.app_context():
        office = db.session.scalar(db.select(User).filter_by(email="office@example.vn"))
        office_users.set_active(office, lan, True)
        db.session.commit()
    assert not _signed_in(copied)
    assert _login(client).status_code == 302  # a new sign-in works


def test_signing_in_starts_a_fresh_session_that_keeps_the_cart(app, client, lan):
    with app.app_context():
        code = make_product("Sâm dây Ngọc Linh", stock=3).code
    client.post("/gio-hang/them", data={"code": code, "quantity": "1"})
    with client.session_transaction() as session:
        session["planted"] = "by someone who set this browser's cookie"
    before = client.get_cookie("session").value
    assert _login(client).status_code == 302
    assert client.get_cookie("session").value != before
    with client.session_transaction() as session:
        assert "planted" not in session
    assert "Sâm dây Ngọc Linh" in client.get("/gio-hang").text  # the cart came along


@pytest.mark.parametrize(
    "session_id",
    ["{id}", "{id}:", "{id}:{older}", "{id}:{newer}", "{id}:-{v}", "{id}:x", "x:{v}", "{id}:{v}:0"]
    + ["9" * 20 + ":{v}", "{id}:" + "9" * 20, "", "{id}:{v}\n", "{id}:{v}", "{id}:{v}:"]
    + ["{id}:{older}:{t}", "{id}:{newer}:{t}", "{id}:{v}:{t}x", "{id}:{v}:{ended}"],
)
def test_a_session_id_of_another_form_or_version_opens_nothing(app, lan, session_id):
    with app.app_context():
        user = db.session.get(User, lan)
        v = user.session_version
        services.open_sign_in(user)
        ended = user.sign_in_token
        services.end_sign_in(user)  # signed out on that device
        services.open_sign_in(user)
        db.session.commit()
        assert services.user_for_session(user.get_id()) is user
        forged = session_id.format(
            id=lan, v=v, older=v - 1, newer=v + 1, t=user.sign_in_token, ended=ended
        )
        assert services.user_for_session(forged) is None
