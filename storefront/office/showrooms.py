"""Showrooms as the office manages them: open (create), edit, close."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from storefront.accounts.models import User
from storefront.audit.models import AuditArea
from storefront.audit.services import record
from storefront.collation import sort_key
from storefront.extensions import db
from storefront.numbers import InvalidNumber, parse_degrees
from storefront.office import fields
from storefront.office.errors import NotFound, OfficeError
from storefront.register import opening_hours
from storefront.register.models import Showroom

LEVELS = ("province", "district")
_ZALO = re.compile(r"https://(zalo\.me|chat\.zalo\.me)/[^\s\"'<>]+")


@dataclass
class ShowroomFields:
    code: str = ""
    name: str = ""
    level: str = "district"
    region: str = ""
    address: str = ""
    opening_hours: str = ""
    phone: str = ""
    zalo_url: str = ""
    coordinates: str = ""  # "14.3545, 108.0076", as a map application copies them
    note: str = ""


def clean_showroom(data: ShowroomFields) -> dict:
    if data.level not in LEVELS:
        raise OfficeError(_("Choose the province or a district."), "level")
    return {
        "code": fields.code(data.code),
        "name": fields.text(data.name, "name", _("Name"), min_len=3, max_len=300),
        "level": data.level,
        "region": fields.region(data.region),
        "address": fields.text(data.address, "address", _("Address"), required=False, max_len=500),
        "opening_hours": _opening_hours(data.opening_hours),
        "phone": fields.text(data.phone, "phone", _("Phone"), required=False, max_len=32),
        "zalo_url": _zalo(data.zalo_url),
        **_coordinates(data.coordinates),
        "note": fields.text(data.note, "note", _("Note"), required=False, max_len=2000),
    }


def _opening_hours(value: str) -> str | None:
    text = fields.text(value, "opening_hours", _("Opening hours"), required=False, max_len=200)
    try:
        opening_hours.parse(text or "")
    except opening_hours.UnreadableHours as error:
        raise OfficeError(
            _(
                "Cannot read “%(part)s”. Write days and times like: T2–T6 7:30–11:30, 13:30–17:00;"
                " T7 8:00–12:00 (no days: every day).",
                part=str(error),
            ),
            "opening_hours",
        ) from error
    return text


def _zalo(value: str) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if len(value) > 300 or not _ZALO.fullmatch(value):
        raise OfficeError(_("A Zalo link looks like https://zalo.me/0901234567."), "zalo_url")
    return value


def _coordinates(value: str) -> dict[str, float | None]:
    """Latitude and longitude from "14.3545, 108.0076" (as map applications copy them)."""
    text = (value or "").strip()
    if not text:
        return {"latitude": None, "longitude": None}
    parts = re.split(r"[,;\s]+", text)
    try:
        if len(parts) != 2:
            raise InvalidNumber(text)
        return {
            "latitude": parse_degrees(parts[0], limit=90),
            "longitude": parse_degrees(parts[1], limit=180),
        }
    except InvalidNumber as error:
        raise OfficeError(
            _("Write latitude and longitude in degrees, e.g. 14.3545, 108.0076."), "coordinates"
        ) from error


def coordinates_text(showroom: Showroom) -> str:
    """The coordinates as the form shows them."""
    if showroom.latitude is None or showroom.longitude is None:
        return ""
    return f"{showroom.latitude:.6f}, {showroom.longitude:.6f}"


def list_showrooms() -> list[Showroom]:
    showrooms = db.session.scalars(select(Showroom).options(joinedload(Showroom.region)))
    return sorted(showrooms, key=lambda s: (not s.active, s.level != "province", sort_key(s.name)))


def get_showroom(code: str) -> Showroom:
    showroom = db.session.scalar(select(Showroom).where(Showroom.code == code))
    if showroom is None:
        raise NotFound(_("No such showroom."))
    return showroom


def create_showroom(actor: User, data: ShowroomFields) -> Showroom:
    values = clean_showroom(data)
    _refuse_taken_code(values["code"])
    showroom = Showroom(**values)
    db.session.add(showroom)
    db.session.flush()
    record(
        actor, AuditArea.REGISTER, "showroom.opened", _label(showroom), after=_snapshot(showroom)
    )
    return showroom


def update_showroom(actor: User, code: str, data: ShowroomFields) -> Showroom:
    showroom = get_showroom(code)
    values = clean_showroom(data)
    if values["code"] != showroom.code:
        _refuse_taken_code(values["code"])
    before = _snapshot(showroom)
    for name, value in values.items():
        setattr(showroom, name, value)
    showroom.is_demo = False
    db.session.flush()
    if _snapshot(showroom) != before:
        record(
            actor,
            AuditArea.REGISTER,
            "showroom.edited",
            _label(showroom),
            before=before,
            after=_snapshot(showroom),
        )
    return showroom


def set_open(actor: User, code: str, open_: bool, reason: str = "") -> Showroom:
    """Close a showroom (it leaves the public list and takes no transfers) or open it again."""
    showroom = get_showroom(code)
    reason = (reason or "").strip()
    if not open_ and not reason:
        raise OfficeError(_("Say why the showroom closes."), "reason")
    if showroom.active == open_:
        return showroom
    showroom.active = open_
    record(
        actor,
        AuditArea.REGISTER,
        "showroom.reopened" if open_ else "showroom.closed",
        _label(showroom),
        before={"active": not open_},
        after={"active": open_},
        note=reason,
    )
    db.session.flush()
    return showroom


def _refuse_taken_code(code: str) -> None:
    if db.session.scalar(select(Showroom.id).where(Showroom.code == code)):
        raise OfficeError(_("Another showroom has the code %(code)s.", code=code), "code")


def _snapshot(showroom: Showroom) -> dict:
    return {
        "code": showroom.code,
        "name": showroom.name,
        "level": showroom.level,
        "region": showroom.region.code if showroom.region else None,
        "address": showroom.address,
        "opening_hours": showroom.opening_hours,
        "phone": showroom.phone,
        "zalo_url": showroom.zalo_url,
        "coordinates": coordinates_text(showroom),
        "note": showroom.note,
        "active": showroom.active,
    }


def _label(showroom: Showroom) -> str:
    return f"{showroom.name} ({showroom.code})"
