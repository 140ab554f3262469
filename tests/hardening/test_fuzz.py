"""Garbage in every form and every query string, as an attacker or a broken phone would send it:
the shop never answers 500, never shows a stack trace, and a request it refuses changes nothing.

Each POST route is sent by a visitor the role table lets use it, with a valid CSRF token, and with
hypothesis-made values for the fields its pages' forms have (read from the rendered GET pages)
plus the role table's fields and a few unknown ones. GET pages get garbage query parameters.
Bounded and reproducible: few examples per route, derandomized, no example database.
"""

from __future__ import annotations

import io
import os
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storefront.cart.models import CartItem
from storefront.catalog.models import Product
from storefront.extensions import db
from tests.accounts.test_role_matrix import TABLE
from tests.factories import UNSELLABLE_KINDS, make_unsellable_product
from tests.hardening.snapshot import database_checksum
from tests.hardening.test_csrf import (
    CSRF_TITLE,
    allowed_actor,
    checked_routes,
    sign_in,
    valid_token,
)
from tests.hardening.test_redirects import assert_stays_on_site

# HARDENING_EXAMPLES=200 digs deeper by hand; the suite keeps to a few per route.
FUZZ = settings(
    max_examples=int(os.environ.get("HARDENING_EXAMPLES", 8)),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
LEAKS = ("Traceback", 'File "/', "sqlalchemy.", "psycopg", "sqlite3.", "werkzeug.exceptions")
HUGE = "9" * 5000  # past the 4,300 digits Python's int() reads
# Numbers no field means, each tried in every field of every form and query string below.
NUMBERS = (HUGE, "1" + "0" * 19, "١٢", "１２", "-1")
EXTRA_FIELDS = ("extra", "csrf_token2", "__proto__", "quantity[]", "id", "next")

NASTY = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "-0",
        "1.5",
        "1e309",
        "NaN",
        "99999999999999999999999999",
        "2147483648",
        "-9223372036854775809",
        "\x00",
        "²",  # a digit to str.isdigit(), not to int()
        "١٢",  # Arabic-Indic 12
        "１２",  # fullwidth 12
        "+1",
        "1_000",  # int() reads it
        HUGE,
        "-" + HUGE,
        "a\x00b",
        "💥🇻🇳",
        "Sâm dây Ngọc Linh",
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "../../etc/passwd",
        "x" * 20_000,
        "2026-02-30",
        "9999-12-31",
        "on",
        "approve",
        "cash",
        # where a `next` may point (tests/hardening/test_redirects.py has the full table)
        "//evil.example/phish",
        "/\t/evil.example/phish",
        "/\n/x",
        "/\r\nSet-Cookie: a=b",
        "/\\evil.example",
        "/%09/evil.example",
        "https://evil.example",
        "javascript:alert(1)",
    ]
)
VALUES = st.one_of(
    NASTY,
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)


# --- what the pages' forms ask for ----------------------------------------------------------


class _Forms(HTMLParser):
    """Field names and file fields of the forms on a page, by the path they post to."""

    def __init__(self, page_path: str):
        super().__init__()
        self.page_path = page_path
        self.fields: dict[str, set[str]] = {}
        self.files: dict[str, set[str]] = {}
        self._action: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._action = urlsplit(attrs.get("action") or self.page_path).path
            self.fields.setdefault(self._action, set())
        elif (
            tag in ("input", "select", "textarea", "button") and self._action and attrs.get("name")
        ):
            kind = "file" if attrs.get("type") == "file" else "fields"
            target = self.files if kind == "file" else self.fields
            target.setdefault(self._action, set()).add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._action = None


_FORMS: dict[str, tuple[set[str], set[str]]] = {}  # endpoint → (fields, file fields)


def forms_by_endpoint(app, client, user_ids, values) -> dict[str, tuple[set[str], set[str]]]:
    """The fields of every form on every GET page of the role table, each page read by a visitor
    allowed there, by the endpoint the form posts to. Read once per test session."""
    if _FORMS:
        return _FORMS
    urls = app.url_map.bind("shop.test")
    for method, template, _data, expected in TABLE.values():
        if method != "GET" or template.startswith("/static"):
            continue
        path = template.format(**values)
        sign_in(client, user_ids.get(allowed_actor(expected)))
        response = client.get(path)
        if "html" not in response.content_type:
            continue
        parser = _Forms(urlsplit(path).path)
        parser.feed(response.text)
        for action in parser.fields.keys() | parser.files.keys():
            try:
                endpoint, _args = urls.match(action, method="POST")
            except Exception:  # a GET form (search, filters): not posted
                continue
            fields, files = _FORMS.setdefault(endpoint, (set(), set()))
            fields.update(parser.fields.get(action, ()))
            files.update(parser.files.get(action, ()))
    return _FORMS


# --- the checks -------------------------------------------------------------------------------


def assert_no_leak(response, what):
    assert response.status_code < 500, f"{what} answered {response.status_code}"
    if response.status_code in (301, 302, 303, 307, 308):
        assert_stays_on_site(response, what)
    readable = response.mimetype.startswith("text/") or response.mimetype == "application/json"
    body = response.get_data(as_text=True) if readable else ""
    for leak in LEAKS:
        assert leak not in body, f"{what} shows {leak!r}"


def refused(client, response) -> bool:
    """A 4xx, a form shown again with errors, or a redirect with an error message."""
    if response.status_code >= 400:
        return True
    text = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
    if response.status_code == 200 and ('aria-invalid="true"' in text or "has-error" in text):
        return True
    with client.session_transaction() as session:
        return any(category == "error" for category, _message in session.get("_flashes", []))


@pytest.mark.parametrize("endpoint", checked_routes())
def test_garbage_in_a_form_is_refused_cleanly(client, app, world, endpoint):
    user_ids, values = world
    fields, files = forms_by_endpoint(app, client, user_ids, values).get(endpoint, (set(), set()))
    _method, template, data, expected = TABLE[endpoint]
    path = template.format(**values)
    names = sorted((set(data or {}) | fields | set(EXTRA_FIELDS)) - {"csrf_token"} - files)
    file_names = sorted(files)
    actor = allowed_actor(expected)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        _fuzz_post(client, app, user_ids.get(actor), path, names, file_names)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def _fuzz_post(client, app, user_id, path, names, file_names):
    files = st.fixed_dictionaries({n: st.binary(max_size=300) for n in file_names})
    answers = []

    @FUZZ
    @given(form=st.dictionaries(st.sampled_from(names), VALUES, max_size=len(names)), blobs=files)
    def post(form, blobs):
        sign_in(client, user_id)
        sent = {**form, "csrf_token": valid_token(client, app)}
        sent.update({n: (io.BytesIO(b), "x.csv") for n, b in blobs.items()})
        before = database_checksum()
        response = client.post(path, data=sent, content_type="multipart/form-data")
        assert_no_leak(response, f"POST {path} {form!r}"[:500])
        answers.append((response.status_code, CSRF_TITLE in response.get_data(as_text=True)))
        if refused(client, response):
            assert database_checksum() == before, f"refused POST {path} changed the database"

    post()
    # The token was accepted: the garbage reached the route itself.
    assert any(not csrf_refused for _status, csrf_refused in answers)


@pytest.mark.parametrize("endpoint", checked_routes())
def test_meaningless_numbers_in_every_field_are_refused_cleanly(client, app, world, endpoint):
    """Each field in turn gets each of NUMBERS, the others the role table's sensible values."""
    user_ids, values = world
    fields, files = forms_by_endpoint(app, client, user_ids, values).get(endpoint, (set(), set()))
    _method, template, data, expected = TABLE[endpoint]
    path = template.format(**values)
    sensible = {k: str(v).format(**values) for k, v in (data or {}).items()}
    user_id = user_ids.get(allowed_actor(expected))
    for name in sorted((set(sensible) | fields) - {"csrf_token"} - files):
        for number in NUMBERS:
            sign_in(client, user_id)
            before = database_checksum()
            response = client.post(path, data={**sensible, name: number})
            assert_no_leak(response, f"POST {path} {name}={number[:20]}")
            if refused(client, response):
                assert database_checksum() == before, f"refused POST {path} changed the database"


# --- query strings ---------------------------------------------------------------------------

QUERY_NAMES = (
    "q", "page", "sort", "stars", "group", "region", "showroom", "size", "day", "from", "to",
    "status", "role", "review", "layout", "period", "producer", "product", "kind", "k", "next",
    "lang",
)  # fmt: skip


def _get_routes():
    return sorted(
        e for e, row in TABLE.items() if row[0] == "GET" and not row[1].startswith("/static")
    )


@pytest.mark.parametrize("endpoint", _get_routes())
def test_garbage_in_a_query_string_never_breaks_a_page(client, world, endpoint):
    user_ids, values = world
    _method, template, _data, expected = TABLE[endpoint]
    url = urlsplit(template.format(**values))
    known = [name for name, _value in parse_qsl(url.query)]
    names = sorted(set(known) | set(QUERY_NAMES))
    user_id = user_ids.get(allowed_actor(expected))

    @FUZZ
    @given(query=st.dictionaries(st.sampled_from(names), VALUES, max_size=4))
    def get(query):
        sign_in(client, user_id)
        response = client.get(url.path, query_string=query)
        assert_no_leak(response, f"GET {url.path} {query!r}"[:500])

    get()
    for number in NUMBERS:
        sign_in(client, user_id)
        response = client.get(url.path, query_string=dict.fromkeys(names, number))
        assert_no_leak(response, f"GET {url.path} {number[:20]} in every parameter")


# --- what the fuzzing found (kept as plain examples) -----------------------------------------


@pytest.mark.parametrize(
    ("actor", "path"),
    [
        ("office", "/office/users/2147483648"),  # past PostgreSQL's integer
        ("office", "/office/users/99999999999999999999"),  # past SQLite's too
        ("producer_a", "/producer/ledger?product=99999999999999999999"),
        ("anonymous", "/san-pham?page=²"),  # "²".isdigit(), but int("²") fails
        ("anonymous", "/qr/XYZ.png?size=²"),
    ],
)
def test_numbers_no_database_can_hold_are_bad_input_not_errors(client, world, actor, path):
    user_ids, _values = world
    sign_in(client, user_ids.get(actor))
    response = client.get(path)
    assert response.status_code in (200, 400, 404)


@pytest.mark.parametrize(
    ("actor", "path", "form"),
    [
        ("producer_a", "/producer/stock/receive", {"product": "99999999999999999999"}),
        ("producer_a", "/producer/stock", {"count-99999999999999999999": "1"}),
        ("anonymous", "/gio-hang/cap-nhat", {"qty-1": "²", "remove": "99999999999999999999"}),
    ],
)
def test_posted_ids_no_database_can_hold_change_nothing(client, world, actor, path, form):
    user_ids, _values = world
    sign_in(client, user_ids.get(actor))
    before = database_checksum()
    response = client.post(path, data=form)
    assert response.status_code in (302, 400, 404)
    assert database_checksum() == before


@pytest.mark.parametrize("actor", ["anonymous", "customer"])
def test_every_product_id_in_turn_puts_only_sellable_products_in_a_cart(client, world, actor):
    """The attack that found it: ``qty-<id>=1`` for every id in turn, and past the last one."""
    user_ids, _values = world
    sold = set(db.session.scalars(db.select(Product.id)))  # the world's two listed products
    for kind in UNSELLABLE_KINDS:
        make_unsellable_product(kind)
    last = db.session.scalar(db.select(db.func.max(Product.id)))
    sign_in(client, user_ids.get(actor))
    for product_id in range(1, last + 4):
        response = client.post("/gio-hang/cap-nhat", data={f"qty-{product_id}": "1"})
        assert response.status_code in (302, 400)
    if actor == "anonymous":
        with client.session_transaction() as session:
            held = {int(k) for k in session.get("cart", {})}
    else:
        held = set(db.session.scalars(db.select(CartItem.product_id)))
    assert held == sold
    page = client.get("/gio-hang").text
    assert "Trà " not in page  # no unsellable product's name is shown
