"""Showrooms as the office manages them: open (create), edit, close."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from storefront.accounts.models import User
from storefront.audit.models import AuditArea
from storefront.audit.services import record
from storefront.collation import sort_key
from storefront.extensions import db
from storefront.office import fields
from storefront.office.errors import NotFound, OfficeError
from storefront.register.models import Showroom

LEVELS = ("province", "district")


@dataclass
class ShowroomFields:
    code: str = ""
    name: str = ""
    level: str = "district"
    region: str = ""
    address: str = ""
    opening_hours: str = ""
    phone: str = ""
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
        "opening_hours": fields.text(
            data.opening_hours, "opening_hours", _("Opening hours"), required=False, max_len=200
        ),
        "phone": fields.text(data.phone, "phone", _("Phone"), required=False, max_len=32),
        "note": fields.text(data.note, "note", _("Note"), required=False, max_len=2000),
    }


def list_showrooms() -> list[Showroom]:
    showrooms = db.session.scalars(select(Showroom).options(joinedload(Showroom.region)))
    return sorted(
        showrooms, key=lambda s: (not s.active, s.level != "province", sort_key(s.name))
    )


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
        "note": showroom.note,
        "active": showroom.active,
    }


def _label(showroom: Showroom) -> str:
    return f"{showroom.name} ({showroom.code})"
