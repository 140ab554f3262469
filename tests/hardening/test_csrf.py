"""Every route that changes something refuses a request without this site's CSRF token: a missing
or forged token gets the shop's own 400 page, and nothing in the database changes.

Each route is posted by a visitor the role table (tests/accounts/test_role_matrix.py) lets use it,
so the refusal comes from the token and not from the access check; the same request with a valid
token is then not refused for its token, which shows the route and visitor were the right ones.
"""

from __future__ import annotations

import secrets

import pytest
from flask import g
from itsdangerous import URLSafeTimedSerializer

from storefront.extensions import csrf
from tests.accounts.test_role_matrix import ACTORS, LOGIN, TABLE
from tests.factories import session_user_id
from tests.hardening.snapshot import database_checksum

CHANGING_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# The only routes that take a POST without a token, each with what authenticates it instead.
EXEMPT = {
    "payments.stripe_webhook": "Stripe calls it, not a browser; its Stripe-Signature header is "
    "checked against STRIPE_WEBHOOK_SECRET (tests/payments/test_stripe.py)",
}
CSRF_TITLE = "Không thể nhận biểu mẫu này"  # "The form could not be accepted", in Vietnamese


def changing_endpoints(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if rule.methods & CHANGING_METHODS}


def allowed_actor(expected: dict) -> str:
    """The first visitor the role table lets through (not refused, not sent to sign in)."""
    for actor in ACTORS:
        status = expected.get(actor, expected["*"])
        if status not in (403, 404) and not (actor == "anonymous" and status == LOGIN):
            return actor
    return "anonymous"  # a route nobody may use (the media of a missing picture)


def sign_in(client, user_id) -> None:
    g.pop("_login_user", None)  # the test's app context outlives requests
    with client.session_transaction() as session:
        session.clear()
        if user_id is not None:
            session["_user_id"] = session_user_id(user_id)
            session["_fresh"] = True


def valid_token(client, app) -> str:
    """A token as the shop's pages embed it: signed, bound to this client's session."""
    raw = secrets.token_hex(20)
    with client.session_transaction() as session:
        session["csrf_token"] = raw
    return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)


@pytest.fixture()
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def test_every_changing_route_is_in_the_role_table_and_only_listed_ones_are_exempt(app):
    endpoints = changing_endpoints(app)
    assert endpoints - set(TABLE) == set(), "add the new route to the role table"
    exempt = {
        endpoint
        for endpoint in endpoints
        if f"{app.view_functions[endpoint].__module__}.{app.view_functions[endpoint].__name__}"
        in csrf._exempt_views
    }
    assert exempt == set(EXEMPT), "a route skips the CSRF check: list it in EXEMPT with why"
    assert not csrf._exempt_blueprints


def checked_routes() -> list[str]:
    """Every route that changes something but the exempt ones (also read by the fuzz tests)."""
    from storefront import create_app
    from tests.conftest import _test_config

    # The url map does not need a database; the routes are known before the app fixture runs.
    config = _test_config()
    config.SQLALCHEMY_DATABASE_URI = "sqlite://"
    return sorted(changing_endpoints(create_app(config)) - set(EXEMPT))


@pytest.mark.parametrize("endpoint", checked_routes())
def test_route_refuses_a_missing_or_forged_token_and_changes_nothing(
    client,
    app,
    world,
    csrf_on,
    endpoint,  # noqa: F811
):
    user_ids, values = world
    _method, template, data, expected = TABLE[endpoint]
    path = template.format(**values)
    form = {k: str(v).format(**values) for k, v in (data or {}).items()}
    actor = allowed_actor(expected)
    method = next(m for m in ("POST", "PUT", "PATCH", "DELETE") if _rule_allows(app, endpoint, m))
    before = database_checksum()
    forged = {**form, "csrf_token": "forged-" + secrets.token_hex(20)}
    for sent, headers in ((form, {}), (forged, {"X-CSRFToken": forged["csrf_token"]})):
        sign_in(client, user_ids.get(actor))
        response = client.open(path, method=method, data=sent, headers=headers)
        assert response.status_code == 400, (actor, response.status_code)
        assert CSRF_TITLE in response.text and "site-header" in response.text
        assert "Traceback" not in response.text
        assert database_checksum() == before
    # The same request with a valid token is not refused for its token.
    sign_in(client, user_ids.get(actor))
    token = valid_token(client, app)
    response = client.open(path, method=method, data={**form, "csrf_token": token})
    assert CSRF_TITLE not in response.text


def _rule_allows(app, endpoint, method) -> bool:
    return any(method in rule.methods for rule in app.url_map.iter_rules(endpoint))


def test_the_csrf_page_speaks_english_too(client, app, csrf_on):
    client.get("/lang/en")
    response = client.post("/login", data={"identifier": "x", "password": "y"})
    assert response.status_code == 400
    assert "The form could not be accepted" in response.text
    assert "reload the page" in response.text


def test_the_counter_api_refuses_a_forged_token_in_json(client, app, csrf_on):
    headers = {"X-CSRFToken": "forged", "Accept": "application/json"}
    response = client.post("/pos/api/sales", json={"lines": []}, headers=headers)
    assert response.status_code == 400
    assert response.json["error"] == CSRF_TITLE and "chưa có gì thay đổi" in response.json["reason"]
