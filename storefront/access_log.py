"""Secrets in URLs stay out of access logs: an order's private link (``?k=…``) and a password
reset link (``/dat-lai-mat-khau/<token>``) would let anyone who reads the log open the order or
set the password. Both servers' access logs go through ``redact``: Werkzeug's (``flask run``,
the tests' live servers) by a filter on its logger, gunicorn's by GunicornLogger, which
gunicorn.conf.py at the project's root names (gunicorn reads that file when started there)."""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"
_SECRETS = (
    # the order link's secret, in a request line, a query string, a Referer or a Location
    (re.compile(r"((?:^|[?&;])k=)[^&;\s\"#]+"), rf"\1{REDACTED}"),
    (re.compile(r"((?:%3F|%26)k%3D)[^&;\s\"#%]+", re.IGNORECASE), rf"\1{REDACTED}"),
    # the password-reset (and invitation) token
    (re.compile(r"(/dat-lai-mat-khau/)[^/?\s\"#]+"), rf"\1{REDACTED}"),
)


def redact(text: str) -> str:
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecrets(logging.Filter):
    """A logging filter that writes the record's message with its secrets taken out."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def init_app(_app) -> None:
    werkzeug = logging.getLogger("werkzeug")
    if not any(isinstance(f, RedactSecrets) for f in werkzeug.filters):
        werkzeug.addFilter(RedactSecrets())


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # gunicorn is the production server, not needed by `flask run`
    _GunicornLogger = None

if _GunicornLogger is not None:

    class GunicornLogger(_GunicornLogger):
        """gunicorn's logger, with every access-log field (request line, query, Referer,
        headers) redacted before it is formatted."""

        def atoms(self, resp, req, environ, request_time):
            return {
                key: redact(value) if isinstance(value, str) else value
                for key, value in super().atoms(resp, req, environ, request_time).items()
            }
