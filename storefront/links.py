"""The shop's own links: where a redirect may send a visitor (``safe_next``), and the absolute
links that leave the site in e-mails, QR codes and the API (``absolute_url_for``)."""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

from flask import current_app, has_request_context, url_for

# How many layers of %-encoding are looked through: "%25%30%39" is a tab after two.
_DECODINGS = 3


def safe_next(target: object, fallback: str | None = None) -> str:
    """``target`` when it is a path on this site, else ``fallback`` (the home page by default).

    Refused: anything but a string starting with one "/", and whatever a browser could read as
    another site once it drops what it ignores: control characters (tab, CR, LF, %09, %0A, %0D,
    also %-encoded once or twice more), backslashes (read as "/"), "//" or "/\\" prefixes, and any
    scheme or host that ``urlsplit`` finds in the value or in its decoded forms."""
    fallback = fallback or url_for("catalog.home")
    if not isinstance(target, str) or not target.startswith("/"):
        return fallback
    forms = [target]
    for _ in range(_DECODINGS):
        forms.append(unquote(forms[-1]))
    return target if all(_is_local_path(form) for form in forms) else fallback


def _is_local_path(value: str) -> bool:
    if "\\" in value or value.startswith("//"):
        return False
    if any(unicodedata.category(char)[0] in "CZ" and char != " " for char in value):
        return False  # controls, format characters, line and paragraph separators, odd spaces
    parts = urlsplit(value)
    return not (parts.scheme or parts.netloc)


def absolute_url_for(endpoint: str, **values) -> str:
    """The absolute URL of ``endpoint``: on BASE_URL when it is set (always, in production), so a
    link never takes the host a request claimed; else on this request's host (development), or
    http://localhost outside a request."""
    base = current_app.config.get("BASE_URL")
    if not has_request_context():  # the CLI: no request, so no host to build on
        return (base or "http://localhost") + current_app.url_map.bind("localhost").build(
            endpoint, values
        )
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
