"""What every office page shares: office accounts only, the choices of its forms, and the one
way a button's change is carried out."""

from collections.abc import Callable
from typing import TypeVar

from flask import flash, redirect
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms import SelectChoice

from storefront.accounts.access import roles_required
from storefront.accounts.models import Role
from storefront.collation import by_name
from storefront.extensions import db
from storefront.office import bp
from storefront.register.models import Producer, Region, Showroom
from storefront.submissions import carry_out_flashed

T = TypeVar("T")


@bp.before_request
@roles_required(Role.OFFICE)
def office_only():
    """Every page here is for the OCOP office."""


def act_and_return(form, action: Callable[[], T], success: Callable[[T], str], back: str):
    """A button that makes one change (a toggle with a reason, a review): commit and flash what
    happened, or roll back and flash why not; back to ``back`` either way. A form that does not
    validate (no token, a reason too long) is a bad request."""
    if done := carry_out_flashed(form, action):
        flash(success(done.value), "success")
    return redirect(back)


def region_choices(blank: str | None = None) -> list[SelectChoice]:
    regions = by_name(
        db.session.scalars(select(Region).where(Region.source.is_(None))), lambda r: r.name
    )
    options = [SelectChoice(r.code, f"{r.name} ({r.code})") for r in regions]
    return ([SelectChoice("", blank)] if blank is not None else []) + options


def producer_choices(blank: str | None = None) -> list[SelectChoice]:
    producers = by_name(db.session.scalars(select(Producer)), lambda p: p.name)
    options = [SelectChoice(p.code, f"{p.name} ({p.code})") for p in producers]
    return ([SelectChoice("", blank)] if blank is not None else []) + options


def showroom_choices(blank: str | None = None) -> list[SelectChoice]:
    showrooms = by_name(db.session.scalars(select(Showroom)), lambda s: s.name)
    options = [SelectChoice(s.code, s.name) for s in showrooms]
    return ([SelectChoice("", blank)] if blank is not None else []) + options


def none_label() -> str:
    return _("— none —")
