"""The one set of access rules for routes. Services check again with the acting user."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from storefront.accounts.models import Role
from storefront.domain import NotAllowed  # noqa: F401 (services import it from here)


def roles_required(*roles: Role):
    """Signed in (else a redirect to /login) and holding one of ``roles`` (else 403)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def require_producer(actor, producer_id: int) -> None:
    """A producer account may act only for its own producer; the office for any."""
    if actor is None or not getattr(actor, "is_authenticated", True):
        raise NotAllowed()
    if actor.role == Role.OFFICE:
        return
    if actor.role == Role.PRODUCER and actor.producer_id == producer_id:
        return
    raise NotAllowed()


def require_showroom(actor, showroom_id: int) -> None:
    """Staff act only for their own showroom; the office for any."""
    if actor is None:
        raise NotAllowed()
    if actor.role == Role.OFFICE:
        return
    if actor.role == Role.STAFF and actor.showroom_id == showroom_id:
        return
    raise NotAllowed()
