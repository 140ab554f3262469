"""Where goods can be delivered: today's provinces and communes of the whole country (the
national units `flask regions sync` loads), a commune found from what the buyer typed, and an
address written the old way (ward, district, province) offered in today's units."""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, or_, select

from storefront import collation
from storefront.delivery.addresses import saved_for
from storefront.extensions import db
from storefront.folding import fold
from storefront.ids import parse_id
from storefront.page_cache import personal_session_key
from storefront.register import generation, national
from storefront.register.models import NATIONAL_SOURCE, Region

COMMUNE_KINDS = ("commune", "ward", "special_zone", "town")
# What a unit's name starts with, dropped when matching what the buyer typed.
_UNIT_WORDS = re.compile(r"^(thanh pho|tinh|phuong|xa|dac khu|thi tran)\s+")
log = logging.getLogger(__name__)
# The province a visitor chose to see delivery fees for, or last had goods delivered to (its
# id); pages that show a fee for it are the visitor's own.
SESSION_PROVINCE = personal_session_key("delivery_province")


def _current(today: date) -> tuple[ColumnElement[bool], ...]:
    return (
        Region.source == NATIONAL_SOURCE,
        or_(Region.valid_from.is_(None), Region.valid_from <= today),
        or_(Region.valid_to.is_(None), Region.valid_to >= today),
    )


def sort_key(region: Region) -> Any:
    """In Vietnamese order by the name people say: "Thành phố Hà Nội" under H, "Phường Ba Đình"
    under B, "Đà Nẵng" after every D."""
    words = _UNIT_WORDS.match(fold(region.name))
    # fold keeps one character per character of an NFC name, so the prefix has the same length
    return collation.sort_key(region.name[words.end() :] if words else region.name)


def bare_name(name: str) -> str:
    return _UNIT_WORDS.sub("", fold(name))


def provinces(today: date) -> list[Region]:
    rows = db.session.scalars(select(Region).where(Region.kind == "province", *_current(today)))
    return sorted(rows, key=sort_key)


class ProvinceChoice(NamedTuple):
    """A province in a select box (a named tuple: the product page keys its fee line by the
    whole list, which hashes in C)."""

    id: int
    name: str


def province_choices(today: date) -> tuple[ProvinceChoice, ...]:
    """Today's provinces for a select box, read once per catalogue generation and day (the
    product page shows them to every visitor; `regions sync` moves the generation)."""
    return generation.remembered(
        f"province-choices:{today.isoformat()}",
        lambda: tuple(ProvinceChoice(p.id, p.name) for p in provinces(today)),
    )


@dataclass(frozen=True)
class CommuneChoice:
    id: int
    name: str


def communes(province: Region | None, today: date) -> tuple[CommuneChoice, ...]:
    """Today's communes and wards of ``province`` in Vietnamese order, read once per catalogue
    generation and day (a checkout asks for them up to three times, before and after it tries
    to place the order; `regions sync` moves the generation)."""
    if province is None:
        return ()
    province_id = province.id

    def read() -> tuple[CommuneChoice, ...]:
        rows = db.session.scalars(
            select(Region).where(
                Region.parent_id == province_id,
                Region.kind.in_(COMMUNE_KINDS),
                *_current(today),
            )
        )
        return tuple(CommuneChoice(c.id, c.name) for c in sorted(rows, key=sort_key))

    return generation.remembered(f"communes:{province_id}:{today.isoformat()}", read)


def province(value: str | None, today: date) -> Region | None:
    """Today's province from its id (a form) or its code (a link, `VN-01`)."""
    value = (value or "").strip()
    if not value or len(value) > 32:
        return None
    try:
        where = Region.id == parse_id(value)
    except ValueError:
        where = Region.code == value
    return db.session.scalar(
        select(Region).where(where, Region.kind == "province", *_current(today))
    )


def chosen_province(chosen: object, user_id: int | None, today: date) -> Region | None:
    """The province a shopper chose (``chosen``: the id kept in their session), else the one of
    their latest saved address (signed in), else None."""
    found = province(str(chosen), today) if isinstance(chosen, int) else None
    if found is None and user_id is not None:
        mine = saved_for(user_id)
        found = mine[0].province if mine else None
    return found


def find_commune(province: Region | None, typed: str | None, today: date) -> CommuneChoice | None:
    """The commune of ``province`` the buyer means: its id (the select), or its name typed with
    or without its kind and accents ("phuong hoan kiem", "Hoàn Kiếm")."""
    typed = (typed or "").strip()
    if province is None or not typed or len(typed) > 200:
        return None
    options = communes(province, today)
    if typed.isdecimal():
        return next((c for c in options if str(c.id) == typed), None)
    written = unicodedata.normalize("NFC", typed).casefold()
    exact = [c for c in options if unicodedata.normalize("NFC", c.name).casefold() == written]
    if exact:
        return exact[0]
    # Without accents a name can be two communes ("Xã Tân Thành", "Xã Tân Thạnh"): only a
    # name that means one of them is taken.
    folded = [c for c in options if fold(c.name) == fold(typed)]
    if len(folded) == 1:
        return folded[0]
    bare = [c for c in options if bare_name(c.name) == bare_name(typed)]
    return bare[0] if len(bare) == 1 and not folded else None


def parcel_lines(
    name: str, phone: str, address_line: str | None, commune: Region | None, province: Region | None
) -> list[str]:
    """The address as written on the parcel: who, their phone, then house and street, commune,
    province on one line."""
    place = ", ".join(
        p for p in (address_line, commune and commune.name, province and province.name) if p
    )
    return [f"{name} · {phone}", place]


@dataclass(frozen=True)
class TodaysAddress:
    """An address typed in the old three-tier form, in today's units."""

    province: Region
    commune: Region | None
    street: str
    old_form: str


def convert_old_address(typed: str, today: date) -> TodaysAddress | None:
    """Recognise "house and street, ward, district, province" as written before 1 July 2025
    and say where it is today, with the maintained `vietnamadminunits` converter. The street is
    kept apart and never sent to it (a split ward with a street would make it look the street up
    on the internet); the new unit is then the converter's default ward. None when the address
    is not recognised."""
    typed = " ".join((typed or "").split())[:300]
    if len(typed) < 5:
        return None
    from vietnamadminunits import ParseMode, convert_address, parse_address

    try:
        old = parse_address(typed, mode=ParseMode.LEGACY, keep_street=True, level=3)
        if not old.province:
            return None
        units = ", ".join(p for p in (old.ward, old.district, old.province) if p)
        if parse_address(units, mode=ParseMode.LEGACY, keep_street=True, level=3).street:
            return None  # it would look a street up on the internet: never from here
        new = convert_address(units)
    except Exception as error:  # noqa: BLE001 (the converter raises bare Exceptions)
        log.info("Old address not converted (%s): %s", error, typed)
        return None
    if not new.province_code:
        return None
    found_province = province(national.province_code(int(new.province_code)), today)
    if found_province is None:
        return None
    commune = None
    if new.ward_code:
        commune = db.session.scalar(
            select(Region).where(
                Region.code == national.commune_code(int(new.ward_code)),
                Region.parent_id == found_province.id,
                *_current(today),
            )
        )
    old_form = ", ".join(p for p in (old.ward, old.district, old.province) if p)
    return TodaysAddress(found_province, commune, (old.street or "").strip(" ,"), old_form)
