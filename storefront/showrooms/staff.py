"""Who acts for which showroom: staff for their own, and nobody else at the counter."""

from __future__ import annotations

from storefront.accounts.access import NotAllowed, require_showroom
from storefront.accounts.models import Role


def own_showroom_id(actor) -> int:
    """The showroom a staff member works at; anyone else may not use the counter."""
    if actor is None or getattr(actor, "role", None) != Role.STAFF or actor.showroom_id is None:
        raise NotAllowed()
    require_showroom(actor, actor.showroom_id)
    return actor.showroom_id
