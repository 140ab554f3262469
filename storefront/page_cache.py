"""Whole public pages kept in the cache, for visitors who see what everybody sees.

A page is served from the cache only to a visitor who is not signed in, has nothing in the cart
and no message waiting (everyone else gets it made afresh). Its key holds the catalogue's
generation (storefront/register/generation.py), the day, the language, the host and the path with
its query, so:

- a price change, a sale or a revoked certificate shows at once on the process that made it and
  within a second everywhere, with Redis or without, while a page served from the cache costs no
  query at all;
- the form token (CSRF) is not part of the cached page: the page is kept with a placeholder that
  is replaced by the visitor's own token on the way out.

The cache is Flask-Caching's (config.py): Redis when REDIS_URL is set, else in each process.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from flask import current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from storefront import clock, i18n
from storefront.caching import cache_get, cache_set
from storefront.register import generation as catalog_generation

CSRF_PLACEHOLDER = "csrf-token-of-the-visitor-f1b8c2"
# Session keys that make a visitor's pages their own (the cart adds its key): a visitor with any
# of them set is never served, nor stored in, the shared cache.
PERSONAL_SESSION_KEYS: set[str] = set()


def personal_session_key(key: str) -> str:
    """Declare ``key`` as personal (see PERSONAL_SESSION_KEYS); returns it."""
    PERSONAL_SESSION_KEYS.add(key)
    return key


def cached_page(view):
    """Serve this GET view from the cache to visitors who all see the same page."""

    @wraps(view)
    def serve(*args, **kwargs):
        if not _same_for_everybody():
            return view(*args, **kwargs)
        key = _key()
        stored = cache_get(key)
        if stored is None:
            response = _render_with_placeholder(view, args, kwargs)
            if response.status_code != 200 or response.is_streamed:
                return _with_visitor_token(response)
            stored = (response.get_data(), _headers_to_keep(response))
            cache_set(key, stored)
        body, headers = stored
        response = current_app.response_class(body, headers=headers)
        return _with_visitor_token(response).make_conditional(request)

    return serve


def _same_for_everybody() -> bool:
    return (
        current_app.config["CACHE_TYPE"] != "NullCache"
        and request.method in ("GET", "HEAD")
        and not current_user.is_authenticated
        and not session.get("_flashes")
        and not any(session.get(key) for key in PERSONAL_SESSION_KEYS)
    )


def _key() -> str:
    parts = (
        str(catalog_generation.current()),
        clock.today().isoformat(),
        i18n.select_locale(),
        request.host,
        request.full_path,
    )
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _render_with_placeholder(view, args, kwargs):
    """The page with the placeholder where the visitor's form token goes (Flask-WTF keeps the
    request's token in ``g``)."""
    setattr(g, _csrf_field(), CSRF_PLACEHOLDER)
    try:
        return current_app.make_response(view(*args, **kwargs))
    finally:
        g.pop(_csrf_field(), None)


def _with_visitor_token(response):
    placeholder = CSRF_PLACEHOLDER.encode()
    if not response.is_streamed and placeholder in response.get_data():
        g.pop(_csrf_field(), None)  # made from this visitor's session, never reused
        response.set_data(response.get_data().replace(placeholder, generate_csrf().encode()))
    return response


def _csrf_field() -> str:
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")


def _headers_to_keep(response) -> list[tuple[str, str]]:
    return [
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in ("set-cookie", "content-length")
    ]
