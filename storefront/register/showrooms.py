"""Showrooms as the public sees them."""

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from storefront.collation import sort_key
from storefront.domain import NotFound
from storefront.extensions import db
from storefront.register.codes import CODE_PATTERN
from storefront.register.models import Showroom


def list_showrooms() -> list[Showroom]:
    """Open showrooms, the province's first."""
    showrooms = db.session.scalars(
        select(Showroom).where(Showroom.active.is_(True)).options(joinedload(Showroom.region))
    )
    return sorted(showrooms, key=lambda s: (s.level != "province", sort_key(s.name)))


def get_showroom(code: str) -> Showroom:
    """The showroom with this code, open or not; NotFound for a code no showroom has."""
    showroom = CODE_PATTERN.fullmatch(code) and db.session.scalar(
        select(Showroom).where(Showroom.code == code).options(joinedload(Showroom.region))
    )
    if showroom is None:
        raise NotFound(_("No such code in the register."))
    return showroom
