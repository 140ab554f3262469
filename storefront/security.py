"""The app's defences as a whole: the checks that stop a production start with an unsafe setting,
the proxy headers it may trust, the hosts it answers for, and the security headers of every
response."""

from __future__ import annotations

import logging
import os
import re
import sys
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, request
from flask_babel import gettext as _
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.sansio.utils import host_is_trusted

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"

MIN_SECRET_KEY_LENGTH = 32
# Words of the sample keys people copy from tutorials and .env examples (compared without case,
# spaces, dashes or underscores).
PLACEHOLDER_WORDS = (
    "changeme",
    "changethis",
    "replaceme",
    "placeholder",
    "example",
    "secretkey",
    "yoursecret",
    "notsecret",
    "insecure",
    "development",
    "devkey",
    "testkey",
)
PLACEHOLDER_KEYS = {"secret", "dev", "test", "password", "key", "flask", "default", "none"}
# A plain-http BASE_URL is accepted in production only on this machine's own addresses (trying the
# production set-up locally, as `make scaleout` does): nobody else can reach it.
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
# The last-resort answer when an error escaped every Flask handler (see SecurityHeaders).
PLAIN_500 = (
    '<!doctype html><html lang="vi"><meta charset="utf-8"><title>500</title>'
    "<h1>Đã có lỗi ở phía chúng tôi</h1>"
    "<p>Something went wrong on our side. Please try again in a moment.</p></html>"
).encode()


class UnsafeProductionSettings(RuntimeError):
    """Raised by create_app in production: the message names every setting to fix."""


def init_app(app: Flask) -> None:
    """Refuse an unsafe production start, trust PROXY_FIX proxies, send the security headers."""
    if app.config.get("STOREFRONT_ENV") == "production":
        problems = production_problems(app)
        if problems:
            raise UnsafeProductionSettings(
                "OCOP Storefront will not start in production (STOREFRONT_ENV=production): "
                + " ".join(problems)
            )
    # Innermost: the headers go on every answer, made by Flask or not; ProxyFix wraps it, so
    # https behind a proxy is known when HSTS is decided.
    app.wsgi_app = SecurityHeaders(app.wsgi_app, app.logger)
    proxies = int(app.config.get("PROXY_FIX") or 0)
    if proxies > 0:
        # Behind nginx: the client's address (rate limits), https (request.is_secure, HSTS,
        # secure cookies) and host come from the X-Forwarded-* headers of that many proxies.
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
    app.before_request(refuse_other_hosts)  # first: before any other work for that request


def production_problems(app: Flask) -> list[str]:
    """What makes this configuration unfit for the open internet, one sentence each."""
    problems = []
    key = app.config.get("SECRET_KEY") or ""
    if not app.config.get("SECRET_KEY_FROM_ENV"):
        problems.append(
            "Set SECRET_KEY in the environment to a long random value, the same on every "
            'instance (python -c "import secrets; print(secrets.token_hex(32))"); '
            "the key generated into instance/ is for development only."
        )
    elif len(key) < MIN_SECRET_KEY_LENGTH:
        problems.append(
            f"SECRET_KEY is {len(key)} characters long; use at least {MIN_SECRET_KEY_LENGTH} "
            "random characters."
        )
    elif is_placeholder(key):
        problems.append("SECRET_KEY is a well-known placeholder; set a long random value.")
    base = urlsplit(app.config.get("BASE_URL") or "")
    if not base.hostname or not (
        base.scheme == "https" or (base.scheme == "http" and base.hostname in LOOPBACK_HOSTS)
    ):
        problems.append(
            "Set BASE_URL to the shop's public https:// origin (e.g. https://ocop.example.gov.vn): "
            "e-mails, QR codes and the API build their links on it, never on the Host a request "
            "names, and requests for other hosts are refused."
        )
    if app.debug or app.config.get("DEBUG") or _truthy(os.environ.get("FLASK_DEBUG")):
        problems.append(
            "Debug mode is on (FLASK_DEBUG, --debug or DEBUG); it lets anyone who sees an "
            "error page run code on the server. Turn it off."
        )
    return problems


def is_placeholder(key: str) -> bool:
    folded = re.sub(r"[\s_\-.]", "", key.lower())
    if folded in PLACEHOLDER_KEYS or any(word in folded for word in PLACEHOLDER_WORDS):
        return True
    return len(set(folded)) < 8  # "xxxxxxxx…", "abababab…": not random


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() not in ("", "0", "false", "no", "off")


def trusted_hosts(config) -> list[str]:
    """The host names this shop answers for: BASE_URL's and those TRUSTED_HOSTS adds; none
    (any host) without BASE_URL, in development."""
    base = urlsplit(config.get("BASE_URL") or "").hostname
    return [base, *config.get("ALLOWED_HOSTS", ())] if base else []


def refuse_other_hosts():
    """A request for another host (a forged Host or X-Forwarded-Host) gets a 400 page before
    anything is done, so no link, cookie or cache entry is ever made for that host."""
    hosts = trusted_hosts(current_app.config)
    if hosts and not host_is_trusted(request.host.lower(), hosts):
        abort(400, _("This shop does not answer at this address."))


class SecurityHeaders:
    """WSGI middleware: every response carries the security headers, whatever made it — a page,
    an error page, or the plain 500 given here when an error escaped Flask's own handlers (an
    error page that failed to render, a fault after the response was made)."""

    def __init__(self, wsgi_app, logger: logging.Logger):
        self.wsgi_app = wsgi_app
        self.logger = logger

    def __call__(self, environ, start_response):
        secure = environ.get("wsgi.url_scheme") == "https"
        started = []

        def start_with_headers(status, headers, exc_info=None):
            started.append(status)
            return start_response(status, with_security_headers(headers, secure), exc_info)

        try:
            return self.wsgi_app(environ, start_with_headers)
        except Exception:
            self.logger.exception(
                "Error outside the error handlers on %s", environ.get("PATH_INFO")
            )
            # exc_info only when a status went out already (PEP 3333: the server then decides).
            start_with_headers(
                "500 INTERNAL SERVER ERROR",
                [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Length", str(len(PLAIN_500))),
                ],
                sys.exc_info() if started else None,
            )
            return [PLAIN_500]


def with_security_headers(headers: list[tuple[str, str]], secure: bool) -> list[tuple[str, str]]:
    """``headers`` plus each security header the response did not set itself (a page may send a
    CSP of its own, as the POS counter does)."""
    present = {name.lower() for name, _value in headers}
    wanted = [
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("X-Frame-Options", "DENY"),
    ]
    if secure:  # never over plain http: a browser would pin a site it cannot reach
        wanted.append(("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY))
    return [*headers, *((name, value) for name, value in wanted if name.lower() not in present)]
