"""What each producer's parcel costs and how long it takes: the office's rules by destination zone
(same province, same region, nationwide) and weight band. The one place fees are computed: the
product page, the cart, checkout and the order all ask here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from storefront.catalog.models import Product
from storefront.delivery.models import DeliveryRate, Zone
from storefront.delivery.places import bare_name
from storefront.extensions import db
from storefront.folding import fold
from storefront.register.models import NATIONAL_SOURCE, Producer, Region

# A product without a shipping weight is counted as this much per unit.
DEFAULT_WEIGHT_GRAMS = 500
# Days when the office has set no rules (with the flat SHIPPING_FEE_VND).
DEFAULT_DAYS = (2, 5)

# The six socio-economic regions (Resolution 81/2023/QH15) with the 34 provinces of 2025, by
# their statistics-office numbers: a parcel to another province of the same region is "region".
ECONOMIC_REGIONS: dict[str, tuple[int, ...]] = {
    "northern_midlands_mountains": (4, 8, 11, 12, 14, 15, 19, 20, 25),
    "red_river_delta": (1, 22, 24, 31, 33, 37),
    "north_central_coast": (38, 40, 42, 44, 46, 48, 51, 56),
    "central_highlands": (52, 66, 68),
    "southeast": (75, 79, 80),
    "mekong_delta": (82, 86, 91, 92, 96),
}
_REGION_OF = {number: name for name, numbers in ECONOMIC_REGIONS.items() for number in numbers}


@dataclass(frozen=True)
class Quote:
    fee_vnd: int
    days_min: int
    days_max: int
    zone: str | None


@dataclass(frozen=True)
class ParcelQuote:
    producer: Producer
    grams: int
    quote: Quote


def unit_grams(product: Product) -> int:
    return product.shipping_weight_grams or DEFAULT_WEIGHT_GRAMS


def home_province(region: Region | None) -> Region | None:
    """Today's national province of a place: follows successors and parents from the unit a
    producer was registered in ("Huyện Đăk Glei" → "Kon Tum" → "Quảng Ngãi"), then the
    programme's province to the national one of the same name."""
    seen: set[int] = set()
    while region is not None and region.id not in seen:
        seen.add(region.id)
        if region.kind == "province" and region.valid_to is None:
            break
        region = region.successor or region.parent
    if region is None or region.kind != "province":
        return None
    if region.source == NATIONAL_SOURCE:
        return region
    wanted = bare_name(region.name)
    for candidate in db.session.scalars(
        select(Region).where(
            Region.source == NATIONAL_SOURCE, Region.kind == "province", Region.valid_to.is_(None)
        )
    ):
        if bare_name(candidate.name) == wanted or fold(candidate.name) == fold(region.name):
            return candidate
    return None


def _number(province: Region) -> int | None:
    digits = province.code.removeprefix("VN-")
    return int(digits) if digits.isdecimal() else None


def zone_between(origin: Region | None, destination: Region | None) -> str:
    if origin is None or destination is None:
        return Zone.NATIONWIDE
    if origin.id == destination.id:
        return Zone.SAME_PROVINCE
    a, b = _number(origin), _number(destination)
    if (
        a is not None
        and b is not None
        and _REGION_OF.get(a)
        and _REGION_OF.get(a) == _REGION_OF.get(b)
    ):
        return Zone.SAME_REGION
    return Zone.NATIONWIDE


def rates() -> list[DeliveryRate]:
    return list(
        db.session.scalars(select(DeliveryRate).order_by(DeliveryRate.zone, DeliveryRate.max_grams))
    )


def quote(zone: str, grams: int, rules: list[DeliveryRate] | None = None) -> Quote:
    """The fee and days of one parcel of ``grams`` to ``zone``: the lightest band of that zone
    that holds it, the heaviest when none does; the flat SHIPPING_FEE_VND when the office has
    set no rule for the zone."""
    rules = rates() if rules is None else rules
    bands = sorted((r for r in rules if r.zone == zone), key=lambda r: r.max_grams)
    if not bands:
        return Quote(current_app.config["SHIPPING_FEE_VND"], *DEFAULT_DAYS, zone)
    rule = next((r for r in bands if grams <= r.max_grams), bands[-1])
    return Quote(rule.fee_vnd, rule.days_min, rule.days_max, zone)


def parcels(lines: Iterable[tuple[Product, int]], destination: Region | None) -> list[ParcelQuote]:
    """One quote per producer of ``lines`` (product, quantity), to ``destination`` (today's
    province; None: quoted as nationwide, the most it can cost)."""
    weights: dict[int, int] = {}
    producers: dict[int, Producer] = {}
    for product, quantity in lines:
        producers[product.producer_id] = product.producer
        weights[product.producer_id] = (
            weights.get(product.producer_id, 0) + unit_grams(product) * quantity
        )
    rules = rates()
    result = []
    for producer_id, grams in weights.items():
        producer = producers[producer_id]
        zone = zone_between(home_province(producer.region), destination)
        result.append(ParcelQuote(producer, grams, quote(zone, grams, rules)))
    return sorted(result, key=lambda p: p.producer.name)


def total_fee(quotes: list[ParcelQuote]) -> int:
    return sum(p.quote.fee_vnd for p in quotes)


def days_span(quotes: list[ParcelQuote]) -> tuple[int, int] | None:
    if not quotes:
        return None
    return max(p.quote.days_min for p in quotes), max(p.quote.days_max for p in quotes)
