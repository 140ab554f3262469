"""The programme's plans as the office keeps them: recorded and edited on /office/plans (every
change in the audit log, so a plan has its history), with targets for the whole province and
for units of today (a commune, a ward or the province itself, never an abolished district).
The plan in force is the one whose period holds the day; when none does, the pages say so."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from storefront.accounts.models import User
from storefront.audit.models import AuditArea
from storefront.audit.services import record
from storefront.extensions import db
from storefront.office import fields
from storefront.office.errors import NotFound, OfficeError
from storefront.office.models import PlanUnitTarget, ProgrammePlan
from storefront.register.models import Region

# Indicators a plan sets per unit of today.
UNIT_INDICATORS = {
    "certified": _l("Products with 3 stars or more"),
    "showrooms": _l("Open showrooms"),
}
MAX_TARGET = 100_000


@dataclass
class PlanFields:
    """What the office types for a plan (text, as it came)."""

    number: object = ""
    title: object = ""
    period_start: object = ""
    period_end: object = ""
    products_3_star_plus: object = ""
    products_5_star: object = ""
    cooperative_share_pct: object = ""
    sme_share_pct: object = ""
    modern_channels_low_pct: object = ""
    modern_channels_high_pct: object = ""


def list_plans() -> list[ProgrammePlan]:
    """Every plan, the latest first."""
    return list(
        db.session.scalars(
            select(ProgrammePlan).order_by(
                ProgrammePlan.period_start.desc(), ProgrammePlan.id.desc()
            )
        )
    )


def plan_in_force(today: date) -> ProgrammePlan | None:
    """The plan whose period holds ``today`` (the latest begun, if two overlap); None when no
    plan is in force."""
    return db.session.scalar(
        select(ProgrammePlan)
        .where(ProgrammePlan.period_start <= today, ProgrammePlan.period_end >= today)
        .order_by(ProgrammePlan.period_start.desc(), ProgrammePlan.id.desc())
        .limit(1)
    )


def last_ended(today: date) -> ProgrammePlan | None:
    """The plan that ended most recently before ``today``."""
    return db.session.scalar(
        select(ProgrammePlan)
        .where(ProgrammePlan.period_end < today)
        .order_by(ProgrammePlan.period_end.desc(), ProgrammePlan.id.desc())
        .limit(1)
    )


def get_plan(plan_id: int) -> ProgrammePlan:
    plan = db.session.get(ProgrammePlan, plan_id)
    if plan is None:
        raise NotFound(_("No such plan."))
    return plan


def save_plan(actor: User, plan_id: int | None, typed: PlanFields) -> ProgrammePlan:
    """Record a new plan (``plan_id`` None) or change one; refused, changing nothing, when a
    value is missing or impossible (an end before the start, a share above 100 %, a range whose
    low end is above its high end, a number another plan has)."""
    plan = get_plan(plan_id) if plan_id is not None else None
    values = _clean(typed)
    taken = db.session.scalar(
        select(ProgrammePlan.id).where(
            ProgrammePlan.number == values["number"],
            ProgrammePlan.id != (plan.id if plan else -1),
        )
    )
    if taken:
        raise OfficeError(
            _("Plan %(number)s is already recorded.", number=values["number"]), "number"
        )
    before = snapshot(plan) if plan else None
    if plan is None:
        plan = ProgrammePlan(showrooms_per_district=0, **values)
        db.session.add(plan)
    else:
        for name, value in values.items():
            setattr(plan, name, value)
    db.session.flush()
    record(
        actor,
        AuditArea.REGISTER,
        "plan.edited" if before else "plan.created",
        _label(plan),
        before=before,
        after=snapshot(plan),
    )
    return plan


def _clean(typed: PlanFields) -> dict:
    def count(name: str, label: str) -> int:
        return fields.whole_number(getattr(typed, name), name, label, 0, MAX_TARGET)

    def share(name: str, label: str) -> int:
        return fields.whole_number(getattr(typed, name), name, label, 0, 100)

    values = fields.clean(
        {
            "number": lambda: fields.text(typed.number, "number", _("Plan number"), max_len=64),
            "title": lambda: fields.text(typed.title, "title", _("Title"), max_len=300),
            "period_start": lambda: fields.day(
                typed.period_start, "period_start", _("From"), required=True
            ),
            "period_end": lambda: fields.day(
                typed.period_end, "period_end", _("To"), required=True
            ),
            "products_3_star_plus": lambda: count(
                "products_3_star_plus", _("Products with 3 stars or more")
            ),
            "products_5_star": lambda: count("products_5_star", _("Products with 5 stars")),
            "cooperative_share_pct": lambda: share(
                "cooperative_share_pct", _("Cooperatives among producers (%)")
            ),
            "sme_share_pct": lambda: share(
                "sme_share_pct", _("Enterprises (SMEs) among producers (%)")
            ),
            "modern_channels_low_pct": lambda: share(
                "modern_channels_low_pct", _("Producers in modern channels, from (%)")
            ),
            "modern_channels_high_pct": lambda: share(
                "modern_channels_high_pct", _("Producers in modern channels, to (%)")
            ),
        }
    )
    if values["period_end"] <= values["period_start"]:
        raise OfficeError(_("The plan must end after it begins."), "period_end")
    if values["modern_channels_low_pct"] > values["modern_channels_high_pct"]:
        raise OfficeError(
            _("The range's low end is above its high end."), "modern_channels_high_pct"
        )
    return values


def set_unit_target(
    actor: User, plan_id: int, region_code: str, indicator: str, target: object, today: date
) -> PlanUnitTarget | None:
    """Set the plan's target for one unit of today (0 removes it). Refused for a unit that no
    longer exists on ``today`` (an abolished district: set the target for the unit that
    succeeded it) and for an indicator the plan does not measure per unit."""
    plan = get_plan(plan_id)
    if indicator not in UNIT_INDICATORS:
        raise OfficeError(_("Choose what the target counts."), "indicator")
    region = db.session.scalar(select(Region).where(Region.code == (region_code or "")))
    if region is None:
        raise OfficeError(_("Choose a unit."), "region")
    if not region.is_current(today):
        raise OfficeError(
            _(
                "%(unit)s no longer exists: set the target for the unit of today it became "
                "part of.",
                unit=region.name,
            ),
            "region",
        )
    value = fields.whole_number(target, "target", _("Target"), 0, MAX_TARGET)
    existing = db.session.scalar(
        select(PlanUnitTarget).where(
            PlanUnitTarget.plan_id == plan.id,
            PlanUnitTarget.region_id == region.id,
            PlanUnitTarget.indicator == indicator,
        )
    )
    before = {"unit": region.name, indicator: existing.target} if existing else None
    if value == 0:
        if existing is not None:
            db.session.delete(existing)
        result = None
    else:
        if existing is None:
            existing = PlanUnitTarget(plan_id=plan.id, region_id=region.id, indicator=indicator)
            db.session.add(existing)
        existing.target = value
        result = existing
    db.session.flush()
    record(
        actor,
        AuditArea.REGISTER,
        "plan.target_set",
        _label(plan),
        before=before,
        after={"unit": region.name, indicator: value},
    )
    return result


def snapshot(plan: ProgrammePlan) -> dict:
    values = asdict(PlanFields())
    out = {name: getattr(plan, name) for name in values}
    out["period_start"] = plan.period_start.isoformat()
    out["period_end"] = plan.period_end.isoformat()
    return out


def _label(plan: ProgrammePlan) -> str:
    return f"{plan.title} ({plan.number})"
