"""The app as seen from the open internet: it will not start in production with an unsafe setting,
and every answer — pages, error pages, the JSON API — carries the security headers."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from flask import abort, request

import config
from storefront import create_app
from storefront.extensions import db
from storefront.security import UnsafeProductionSettings
from tests.factories import make_product, make_user

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "9f2c4e7a1b8d3f6e0a5c2b9d8e7f1a3c"  # 32 random hex characters
PUBLIC_ORIGIN = "https://ocop.example.vn"


@pytest.fixture
def production(monkeypatch):
    """A production environment with every setting right; each test breaks one."""
    for name in ("FLASK_DEBUG", "SECRET_KEY", "PROXY_FIX", "BASE_URL", "TRUSTED_HOSTS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STOREFRONT_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", GOOD_KEY)
    monkeypatch.setenv("BASE_URL", PUBLIC_ORIGIN)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    return monkeypatch


def test_production_starts_with_a_real_secret_key_and_debug_off(production):
    app = create_app(config.Config())
    assert app.config["STOREFRONT_ENV"] == "production"
    assert not app.debug


@pytest.mark.parametrize(
    "base_url",
    ["", "http://ocop.example.vn", "ocop.example.vn", "https://", "ftp://ocop.example.vn"],
)
def test_production_refuses_to_start_without_an_https_base_url(production, base_url):
    production.setenv("BASE_URL", base_url)
    with pytest.raises(UnsafeProductionSettings, match="Set BASE_URL"):
        create_app(config.Config())


def test_production_on_this_machine_only_may_use_plain_http(production):
    # `make scaleout` runs the production set-up on loopback ports, where nobody else reaches it.
    production.setenv("BASE_URL", "http://127.0.0.1:8123")
    assert create_app(config.Config()).config["BASE_URL"] == "http://127.0.0.1:8123"


def test_production_refuses_the_key_generated_into_instance(production):
    production.delenv("SECRET_KEY")
    with pytest.raises(UnsafeProductionSettings, match="Set SECRET_KEY in the environment"):
        create_app(config.Config())


@pytest.mark.parametrize(
    "key",
    [
        "short-but-random-9f2c",
        "change-me",
        "secret",
        "dev",
        "CHANGE_ME_CHANGE_ME_CHANGE_ME_1234",
        "your-secret-key-goes-here-please-xx",
        "x" * 40,
    ],
)
def test_production_refuses_a_short_or_placeholder_key(production, key):
    production.setenv("SECRET_KEY", key)
    with pytest.raises(UnsafeProductionSettings, match="SECRET_KEY"):
        create_app(config.Config())


@pytest.mark.parametrize("how", ["FLASK_DEBUG", "DEBUG"])
def test_production_refuses_debug_mode(production, how):
    settings = config.Config()
    if how == "FLASK_DEBUG":
        production.setenv("FLASK_DEBUG", "1")
    else:
        settings.DEBUG = True
    with pytest.raises(UnsafeProductionSettings, match="Debug mode is on"):
        create_app(settings)


def test_development_starts_with_the_generated_key_and_debug(production):
    production.setenv("STOREFRONT_ENV", "development")
    production.delenv("SECRET_KEY")
    production.setenv("FLASK_DEBUG", "1")
    assert create_app(config.Config()).config["SECRET_KEY"]


def test_passwords_are_hashed_with_scrypt_outside_the_tests(app_ctx, monkeypatch):
    """The suite's config hashes cheaply (TestingConfig); the shop's own config uses scrypt, and a
    hash made either way is checked by the method it names."""
    shop_method = config.Config().PASSWORD_HASH_METHOD
    assert shop_method == "scrypt"
    cheap = make_user("re@example.vn", password="mat-khau-dai")
    monkeypatch.setitem(app_ctx.config, "PASSWORD_HASH_METHOD", shop_method)
    strong = make_user("manh@example.vn", password="mat-khau-dai")
    assert strong.password_hash.startswith("scrypt:")
    assert strong.check_password("mat-khau-dai")
    assert cheap.password_hash.startswith("pbkdf2:sha256:1$")
    assert cheap.check_password("mat-khau-dai")
    assert not cheap.check_password("mat-khau-sai")


def test_production_cookies_are_secure_when_the_shop_is_on_https(production):
    app = create_app(config.Config())
    assert app.config["SESSION_COOKIE_SECURE"]
    assert app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["PREFERRED_URL_SCHEME"] == "https"


def test_the_wsgi_entry_point_really_fails_with_a_readable_message(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "FLASK_DEBUG", "BASE_URL")
    }
    env.update(STOREFRONT_ENV="production", DATABASE_URL="sqlite://", INSTANCE_PATH=str(tmp_path))
    started = subprocess.run(
        [sys.executable, "-c", "from wsgi import app"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.returncode != 0
    assert "will not start in production" in started.stderr
    assert "Set SECRET_KEY in the environment" in started.stderr
    assert "Set BASE_URL" in started.stderr


# --- headers -------------------------------------------------------------------------------


def _assert_security_headers(response, *, https: bool):
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "script-src 'self';" in csp  # no 'wasm-unsafe-eval' off the counter
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    if https:
        assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    else:
        assert "Strict-Transport-Security" not in headers


@pytest.fixture
def product_code(app_ctx):
    return make_product("Sâm dây Ngọc Linh", stock=3).code


def _representative_answers(client, app, code, base_url):
    """Pages, a JSON answer and every kind of error page, as (name, response)."""
    answers = [
        ("home", client.get("/", base_url=base_url)),
        ("product", client.get(f"/san-pham/{code}", base_url=base_url)),
        ("qr page", client.get(f"/q/{code}", base_url=base_url)),
        ("api list", client.get("/api/v1/products", base_url=base_url)),
        ("api 404", client.get("/api/v1/products/NOSUCH", base_url=base_url)),
        ("404 page", client.get("/khong-co-trang-nay", base_url=base_url)),
    ]
    app.config["MAX_CONTENT_LENGTH"] = 1000
    try:
        answers.append(
            ("413 form", client.post("/login", data={"identifier": "x" * 5000}, base_url=base_url))
        )
        # The API is read-only: a body sent to it is refused without being read.
        answers.append(
            ("405 api", client.post("/api/v1/products", data="x" * 5000, base_url=base_url))
        )
    finally:
        app.config["MAX_CONTENT_LENGTH"] = config.Config().MAX_CONTENT_LENGTH
    app.config["API_RATE_LIMIT"] = "1 per minute"
    try:
        client.get("/api/v1/regions", base_url=base_url)
        answers.append(("429 api", client.get("/api/v1/regions", base_url=base_url)))
    finally:
        app.config["API_RATE_LIMIT"] = "120 per minute"
    for _ in range(10):
        client.post("/login", data={"identifier": "x", "password": "y"}, base_url=base_url)
    answers.append(
        (
            "429 page",
            client.post("/login", data={"identifier": "x", "password": "y"}, base_url=base_url),
        )
    )
    return answers


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_every_kind_of_answer_carries_the_security_headers(client, app, product_code, scheme):
    answers = _representative_answers(client, app, product_code, f"{scheme}://shop.test")
    statuses = {name: response.status_code for name, response in answers}
    assert statuses == {
        "home": 200,
        "product": 200,
        "qr page": 200,
        "api list": 200,
        "api 404": 404,
        "404 page": 404,
        "413 form": 413,
        "405 api": 405,
        "429 api": 429,
        "429 page": 429,
    }
    for _name, response in answers:
        _assert_security_headers(response, https=scheme == "https")
    form_413 = dict(answers)["413 form"]
    assert "site-header" in form_413.text  # the shop's styled page, not werkzeug's
    assert dict(answers)["405 api"].json["status"] == 405


def test_a_proxy_is_trusted_for_https_only_when_configured(production):
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    plain = "http://ocop.example.vn"  # nginx speaks plain http to the app
    untrusted = create_app(config.Config()).test_client()
    # A client may send X-Forwarded-Proto itself: without PROXY_FIX it is not believed.
    refused = untrusted.get("/nope", headers=forwarded, base_url=plain)
    assert "Strict-Transport-Security" not in refused.headers
    production.setenv("PROXY_FIX", "1")
    behind_nginx = create_app(config.Config())
    seen = {}

    @behind_nginx.get("/_who")
    def who():
        from flask import request

        seen.update(secure=request.is_secure, remote=request.remote_addr)
        return "ok"

    response = behind_nginx.test_client().get("/_who", headers=forwarded, base_url=plain)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert seen == {"secure": True, "remote": "203.0.113.9"}


def test_an_upload_over_the_body_limit_is_refused_before_it_is_read(client, app):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    try:
        response = client.post(
            "/login",
            data={"identifier": (io.BytesIO(b"x" * 5000), "big.bin")},
            content_type="multipart/form-data",
        )
    finally:
        app.config["MAX_CONTENT_LENGTH"] = config.Config().MAX_CONTENT_LENGTH
    assert response.status_code == 413
    assert "site-header" in response.text


@pytest.fixture
def faulty_app(app):
    """The shop with test-only routes that fail in each way an error can arise (routes cannot be
    added to the session's app once it has served)."""
    settings = config.TestingConfig()
    settings.SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
    settings.BASE_URL = app.config["BASE_URL"]
    faulty = create_app(settings)

    @faulty.get("/_fault/<int:code>")
    def abort_with(code):
        abort(code)

    @faulty.get("/_fault/bug")
    def bug():
        raise RuntimeError("a bug in a view")

    @faulty.before_request
    def before():
        if request.path == "/_fault/before":
            raise RuntimeError("a bug before the view")

    @faulty.after_request
    def after(response):
        if request.path == "/_fault/after":
            raise RuntimeError("a bug after the view")
        return response

    yield faulty
    with faulty.app_context():
        db.engine.dispose()


ERROR_CODES = (400, 401, 403, 404, 405, 406, 409, 410, 413, 415, 422, 429, 500, 501, 503)


def test_every_error_status_carries_the_security_headers(faulty_app):
    client = faulty_app.test_client()
    for code in ERROR_CODES:
        response = client.get(f"/_fault/{code}")
        assert response.status_code == min(code, 500), code  # 5xx all read "our side failed"
        assert "site-header" in response.text, code
        _assert_security_headers(response, https=False)
    for path in ("/_fault/bug", "/_fault/before", "/_fault/after"):
        response = client.get(path)
        assert response.status_code == 500, path
        _assert_security_headers(response, https=False)
    assert "site-header" in client.get("/_fault/bug").text


def test_a_500_whose_error_page_fails_too_still_carries_the_headers(faulty_app, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RecursionError("as the password change's did (issue 13, finding 1)")

    monkeypatch.setattr("storefront.errors.render_template", broken)
    client = faulty_app.test_client()
    for path in ("/_fault/bug", "/_fault/404", "/_fault/before"):
        for base_url in ("http://shop.test", "https://shop.test"):
            response = client.get(path, base_url=base_url)
            assert response.status_code == 500, path
            assert "Something went wrong on our side" in response.text
            assert "Traceback" not in response.text
            _assert_security_headers(response, https=base_url.startswith("https"))


# --- hosts ---------------------------------------------------------------------------------


def test_a_request_for_another_host_gets_the_shops_400_page(production):
    production.setenv("PROXY_FIX", "1")
    production.setenv("TRUSTED_HOSTS", "www.ocop.example.vn")
    client = create_app(config.Config()).test_client()
    ours = client.get("/nope", base_url="http://ocop.example.vn")
    assert ours.status_code == 404
    assert client.get("/nope", base_url="http://www.ocop.example.vn").status_code == 404
    for refused in (
        client.get("/", base_url="http://evil.example"),
        client.get("/", headers={"X-Forwarded-Host": "evil.example"}, base_url=PUBLIC_ORIGIN),
        client.post(
            "/quen-mat-khau", data={"identifier": "a@b.vn"}, base_url="http://evil.example"
        ),
        client.get("/", headers={"Host": "ocop.example.vn.evil.example"}),
        client.get("/", headers={"Host": "evil.example\\@ocop.example.vn"}),
    ):
        assert refused.status_code == 400
        assert "site-header" in refused.text  # the shop's own page, not a 500
        _assert_security_headers(refused, https=refused.request.scheme == "https")


def test_the_test_client_is_a_trusted_host_and_others_are_not(client):
    # tests/conftest.py sets BASE_URL=http://shop.test; TestingConfig also answers "localhost"
    assert client.get("/").status_code == 200
    assert client.get("/", base_url="http://shop.test").status_code == 200
    refused = client.get("/", headers={"Host": "evil.example"})
    assert refused.status_code == 400
    assert "site-header" in refused.text


def test_every_limit_on_a_view_counts_forms_sent_never_pages_read(app):
    """Reading a page skips the limiter (storefront.extensions: only the blueprints given to
    limit_reading, the API, are limited on reads), so a limit put on a view must name the
    methods it counts, none of them a read: a limit on reading would be skipped silently."""
    from storefront.extensions import READING, limiter

    decorated = limiter.limit_manager._decorated_limits
    assert {name.rsplit(".", 1)[-1] for name in decorated} >= {"login", "forgot_password"}
    for name, limits in decorated.items():
        for limit in limits:
            assert limit.methods, f"{name}: a limit without methods counts page reads too"
            assert not {m.upper() for m in limit.methods} & READING, name


def test_reading_pages_is_not_counted_but_the_api_is(client, app):
    app.config["API_RATE_LIMIT"] = "2 per minute"
    try:
        pages = [client.get("/login").status_code for _ in range(15)]
        api = [client.get("/api/v1/regions").status_code for _ in range(3)]
    finally:
        app.config["API_RATE_LIMIT"] = "120 per minute"
    assert pages == [200] * 15
    assert api == [200, 200, 429]
