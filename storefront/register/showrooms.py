"""Showrooms as the public sees them."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from storefront.collation import sort_key
from storefront.domain import NotFound
from storefront.extensions import db
from storefront.register import generation
from storefront.register.codes import CODE_PATTERN
from storefront.register.models import Showroom


def list_showrooms() -> list[Showroom]:
    """Open showrooms, the province's first."""
    showrooms = db.session.scalars(
        select(Showroom).where(Showroom.active.is_(True)).options(joinedload(Showroom.region))
    )
    return sorted(showrooms, key=lambda s: (s.level != "province", sort_key(s.name)))


# Every showroom's name starts so; a select box on a phone shows what follows.
COMMON_NAME_PREFIX = "Điểm giới thiệu và bán sản phẩm OCOP "


@dataclass(frozen=True)
class ShowroomChoice:
    code: str
    name: str

    @property
    def short_name(self) -> str:
        return self.name.removeprefix(COMMON_NAME_PREFIX)


def showroom_choices() -> tuple[ShowroomChoice, ...]:
    """Open showrooms as a filter offers them (in list_showrooms' order), read once per catalogue
    generation (a change to a showroom moves it)."""
    return generation.remembered(
        "showroom-choices",
        lambda: tuple(ShowroomChoice(s.code, s.name) for s in list_showrooms()),
    )


def get_showroom(code: str) -> Showroom:
    """The showroom with this code, open or not; NotFound for a code no showroom has."""
    showroom = CODE_PATTERN.fullmatch(code) and db.session.scalar(
        select(Showroom).where(Showroom.code == code).options(joinedload(Showroom.region))
    )
    if showroom is None:
        raise NotFound(_("No such code in the register."))
    return showroom
