"""What every office page shares: office accounts only, and refused changes shown on the form."""

from flask_babel import gettext as _
from sqlalchemy import select
from wtforms import SelectChoice

from storefront.accounts.access import roles_required
from storefront.accounts.models import Role
from storefront.extensions import db
from storefront.office import bp
from storefront.office.fields import Invalid
from storefront.register.models import Producer, Region, Showroom


@bp.before_request
@roles_required(Role.OFFICE)
def office_only():
    """Every page here is for the OCOP office."""


def show_error(form, error) -> None:
    """Put a refused change's message(s) beside the field(s) it is about, or on the form."""
    db.session.rollback()
    errors = error.errors if isinstance(error, Invalid) else {error.field or "": str(error)}
    for name, message in errors.items():
        field = form._fields.get(name) if name else None
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)


def region_choices(blank: str | None = None) -> list[SelectChoice]:
    regions = db.session.scalars(select(Region).order_by(Region.code))
    options = [SelectChoice(r.code, f"{r.name} ({r.code})") for r in regions]
    return ([SelectChoice("", blank)] if blank is not None else []) + options


def producer_choices(blank: str | None = None) -> list[SelectChoice]:
    producers = db.session.scalars(select(Producer).order_by(Producer.name))
    options = [SelectChoice(p.code, f"{p.name} ({p.code})") for p in producers]
    return ([SelectChoice("", blank)] if blank is not None else []) + options


def showroom_choices(blank: str | None = None) -> list[SelectChoice]:
    showrooms = db.session.scalars(select(Showroom).order_by(Showroom.name))
    options = [SelectChoice(s.code, s.name) for s in showrooms]
    return ([SelectChoice("", blank)] if blank is not None else []) + options


def none_label() -> str:
    return _("— none —")
