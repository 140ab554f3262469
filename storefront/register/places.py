"""How a place is named to people: a unit of today by its name; an abolished one (a district
after 1 July 2025, Kon Tum province) with its end and the unit of today it became part of —
"Huyện Đăk Glei (until 30/06/2025, now part of Quảng Ngãi)" — so no page presents an abolished
unit as current. A product or showroom keeps pointing at the unit it was made in; only its name
on the page says what that unit is today."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from storefront import clock
from storefront.formatting import format_day
from storefront.register.models import Region


def current_unit(region: Region | None, today: date) -> Region | None:
    """The unit of today that ``region`` is or became part of: itself while it exists, else its
    successor, else its parent's, followed until one exists on ``today``."""
    seen: set[int] = set()
    unit = region
    while unit is not None and unit.id not in seen:
        seen.add(unit.id)
        if unit.is_current(today):
            return unit
        unit = unit.successor or unit.parent
    return None


def place_name(region: Region | None, today: date | None = None) -> str:
    """``region``'s name, with its end and today's unit when it no longer exists."""
    if region is None:
        return ""
    today = today or clock.today()
    if region.is_current(today):
        return region.name
    if region.valid_to is None:  # not begun yet: named as it will be
        return region.name
    now = current_unit(region, today)
    if now is None:
        return _("%(name)s (until %(date)s)", name=region.name, date=format_day(region.valid_to))
    return _(
        "%(name)s (until %(date)s, now part of %(unit)s)",
        name=region.name,
        date=format_day(region.valid_to),
        unit=now.name,
    )


def register(app) -> None:
    app.add_template_filter(place_name, "place")
