"""The audit log as people read it: every event named in words ("Price change", "Đổi giá"), each
field by its label, money, dates, stars and states formatted, the system named as such. The raw
record (the event's key and its JSON) stays in the table for the office's "raw record" page and
the CSV; pages show what ``describe`` returns."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext

from storefront.audit.models import AuditArea, AuditEntry
from storefront.formatting import format_day, format_vnd
from storefront.labels import (
    CERTIFICATE_STATE_NAMES,
    GROUP_NAMES,
    LEGAL_FORM_NAMES,
    LEVEL_NAMES,
    REGION_KIND_NAMES,
    REVIEW_STATUS_NAMES,
    ROLE_NAMES,
)

SYSTEM = "system"

EVENT_NAMES = {
    "certificate.issued": _l("Certificate issued"),
    "certificate.reevaluated": _l("Re-evaluation"),
    "certificate.revoked": _l("Certificate revoked"),
    "certificate.expired": _l("Certificate expired"),
    "certificate.recorded_history": _l("Past decision recorded"),
    "certificate.scan_attached": _l("Decision scan attached"),
    "price.changed": _l("Price change"),
    "stock.corrected": _l("Stock counted"),
    "producer.created": _l("Producer registered"),
    "producer.edited": _l("Producer edited"),
    "producer.activated": _l("Producer reactivated"),
    "producer.deactivated": _l("Producer deactivated"),
    "product.created": _l("Product registered"),
    "product.edited": _l("Product edited"),
    "product.approved": _l("Proposal approved"),
    "product.rejected": _l("Proposal rejected"),
    "product.listed": _l("Product listed again"),
    "product.unlisted": _l("Product unlisted"),
    "region.added": _l("Place added"),
    "region.edited": _l("Place edited"),
    "region.imported": _l("Places imported"),
    "showroom.opened": _l("Showroom opened"),
    "showroom.edited": _l("Showroom edited"),
    "showroom.closed": _l("Showroom closed"),
    "showroom.reopened": _l("Showroom reopened"),
    "plan.created": _l("Plan recorded"),
    "plan.edited": _l("Plan edited"),
    "plan.target_set": _l("Plan target set for a unit"),
    "user.invited": _l("Account created"),
    "user.role_changed": _l("Role changed"),
    "user.activated": _l("Account reactivated"),
    "user.deactivated": _l("Account deactivated"),
}

AREA_NAMES = {
    AuditArea.CERTIFICATE: _l("Certificates"),
    AuditArea.PRICE: _l("Prices"),
    AuditArea.STOCK: _l("Stock counts"),
    AuditArea.ROLE: _l("Accounts and roles"),
    AuditArea.LISTING: _l("Listings"),
    AuditArea.REGISTER: _l("Producers, products, showrooms and places"),
}

FIELD_LABELS = {
    "price_vnd": _l("Price"),
    "quantity": _l("Quantity"),
    "stars": _l("Stars"),
    "score": _l("Score"),
    "level": _l("Level"),
    "decision_number": _l("Decision no."),
    "issued_on": _l("Issued on"),
    "expires_on": _l("Valid until"),
    "status": _l("State"),
    "review_status": _l("Review"),
    "revoked_on": _l("Revoked on"),
    "revoked_reason": _l("Reason"),
    "listed": _l("In the shop"),
    "name": _l("Name"),
    "code": _l("Code"),
    "producer": _l("Producer"),
    "group": _l("Group"),
    "subgroup": _l("Subgroup"),
    "unit": _l("Unit"),
    "description": _l("Description"),
    "ean": _l("EAN barcode"),
    "region": _l("Place"),
    "legal_form": _l("Legal form"),
    "address": _l("Address"),
    "phone": _l("Phone"),
    "email": _l("E-mail"),
    "website": _l("Website"),
    "active": _l("Active"),
    "role": _l("Role"),
    "showroom": _l("Showroom"),
    "kind": _l("Kind"),
    "parent": _l("Part of"),
    "valid_from": _l("Valid from"),
    "valid_to": _l("Valid until"),
    "successor": _l("Became part of"),
    "note": _l("Note"),
    "opening_hours": _l("Opening hours"),
    "decision_scan": _l("Scanned decision"),
    "number": _l("Number"),
    "title": _l("Title"),
    "period_start": _l("From"),
    "period_end": _l("To"),
    "products_3_star_plus": _l("Products with 3 stars or more"),
    "products_5_star": _l("Products with 5 stars"),
    "cooperative_share_pct": _l("Cooperatives among producers (%)"),
    "sme_share_pct": _l("Enterprises (SMEs) among producers (%)"),
    "modern_channels_low_pct": _l("Producers in modern channels, from (%)"),
    "modern_channels_high_pct": _l("Producers in modern channels, to (%)"),
    "certified": _l("Products with 3 stars or more"),
    "showrooms": _l("Open showrooms"),
}

_DAYS = {
    "issued_on",
    "expires_on",
    "revoked_on",
    "valid_from",
    "valid_to",
    "period_start",
    "period_end",
}
_NAMED_VALUES = {
    "status": {**CERTIFICATE_STATE_NAMES, **REVIEW_STATUS_NAMES},
    "review_status": REVIEW_STATUS_NAMES,
    "level": LEVEL_NAMES,
    "group": GROUP_NAMES,
    "legal_form": LEGAL_FORM_NAMES,
    "role": ROLE_NAMES,
    "kind": REGION_KIND_NAMES,
}


@dataclass
class ReadableEntry:
    """One entry as a page shows it."""

    entry: AuditEntry
    event: str  # "Price change"
    actor: str  # a person's name, or "System"
    detail: str  # "160.000 ₫ → 170.000 ₫"; may be empty
    changes: list[tuple[str, str, str]]  # (field label, before, after), formatted


def describe(entry: AuditEntry) -> ReadableEntry:
    before = json.loads(entry.before) if entry.before else {}
    after = json.loads(entry.after) if entry.after else {}
    changed = [
        (key, before.get(key), after.get(key))
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    ]
    readable = [
        (field_label(key), value_text(key, old), value_text(key, new)) for key, old, new in changed
    ]
    return ReadableEntry(
        entry=entry,
        event=event_name(entry.action),
        actor=_("System") if entry.actor_name == SYSTEM else entry.actor_name,
        detail=_detail(entry.action, before, after, readable),
        changes=readable,
    )


def event_name(action: str) -> str:
    """The event in words; an event this list does not know yet is still named in words."""
    if action in EVENT_NAMES:
        return str(EVENT_NAMES[action])
    return action.replace(".", " ").replace("_", " ").capitalize()


def field_label(key: str) -> str:
    if key in FIELD_LABELS:
        return str(FIELD_LABELS[key])
    return key.replace("_", " ").capitalize()


def value_text(key: str, value: object) -> str:
    """A stored value as a person reads it: money in đồng, dates dd/mm/yyyy, names of codes."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return pgettext("true or false", "yes") if value else pgettext("true or false", "no")
    if key.endswith("_vnd") and isinstance(value, int):
        return format_vnd(value)
    if key in _DAYS and isinstance(value, str):
        try:
            return format_day(date.fromisoformat(value))
        except ValueError:
            return value
    if key == "stars":
        return f"{value}★"
    names = _NAMED_VALUES.get(key)
    if names is not None and value in names:
        return str(names[value])
    return str(value)


def _detail(action: str, before: dict, after: dict, changes: list[tuple[str, str, str]]) -> str:
    """The event's one line: the change itself for a price or a count, the decision for a
    certificate, the first fields that changed for an edit."""
    if action in ("price.changed", "stock.corrected"):
        key = "price_vnd" if action == "price.changed" else "quantity"
        return f"{value_text(key, before.get(key))} → {value_text(key, after.get(key))}"
    if action.startswith("certificate.") and after:
        if action == "certificate.reevaluated" and before:
            stars = f"{before.get('stars')}★ → {after.get('stars')}★"
        else:
            stars = f"{after.get('stars')}★"
        return _(
            "%(stars)s, decision %(number)s of %(date)s (%(level)s level)",
            stars=stars,
            number=after.get("decision_number", ""),
            date=value_text("issued_on", after.get("issued_on")),
            level=value_text("level", after.get("level")).lower(),
        )
    if action == "plan.target_set" and after:
        indicator = next((k for k in after if k != "unit"), "")
        target = value_text(indicator, after.get(indicator))
        return f"{after.get('unit', '')}: {field_label(indicator)} {target}"
    if before and changes:
        shown = "; ".join(f"{label}: {old} → {new}" for label, old, new in changes[:3])
        return shown + ("; …" if len(changes) > 3 else "")
    return ""
