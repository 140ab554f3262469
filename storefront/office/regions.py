"""Administrative units as the office keeps them: add units, set valid_to and the successor when
a reform abolishes or merges them, import a tree from CSV. A unit can never be its own ancestor
or its own successor, however many steps away."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from storefront.accounts.models import User
from storefront.audit.models import AuditArea
from storefront.audit.services import record
from storefront.collation import sort_key
from storefront.extensions import db
from storefront.labels import REGION_KIND_NAMES
from storefront.office import fields
from storefront.office.csvfiles import RowError, read_rows
from storefront.office.errors import NotFound, OfficeError
from storefront.register.models import Region

KINDS = ("province", "city", "district", "town", "commune", "ward")
KIND_NAMES = REGION_KIND_NAMES
CSV_COLUMNS = ("code", "name", "kind")
CSV_OPTIONAL = ("parent", "valid_from", "valid_to", "successor", "note")


@dataclass
class RegionFields:
    code: str = ""
    name: str = ""
    kind: str = ""
    parent: str = ""
    valid_from: object = None
    valid_to: object = None
    successor: str = ""
    note: str = ""


def list_regions() -> list[Region]:
    """The programme's own units (the country's, for delivery, are synced from a package)."""
    return list(
        db.session.scalars(select(Region).where(Region.source.is_(None)).order_by(Region.code))
    )


def tree(regions: list[Region]) -> list[tuple[Region, int]]:
    """(unit, depth) in tree order, roots first, for the regions page."""
    children: dict[int | None, list[Region]] = {}
    for region in regions:
        children.setdefault(region.parent_id, []).append(region)
    ordered: list[tuple[Region, int]] = []
    seen: set[int] = set()

    def walk(parent_id: int | None, depth: int) -> None:
        for region in sorted(
            children.get(parent_id, []), key=lambda r: (r.kind != "province", sort_key(r.name))
        ):
            if region.id not in seen:
                seen.add(region.id)
                ordered.append((region, depth))
                walk(region.id, depth + 1)

    walk(None, 0)
    ordered += [(r, 0) for r in regions if r.id not in seen]  # only in broken data
    return ordered


def get_region(code: str) -> Region:
    region = db.session.scalar(select(Region).where(Region.code == code))
    if region is None:
        raise NotFound(_("No such administrative unit."))
    return region


def add_region(actor: User, data: RegionFields) -> Region:
    values = _clean(data, _known())
    if values["code"] in _known():
        raise OfficeError(_("Another unit has the code %(code)s.", code=values["code"]), "code")
    region = Region(**values)
    db.session.add(region)
    db.session.flush()
    record(actor, AuditArea.REGISTER, "region.added", _label(region), after=_snapshot(region))
    return region


def update_region(actor: User, code: str, data: RegionFields) -> Region:
    """Edit a unit: typically set valid_to and the successor when a reform abolishes it."""
    region = get_region(code)
    known = _known()
    values = _clean(data, known)
    if values["code"] != region.code and values["code"] in known:
        raise OfficeError(_("Another unit has the code %(code)s.", code=values["code"]), "code")
    before = _snapshot(region)
    parents = {r.id: r.parent_id for r in known.values()}
    successors = {r.id: r.successor_id for r in known.values()}
    parents[region.id] = values["parent"].id if values["parent"] else None
    successors[region.id] = values["successor"].id if values["successor"] else None
    if _has_cycle(parents, region.id):
        raise OfficeError(_("A unit cannot lie inside itself."), "parent")
    if _has_cycle(successors, region.id):
        raise OfficeError(
            _("A unit cannot succeed itself, directly or through others."), "successor"
        )
    for name, value in values.items():
        setattr(region, name, value)
    db.session.flush()
    if _snapshot(region) != before:
        record(
            actor,
            AuditArea.REGISTER,
            "region.edited",
            _label(region),
            before=before,
            after=_snapshot(region),
        )
    return region


def import_regions(actor: User, data: bytes) -> tuple[int, int, list[RowError]]:
    """Add or update units from a CSV file (columns code, name, kind, and optionally parent,
    valid_from, valid_to, successor, note). Parents and successors may be in the file or in the
    register. Every row is checked first; one bad row or a cycle and nothing changes.
    Returns (added, updated, errors)."""
    rows = read_rows(data, CSV_COLUMNS, CSV_OPTIONAL)
    known = _known()
    cleaned, errors = _clean_rows(rows, known)
    if errors:
        return 0, 0, errors
    errors = _cycles_after_import(known, cleaned)
    if errors:
        return 0, 0, errors
    added, updated = _apply_import(actor, known, cleaned)
    return added, updated, []


def _clean_rows(rows: list[dict], known: dict[str, Region]) -> tuple[list, list[RowError]]:
    """Each row's values, checked; a code twice in the file is an error on its later rows."""
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for row in rows:
        code = row["code"].strip().upper()
        if code in seen:
            errors.append(
                RowError(
                    row["_row"],
                    "code",
                    _("Code %(code)s is also on row %(row)d.", code=code, row=seen[code]),
                )
            )
        seen[code] = row["_row"]
    in_file = {code: Region(code=code) for code in seen}
    lookup = known | {k: v for k, v in in_file.items() if k not in known}
    cleaned = []
    for row in rows:
        try:
            cleaned.append(
                (
                    row,
                    _clean(
                        RegionFields(**{k: row.get(k, "") for k in CSV_COLUMNS + CSV_OPTIONAL}),
                        lookup,
                    ),
                )
            )
        except OfficeError as error:
            errors.append(RowError(row["_row"], error.field or "", str(error)))
    return cleaned, errors


def _cycles_after_import(known: dict[str, Region], cleaned: list) -> list[RowError]:
    """Cycles over the tree as it would be after the import."""
    errors: list[RowError] = []
    parents = {code: (r.parent.code if r.parent else None) for code, r in known.items()}
    successors = {code: (r.successor.code if r.successor else None) for code, r in known.items()}
    for _row, values in cleaned:
        parents[values["code"]] = values["parent"].code if values["parent"] else None
        successors[values["code"]] = values["successor"].code if values["successor"] else None
    for row, values in cleaned:
        if _has_cycle(parents, values["code"]):
            errors.append(RowError(row["_row"], "parent", _("A unit cannot lie inside itself.")))
        if _has_cycle(successors, values["code"]):
            errors.append(
                RowError(
                    row["_row"],
                    "successor",
                    _("A unit cannot succeed itself, directly or through others."),
                )
            )
    return errors


def _apply_import(actor: User, known: dict[str, Region], cleaned: list) -> tuple[int, int]:
    """Write the checked rows: first every unit, then the links between them. Returns
    (added, updated)."""
    added = updated = 0
    made: dict[str, Region] = {}
    for _row, values in cleaned:
        region = known.get(values["code"])
        if region is None:
            region = Region(code=values["code"], name=values["name"], kind=values["kind"])
            db.session.add(region)
            added += 1
        else:
            updated += 1
        made[values["code"]] = region
    db.session.flush()
    known_ids = {r.id for r in known.values()}
    for _row, values in cleaned:
        region = made[values["code"]]
        before = _snapshot(region) if region.id in known_ids else None
        for name, value in values.items():
            if name in ("parent", "successor") and value is not None:
                value = made.get(value.code) or known[value.code]
            setattr(region, name, value)
        db.session.flush()
        after = _snapshot(region)
        if after != before:
            record(
                actor,
                AuditArea.REGISTER,
                "region.imported",
                _label(region),
                before=before,
                after=after,
            )
    return added, updated


def _known() -> dict[str, Region]:
    return {r.code: r for r in db.session.scalars(select(Region))}


def _clean(data: RegionFields, known: dict[str, Region]) -> dict:
    code = fields.code(data.code)
    kind = (data.kind or "").strip().lower()
    if kind not in KINDS:
        raise OfficeError(
            _("Unknown kind %(value)s; use one of: %(kinds)s", value=kind, kinds=", ".join(KINDS)),
            "kind",
        )
    parent = fields.region(
        (data.parent or "").strip().upper(), "parent", required=False, known=known
    )
    successor = fields.region(
        (data.successor or "").strip().upper(), "successor", required=False, known=known
    )
    valid_from = fields.day(data.valid_from, "valid_from", _("Valid from"))
    valid_to = fields.day(data.valid_to, "valid_to", _("Valid to"))
    if valid_from and valid_to and valid_to < valid_from:
        raise OfficeError(_("A unit cannot end before it begins."), "valid_to")
    if successor is not None and valid_to is None:
        raise OfficeError(
            _("A unit with a successor needs the day it ended (valid to)."), "valid_to"
        )
    if parent is not None and parent.code == code:
        raise OfficeError(_("A unit cannot lie inside itself."), "parent")
    if successor is not None and successor.code == code:
        raise OfficeError(
            _("A unit cannot succeed itself, directly or through others."), "successor"
        )
    return {
        "code": code,
        "name": fields.text(data.name, "name", _("Name"), min_len=2, max_len=200),
        "kind": kind,
        "parent": parent,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "successor": successor,
        "note": fields.text(data.note, "note", _("Note"), required=False, max_len=2000),
    }


def _has_cycle(links: dict, start: object) -> bool:
    """Whether following ``links`` from ``start`` comes back to a unit already passed."""
    seen = set()
    current = start
    while current is not None:
        if current in seen:
            return True
        seen.add(current)
        current = links.get(current)
    return False


def _snapshot(region: Region) -> dict:
    return {
        "code": region.code,
        "name": region.name,
        "kind": region.kind,
        "parent": region.parent.code if region.parent else None,
        "valid_from": region.valid_from.isoformat() if region.valid_from else None,
        "valid_to": region.valid_to.isoformat() if region.valid_to else None,
        "successor": region.successor.code if region.successor else None,
        "note": region.note,
    }


def _label(region: Region) -> str:
    return f"{region.name} ({region.code})"
