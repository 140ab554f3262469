"""Administrative units as data: which units a filter by one unit covers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from sqlalchemy import select

from storefront.collation import by_name, sort_key
from storefront.extensions import db
from storefront.register import generation
from storefront.register.models import Region


@dataclass(frozen=True)
class RegionOption:
    code: str
    name: str
    kind: str
    current: bool
    valid_to: date | None


class LinkedUnit(Protocol):
    """What covered_region_ids reads of a unit (a Region, or a UnitLink)."""

    @property
    def id(self) -> int: ...
    @property
    def code(self) -> str: ...
    @property
    def parent_id(self) -> int | None: ...
    @property
    def successor_id(self) -> int | None: ...


@dataclass(frozen=True)
class UnitLink:
    """A unit's place among the others (below which, merged into which), without the rest."""

    id: int
    code: str
    parent_id: int | None
    successor_id: int | None


@dataclass(frozen=True)
class FilterChoices:
    """The catalogue's area filter: the units it accepts and how they link, and the options."""

    units: tuple[UnitLink, ...]
    options: tuple[RegionOption, ...]

    @property
    def codes(self) -> set[str]:
        return {unit.code for unit in self.units}


def covered_region_ids(regions: Iterable[LinkedUnit], code: str) -> set[int]:
    """Every unit a filter by ``code`` should find: the unit, all units below it, and every
    unit that was merged into one of those (with all units below that), however many reforms
    ago. So a filter by today's province still finds products made in its abolished districts."""
    children: dict[int | None, list[LinkedUnit]] = defaultdict(list)
    predecessors: dict[int, list[LinkedUnit]] = defaultdict(list)
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


def filter_choices(today: date) -> FilterChoices:
    """The area filter's units and options, read and sorted once per catalogue generation and
    day (every page of the catalogue shows them; a change to the units moves the generation)."""

    def read() -> FilterChoices:
        regions = all_regions()
        units = tuple(UnitLink(r.id, r.code, r.parent_id, r.successor_id) for r in regions)
        return FilterChoices(units, tuple(filter_options(regions, today)))

    return generation.remembered(f"catalogue-area-filter:{today.isoformat()}", read)
