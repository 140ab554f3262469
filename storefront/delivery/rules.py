"""The office sets the delivery fee rules (storefront.delivery.fees reads them)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from storefront.accounts.models import User
from storefront.audit.models import AuditArea
from storefront.audit.services import record
from storefront.delivery.models import DeliveryRate, Zone
from storefront.domain import NotAllowed, NotFound, Refused
from storefront.extensions import db

# zone, up to grams, fee in đồng, days: a starting table in line with what the national carriers
# ask for a parcel, loaded by the demo (the office sets its own at /office/giao-hang).
STARTING_RATES = (
    (Zone.SAME_PROVINCE, 1000, 22000, 1, 2),
    (Zone.SAME_PROVINCE, 3000, 30000, 1, 2),
    (Zone.SAME_PROVINCE, 5000, 38000, 1, 3),
    (Zone.SAME_PROVINCE, 10000, 55000, 2, 3),
    (Zone.SAME_REGION, 1000, 30000, 2, 3),
    (Zone.SAME_REGION, 3000, 40000, 2, 4),
    (Zone.SAME_REGION, 5000, 52000, 2, 4),
    (Zone.SAME_REGION, 10000, 75000, 3, 5),
    (Zone.NATIONWIDE, 1000, 38000, 3, 5),
    (Zone.NATIONWIDE, 3000, 52000, 3, 6),
    (Zone.NATIONWIDE, 5000, 68000, 4, 6),
    (Zone.NATIONWIDE, 10000, 98000, 4, 7),
)
MAX_GRAMS = 100_000
MAX_FEE = 5_000_000
MAX_DAYS = 60


@dataclass(frozen=True)
class RateFields:
    zone: str
    max_grams: int
    fee_vnd: int
    days_min: int
    days_max: int


def _office_only(actor: User) -> None:
    if actor.role != "office":
        raise NotAllowed(_("Only the OCOP office sets delivery fees."))


def _snapshot(rate: DeliveryRate) -> dict:
    return {
        "zone": rate.zone,
        "max_grams": rate.max_grams,
        "fee_vnd": rate.fee_vnd,
        "days": f"{rate.days_min}-{rate.days_max}",
    }


def set_rate(actor: User, fields: RateFields) -> DeliveryRate:
    """Add the band, or change the one of the same zone and weight. Refuses an unknown zone,
    a weight, fee or day count out of range, and days in the wrong order."""
    _office_only(actor)
    if fields.zone not in set(Zone):
        raise Refused(_("Choose a zone."))
    if not 0 < fields.max_grams <= MAX_GRAMS:
        raise Refused(_("The weight band is from 1 g to %(n)d g.", n=MAX_GRAMS))
    if not 0 <= fields.fee_vnd <= MAX_FEE:
        raise Refused(_("The fee is from 0 to %(n)d đồng.", n=MAX_FEE))
    if not 0 <= fields.days_min <= fields.days_max <= MAX_DAYS:
        raise Refused(_("Days: the fewest first, at most %(n)d.", n=MAX_DAYS))
    rate = db.session.scalar(
        select(DeliveryRate).where(
            DeliveryRate.zone == fields.zone, DeliveryRate.max_grams == fields.max_grams
        )
    )
    before = _snapshot(rate) if rate is not None else None
    if rate is None:
        rate = DeliveryRate(zone=fields.zone, max_grams=fields.max_grams)
        db.session.add(rate)
    rate.fee_vnd, rate.days_min, rate.days_max = fields.fee_vnd, fields.days_min, fields.days_max
    db.session.flush()
    record(
        actor,
        AuditArea.REGISTER,
        "delivery_rate.set",
        f"{fields.zone} ≤ {fields.max_grams} g",
        before=before,
        after=_snapshot(rate),
    )
    return rate


def delete_rate(actor: User, rate_id: int) -> None:
    _office_only(actor)
    rate = db.session.get(DeliveryRate, rate_id)
    if rate is None:
        raise NotFound(_("No such delivery fee rule."))
    record(
        actor,
        AuditArea.REGISTER,
        "delivery_rate.deleted",
        f"{rate.zone} ≤ {rate.max_grams} g",
        before=_snapshot(rate),
    )
    db.session.delete(rate)
    db.session.flush()


def load_starting_rates() -> int:
    """The starting table, where the office has set no rule yet (the demo). Returns how many
    rules were added."""
    if db.session.scalar(select(DeliveryRate.id).limit(1)) is not None:
        return 0
    db.session.add_all(
        DeliveryRate(zone=z, max_grams=g, fee_vnd=f, days_min=a, days_max=b)
        for z, g, f, a, b in STARTING_RATES
    )
    db.session.flush()
    return len(STARTING_RATES)
