"""Administrative units as data: which units a filter by one unit covers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from storefront.collation import by_name, sort_key
from storefront.extensions import db
from storefront.register.models import Region


@dataclass(frozen=True)
class RegionOption:
    code: str
    name: str
    kind: str
    current: bool
    valid_to: date | None


def covered_region_ids(regions: list[Region], code: str) -> set[int]:
    """Every unit a filter by ``code`` should find: the unit, all units below it, and every
    unit that was merged into one of those (with all units below that), however many reforms
    ago. So a filter by today's province still finds products made in its abolished districts."""
    children: dict[int | None, list[Region]] = defaultdict(list)
    predecessors: dict[int, list[Region]] = defaultdict(list)
    start = None
    for region in regions:
        children[region.parent_id].append(region)
        if region.successor_id is not None:
            predecessors[region.successor_id].append(region)
        if region.code == code:
            start = region
    if start is None:
        return set()
    covered: set[int] = set()
    pending = [start]
    while pending:
        region = pending.pop()
        if region.id in covered:
            continue  # a cycle in bad data must not loop forever
        covered.add(region.id)
        pending.extend(children[region.id])
        pending.extend(predecessors[region.id])
    return covered


def all_regions() -> list[Region]:
    """The programme's own units, with their history (the country's units since 2025, loaded
    for delivery addresses by `flask regions sync`, are kept apart: Region.source), in
    Vietnamese order."""
    return by_name(
        db.session.scalars(select(Region).where(Region.source.is_(None))), lambda r: r.name
    )


def filter_options(regions: list[Region], today: date) -> list[RegionOption]:
    """Units worth offering in a filter: provinces, cities and districts (not every ward);
    today's units first, then the abolished ones."""
    wanted = [r for r in regions if r.kind in ("province", "city", "district")]
    wanted.sort(key=lambda r: (not r.is_current(today), r.kind != "province", sort_key(r.name)))
    return [RegionOption(r.code, r.name, r.kind, r.is_current(today), r.valid_to) for r in wanted]
