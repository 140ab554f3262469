"""Every route that changes something refuses a request without this site's CSRF token: a missing
or forged token gets the shop's own 400 page, and nothing in the database changes.

Each route is posted by a visitor the role table (tests/role_table.py) lets use it,
so the refusal comes from the token and not from the access check; the same request with a valid
token is then not refused for its token, which shows the route and visitor were the right ones.
"""

from __future__ import annotations

import secrets

import pytest

from storefront.extensions import csrf
from tests.hardening.csrf import (
    CSRF_TITLE,
    EXEMPT,
    changing_endpoints,
    checked_routes,
    valid_token,
)
from tests.hardening.snapshot import database_checksum
from tests.role_table import TABLE, allowed_actor, sign_in


@pytest.fixture
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
    sign_in(client, user_ids.get(actor))  # the sign-in is made before the checksum
    before = database_checksum()
    forged = {**form, "csrf_token": "forged-" + secrets.token_hex(20)}
    for sent, headers in ((form, {}), (forged, {"X-CSRFToken": forged["csrf_token"]})):
        sign_in(client, user_ids.get(actor))
        response = client.open(path, method=method, data=sent, headers=headers)
        assert response.status_code == 400, (actor, response.status_code)
        assert CSRF_TITLE in response.text
        assert "site-header" in response.text
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
    assert response.json["error"] == CSRF_TITLE
    assert "chưa có gì thay đổi" in response.json["reason"]
