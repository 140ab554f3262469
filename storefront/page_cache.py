"""Whole public pages kept in the cache, for visitors who see what everybody sees.

A page is served from the cache only to a visitor who is not signed in, has nothing in the cart
and no message waiting (everyone else gets it made afresh). Its key holds the catalogue's
generation (storefront/register/generation.py), the day, the language, the host, the path and the
canonical query: only the parameters the page reads (named where it is decorated), empty ones
left out, in a fixed order. A request with any other parameter (or one given twice) is answered
afresh and not kept, so made-up query strings cannot fill the cache, nor put their text into a
page others are served. So:

- a price change, a sale or a revoked certificate shows at once on the process that made it and
  within a second everywhere, with Redis or without, while a page served from the cache costs no
  query at all;
- a page that shows stock numbers (a product page, a showroom's shelf, the API) is kept with the
  stock version of each product (or showroom) it showed, and made again only when one of those
  changed: a sale of one product leaves every other product's pages in the cache;
- the form token (CSRF) is not part of the cached page: the page is kept with a placeholder that
  is replaced by the visitor's own token on the way out.

The cache is Flask-Caching's (config.py): Redis when REDIS_URL is set, else in each process.
"""

from __future__ import annotations

import hashlib
from functools import wraps
from urllib.parse import urlencode

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


def cached_page(view=None, *, params: tuple[str, ...] = ()):
    """Serve this GET view from the cache to visitors who all see the same page. ``params``: the
    query parameters the page reads (``@cached_page(params=("q", "page"))``); none by default."""
    if view is None:
        return lambda view: cached_page(view, params=params)
    known = frozenset(params)

    @wraps(view)
    def serve(*args, **kwargs):
        query = canonical_query(request.args, known)
        if query is None or not _same_for_everybody():
            return view(*args, **kwargs)
        key = _key(query)
        stored = cache_get(key)
        if stored is None or _stock_changed_since(stored[2]):
            catalog_generation.shown_on_this_page()  # start with none
            watermark = catalog_generation.stock_watermark()
            response = _render_with_placeholder(view, args, kwargs)
            if response.status_code != 200 or response.is_streamed:
                return _with_visitor_token(response)
            # A change this process learnt of while the page was made may or may not be in it:
            # such a product is kept with version -1, so the page is made again next time.
            versions = {
                product_id: version if version <= watermark else -1
                for product_id, version in catalog_generation.stock_versions(
                    catalog_generation.shown_on_this_page()
                ).items()
            }
            stored = (response.get_data(), _headers_to_keep(response), versions)
            cache_set(key, stored, current_app.config.get("PAGE_CACHE_SECONDS", 300))
        body, headers, _versions = stored
        response = current_app.response_class(body, headers=headers)
        return _with_visitor_token(response).make_conditional(request)

    return serve


def _stock_changed_since(versions: dict[int, int]) -> bool:
    """The page shows the stock of products changed since it was made."""
    return bool(versions) and catalog_generation.stock_versions(versions) != versions


def _same_for_everybody() -> bool:
    return (
        current_app.config.get("PAGE_CACHE_SECONDS", 300) > 0
        and request.method in ("GET", "HEAD")
        and not current_user.is_authenticated
        and not session.get("_flashes")
        and not any(session.get(key) for key in PERSONAL_SESSION_KEYS)
    )


def canonical_query(args, known: frozenset[str]) -> str | None:
    """The query string as the page reads it (known names, sorted, empty values left out), or
    None when it carries anything else: an unknown name, or a name given twice."""
    pairs = []
    for name in args:
        values = args.getlist(name)
        if name not in known or len(values) != 1:
            return None
        if values[0] != "":
            pairs.append((name, values[0]))
    return urlencode(sorted(pairs))


def _key(query: str) -> str:
    parts = (
        str(catalog_generation.current()),
        clock.today().isoformat(),
        i18n.select_locale(),
        request.host,
        request.path,
        query,
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


def with_visitor_token(html: str) -> str:
    """``html`` (kept with the placeholder: a page, or a fragment of one) with the visitor's own
    form token in its place; no token is made, nor kept in the session, when it holds none."""
    if CSRF_PLACEHOLDER not in html:
        return html
    return html.replace(CSRF_PLACEHOLDER, generate_csrf())


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
