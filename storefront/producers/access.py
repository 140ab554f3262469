"""What a producer account may touch: its own producer's products (the office may act for any
producer). Someone else's product is answered as if it did not exist."""

from __future__ import annotations

from typing import TypeVar

from flask_babel import gettext as _
from sqlalchemy import select

from storefront import domain
from storefront.accounts.access import NotAllowed, require_producer
from storefront.catalog.models import Product
from storefront.domain import Refused
from storefront.extensions import db

T = TypeVar("T")


class PortalError(Refused):
    """A refused change, with a message for the producer; nothing was changed."""


class NotFound(domain.NotFound, PortalError):
    """No such product — or not this producer's, which looks the same from outside. (Its kind
    first, so the app's handler answers 404.)"""


def own_product(actor, code_or_id: int | str) -> Product:
    """The product if the actor may manage it, else NotFound."""
    column = Product.id if isinstance(code_or_id, int) else Product.code
    product = db.session.scalar(select(Product).where(column == code_or_id))
    return owned(actor, product, _("No such product."))


def owned(actor, thing: T | None, message: str) -> T:
    """``thing`` (a product, transfer or order part: it has a ``producer_id``) if the actor may act
    for its producer; NotFound(message) when there is none or it is someone else's."""
    if thing is None:
        raise NotFound(message)
    try:
        require_producer(actor, thing.producer_id)
    except NotAllowed:
        raise NotFound(message) from None
    return thing


def producer_id_of(actor) -> int:
    """The producer the account is bound to; an account bound to none may not use the portal."""
    if actor.producer_id is None:
        raise NotAllowed()
    return actor.producer_id
