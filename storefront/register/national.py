"""Vietnam's administrative units as they are since 1 July 2025 (34 provinces and cities, 3,321
communes, wards and special zones, with the General Statistics Office's codes), from the
maintained ``vietnam-provinces`` package, kept in the regions table beside the programme's own
units (``Region.source``), which keep their own history and successors.

``sync`` makes the table say what the installed package says: it adds units, renames them, moves
a commune to another province, and closes (``valid_to``) a unit the package no longer lists; it
never deletes one, since orders and saved addresses point at them. A second run changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from storefront.extensions import db
from storefront.register.models import NATIONAL_SOURCE, Region

REFORM_DAY = date(2025, 7, 1)  # Resolution 202/2025/QH15: two tiers, 34 provinces
PROVINCE_PREFIX = "VN-"
KINDS = {
    "tỉnh": "province",
    "thành phố trung ương": "province",
    "xã": "commune",
    "phường": "ward",
    "đặc khu": "special_zone",
}


def province_code(number: int) -> str:
    return f"{PROVINCE_PREFIX}{number:02d}"


def commune_code(number: int) -> str:
    return f"{PROVINCE_PREFIX}{number:05d}"


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    kind: str
    parent_code: str | None


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.renamed or self.moved or self.closed)

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.renamed)} renamed, {len(self.moved)} moved, "
            f"{len(self.closed)} closed, {self.unchanged} unchanged"
        )


def package_version() -> str:
    import vietnam_provinces

    version, day = vietnam_provinces.__version__, vietnam_provinces.__data_version__
    return f"vietnam-provinces {version} (data of {day})"


def package_units() -> list[Unit]:
    """Every unit the installed package lists: provinces first, then communes."""
    from vietnam_provinces import Province, Ward

    units = [
        Unit(province_code(int(p.code)), p.name, KINDS[p.division_type.value], None)
        for p in Province.iter_all()
    ]
    units += [
        Unit(
            commune_code(int(w.code)),
            w.name,
            KINDS[w.division_type.value],
            province_code(int(w.province_code)),
        )
        for w in Ward.iter_all()
    ]
    return units


def sync(
    today: date, units: list[Unit] | None = None, progress: Callable[[str], None] = lambda m: None
) -> SyncReport:
    """Make the national units in the table match ``units`` (the package's, by default), in the
    caller's transaction (the caller commits). Returns what changed."""
    units = package_units() if units is None else units
    progress(f"{len(units)} units in {package_version()}")
    existing = {
        r.code: r
        for r in db.session.scalars(select(Region).where(Region.source == NATIONAL_SOURCE))
    }
    taken = set(db.session.scalars(select(Region.code).where(Region.source.is_(None))))
    report = SyncReport()
    by_code: dict[str, Region] = {}
    for unit in units:
        if unit.code in taken:
            raise ValueError(f"{unit.code} is one of the programme's own units")
        region = existing.get(unit.code)
        if region is None:
            region = Region(
                code=unit.code,
                name=unit.name,
                kind=unit.kind,
                valid_from=REFORM_DAY,
                source=NATIONAL_SOURCE,
            )
            db.session.add(region)
            report.added.append(unit.code)
        else:
            if region.name != unit.name or region.kind != unit.kind:
                report.renamed.append(f"{unit.code}: {region.name} → {unit.name}")
                region.name, region.kind = unit.name, unit.kind
            elif region.valid_to is None:
                report.unchanged += 1
            if region.valid_to is not None:  # listed again
                region.valid_to = None
                report.added.append(unit.code)
        by_code[unit.code] = region
    db.session.flush()
    progress(f"{len(report.added)} units added")
    for unit in units:
        region = by_code[unit.code]
        parent_id = by_code[unit.parent_code].id if unit.parent_code else None
        if region.parent_id != parent_id:
            if region.parent_id is not None:
                report.moved.append(unit.code)
            region.parent_id = parent_id
    listed = set(by_code)
    for code, region in existing.items():
        if code not in listed and region.valid_to is None:
            region.valid_to = max(today - timedelta(days=1), REFORM_DAY)
            report.closed.append(f"{code}: {region.name}")
    db.session.flush()
    progress(report.summary())
    return report


def is_national(region: Region) -> bool:
    return region.source == NATIONAL_SOURCE
