"""The errors a service raises when it refuses, in four kinds that every feature's errors derive
from. A refusal carries a message for the person (already translated) and, where it is about one
form field, that field's name. Nothing was changed: the caller rolls back.

One app-level handler (storefront.errors) answers any of them that a route does not handle with the
shop's page or JSON and the kind's status; one helper (storefront.submissions) puts them on a form.
"""

from __future__ import annotations


class DomainError(Exception):
    """A change or a look-up the domain refuses; ``status`` is what HTTP says of its kind."""

    status = 400

    def __init__(self, message: str = "", field: str | None = None):
        super().__init__(message)
        self.message = str(message)
        self.field = field
        # {field name or "": message}: where each message belongs on a form (some refusals
        # name several fields at once).
        self.errors: dict[str, str] = {field or "": self.message}


class NotFound(DomainError):
    """No such thing — or one the actor may not know exists, which looks the same."""

    status = 404


class NotAllowed(DomainError):
    """The acting user may not do this."""

    status = 403


class Conflict(DomainError):
    """Someone changed the thing meanwhile; the person should look again and decide."""

    status = 409


class Refused(DomainError):
    """A rule or a value says no: out of stock, a transition not in the table, a bad file."""

    status = 400
