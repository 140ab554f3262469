"""No redirect leaves the shop (issue 13, finding 3): every route that takes a `next` sends the
visitor to a path on this site whatever `next` holds, and never answers 500.

Payloads are written as they travel, %-encoded in the query string or form body; a browser reads
the Location a route answers after dropping tabs and newlines and turning "\\" into "/"."""

from __future__ import annotations

import html
import re
from urllib.parse import quote, urlsplit

import pytest

from storefront.accounts import services
from storefront.accounts.models import User
from storefront.extensions import db
from tests.factories import make_product, make_user

OFF_SITE = [
    "//evil.example/phish",
    "/%09/evil.example/phish",  # the one reported: "//evil.example/phish" once the tab is dropped
    "/%0A/x",  # answered 500 (a newline in a header)
    "/%0D/x",
    "/%0D%0ASet-Cookie:%20a=b",
    "%09//evil.example",
    "/%09%09/evil.example",
    "//%09evil.example",
    "/%00/evil.example",
    "/%7F/evil.example",
    "/%E2%80%A8/evil.example",  # a line separator
    "/%C2%A0/evil.example",  # a no-break space
    "/%5Cevil.example",  # "/\evil.example": "\" is "/" to a browser
    "/%5C/evil.example",
    "%5C%5Cevil.example",
    "/%2F/evil.example",
    "%2F%2Fevil.example",
    "///evil.example",
    "////evil.example",
    "/%2509/evil.example",  # encoded twice
    "/%252F%252Fevil.example",
    "/%25250A/x",  # encoded three times
    "https://evil.example",
    "https:evil.example",
    "http:/evil.example",
    "HTTPS://evil.example",
    "http%3A%2F%2Fevil.example",
    "javascript:alert(1)",
    "JaVaScRiPt%3Aalert(1)",
    "data:text/html,%3Cscript%3Ealert(1)%3C/script%3E",
    "evil.example",
    "@evil.example",
    "%20//evil.example",
    "",
    "%FF",
    "/" + "a" * 3000,
]
# Paths on the site are kept as they are (sent %-encoded, as the pages' links send them).
LOCAL = ["/san-pham?q=sam&page=2", "/gio-hang", "/@shop", "/.//x", "/tai-khoan#orders"]


def assert_stays_on_site(response, what: str):
    assert response.status_code in (301, 302, 303), f"{what} answered {response.status_code}"
    location = response.headers["Location"]
    parts = urlsplit(location)
    assert location.startswith("/"), (what, location)
    assert not location.startswith("//"), (what, location)
    assert not parts.scheme, (what, location)
    assert not parts.netloc, (what, location)
    assert "\\" not in location, (what, location)
    assert all(" " <= char != "\x7f" for char in location), (what, location)


@pytest.fixture
def shop(app):
    with app.app_context():
        user = make_user("lan@example.vn")
        return {
            "code": make_product("Sâm dây Ngọc Linh", stock=50).code,
            "user_id": user.id,
        }


def _reset_path(app, user_id) -> str:
    with app.app_context():
        link = services.password_link(db.session.get(User, user_id))
    return link.removeprefix(app.config["BASE_URL"])


def _every_route_with_next(app, client, shop, raw_next: str) -> dict:
    """Each route that takes `next`, sent ``raw_next`` as a browser would, by name."""
    form = "application/x-www-form-urlencoded"
    query = f"next={raw_next}"
    login = f"identifier=lan%40example.vn&password={quote('correct horse battery')}"
    answers = {
        "GET /lang/en": client.get(f"/lang/en?{query}"),
        "POST /gio-hang/them": client.post(
            "/gio-hang/them", data=f"code={shop['code']}&quantity=1&{query}", content_type=form
        ),
        "POST /login": client.post(f"/login?{query}", data=login, content_type=form),
        "GET /login signed in": client.get(f"/login?{query}"),
    }
    client.post("/logout")
    # Sign-up answers a page (the same whether the address was new or taken) whose sign-in link
    # carries `next`; signing in there is where it is followed.
    signed_up = client.post(
        f"/dang-ky?{query}",
        data="identifier=new%40example.vn&password=mat-khau-dai&confirm=mat-khau-dai",
        content_type=form,
    )
    sign_in_link = html.unescape(
        re.search(r'class="button" href="(/login[^"]*)"', signed_up.text).group(1)
    )
    answers["POST /dang-ky, then its sign-in link"] = client.post(
        sign_in_link,
        data=f"identifier=new%40example.vn&password={quote('mat-khau-dai')}",
        content_type=form,
    )
    client.post("/logout")
    answers["POST /dat-lai-mat-khau"] = client.post(
        f"{_reset_path(app, shop['user_id'])}?{query}",
        data="password=mat-khau-moi&confirm=mat-khau-moi",
        content_type=form,
    )
    return answers


@pytest.mark.parametrize("payload", OFF_SITE)
def test_no_next_leaves_this_site(app, client, shop, payload):
    for route, response in _every_route_with_next(app, client, shop, payload).items():
        assert_stays_on_site(response, f"{route} next={payload}")


@pytest.mark.parametrize("path", LOCAL)
def test_a_next_on_this_site_is_followed(app, client, shop, path):
    for route, response in _every_route_with_next(app, client, shop, quote(path, safe="")).items():
        assert_stays_on_site(response, route)
        assert response.headers["Location"] == path, route


def test_the_table_has_at_least_30_attacks_on_each_route():
    assert len(OFF_SITE) >= 30
