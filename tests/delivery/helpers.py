"""A few of today's national units (as `flask regions sync` loads them) and fee bands, for the
delivery tests; the full 3,355 units are loaded by tests/delivery/test_national_regions.py."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from storefront.delivery import rules
from storefront.delivery.models import Zone
from storefront.extensions import db
from storefront.register import national
from storefront.register.models import Region
from tests.factories import make_region, make_user

UNITS = [
    national.Unit("VN-01", "Thành phố Hà Nội", "province", None),
    national.Unit("VN-00070", "Phường Hoàn Kiếm", "ward", "VN-01"),
    national.Unit("VN-00004", "Phường Ba Đình", "ward", "VN-01"),
    national.Unit("VN-22", "Quảng Ninh", "province", None),
    national.Unit("VN-06640", "Phường Hạ Long", "ward", "VN-22"),
    national.Unit("VN-51", "Quảng Ngãi", "province", None),
    national.Unit("VN-23293", "Phường Kon Tum", "ward", "VN-51"),
    national.Unit("VN-79", "Thành phố Hồ Chí Minh", "province", None),
    national.Unit("VN-26734", "Phường Sài Gòn", "ward", "VN-79"),
]

# zone: (up to grams, fee, days min, days max)
BANDS = {
    Zone.SAME_PROVINCE: [(1000, 20_000, 1, 2), (3000, 28_000, 1, 2)],
    Zone.SAME_REGION: [(1000, 30_000, 2, 3), (3000, 40_000, 2, 4)],
    Zone.NATIONWIDE: [(1000, 38_000, 3, 5), (3000, 52_000, 3, 6)],
}


def load_units() -> dict[str, Region]:
    national.sync(date(2026, 11, 30), UNITS)
    db.session.commit()
    return {r.code: r for r in db.session.scalars(select(Region))}


def kon_tum_district() -> Region:
    """Where the programme's producers are registered: a district of Kon Tum, abolished with the
    province, whose successor is the programme's Quảng Ngãi."""
    quang_ngai = make_region("QNG", "Quảng Ngãi", valid_from=date(2025, 7, 1))
    kon_tum = make_region("KT", "Kon Tum", valid_to=date(2025, 6, 30), successor=quang_ngai)
    return make_region(
        "KT-DG", "Huyện Đăk Glei", kind="district", parent=kon_tum, valid_to=date(2025, 6, 30)
    )


def set_bands() -> None:
    office = make_user(role="office")
    for zone, bands in BANDS.items():
        for grams, fee, low, high in bands:
            rules.set_rate(office, rules.RateFields(zone, grams, fee, low, high))
    db.session.commit()
