"""The app's defences as a whole: the checks that stop a production start with an unsafe setting,
the proxy headers it may trust, and the security headers of every response."""

from __future__ import annotations

import os
import re

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

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
    proxies = int(app.config.get("PROXY_FIX") or 0)
    if proxies > 0:
        # Behind nginx: the client's address (rate limits), https (request.is_secure, HSTS,
        # secure cookies) and host come from the X-Forwarded-* headers of that many proxies.
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
    app.after_request(security_headers)


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


def security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    if request.is_secure:  # never over plain http: a browser would pin a site it cannot reach
        headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    return response
