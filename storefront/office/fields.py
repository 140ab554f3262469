"""Checks of one value each, shared by the office's forms and its CSV imports: each returns the
clean value or raises OfficeError naming the field."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any, Literal, overload

from flask_babel import gettext as _
from sqlalchemy import select

from storefront.accounts.services import normalise_email
from storefront.catalog.models import ProductGroup
from storefront.extensions import db
from storefront.folding import fold
from storefront.formatting import web_address
from storefront.numbers import parse_int
from storefront.office.errors import OfficeError
from storefront.register.models import LegalForm, Region

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{1,31}$")
# What the office's spreadsheets call legal forms and groups, folded, besides the codes.
LEGAL_FORM_WORDS = {
    "htx": LegalForm.COOPERATIVE,
    "hop tac xa": LegalForm.COOPERATIVE,
    "tht": LegalForm.COOPERATIVE_GROUP,
    "to hop tac": LegalForm.COOPERATIVE_GROUP,
    "dn": LegalForm.ENTERPRISE,
    "doanh nghiep": LegalForm.ENTERPRISE,
    "cong ty": LegalForm.ENTERPRISE,
    "ho kinh doanh": LegalForm.HOUSEHOLD,
    "hkd": LegalForm.HOUSEHOLD,
    "trang trai": LegalForm.FARM,
}
GROUP_WORDS = {
    "thuc pham": ProductGroup.FOOD,
    "do uong": ProductGroup.DRINKS,
    "duoc lieu": ProductGroup.HERBAL,
    "thao duoc": ProductGroup.HERBAL,
    "thu cong my nghe": ProductGroup.HANDICRAFTS,
    "sinh vat canh": ProductGroup.PLANTS,
    "hoa, cay canh": ProductGroup.PLANTS,
    "du lich": ProductGroup.TOURISM,
    "dich vu du lich": ProductGroup.TOURISM,
}


@overload
def text(
    value: object,
    field: str,
    label: str,
    *,
    required: Literal[True] = ...,
    min_len: int = ...,
    max_len: int = ...,
) -> str: ...
@overload
def text(
    value: object, field: str, label: str, *, required: bool, min_len: int = ..., max_len: int = ...
) -> str | None: ...
def text(value, field: str, label: str, *, required=True, min_len=1, max_len=300) -> str | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise OfficeError(_("%(label)s is required.", label=label), field)
        return None
    if not min_len <= len(value) <= max_len:
        raise OfficeError(
            _(
                "%(label)s must be %(low)d to %(high)d characters.",
                label=label,
                low=min_len,
                high=max_len,
            ),
            field,
        )
    return value


def code(value, field: str = "code") -> str:
    value = (value or "").strip().upper()
    if not CODE_RE.match(value):
        raise OfficeError(
            _("A code is 2 to 32 capital letters, digits, dots, dashes or underscores."), field
        )
    return value


def email(value, field: str = "email", required=False) -> str | None:
    value = (value or "").strip().lower()
    if not value:
        if required:
            raise OfficeError(_("An e-mail address is required."), field)
        return None
    if normalise_email(value) is None:
        raise OfficeError(_("This is not an e-mail address: %(value)s", value=value), field)
    return value


def website(value, field: str = "website") -> str | None:
    """An http:// or https:// address, or nothing."""
    value = (value or "").strip()
    if not value:
        return None
    if web_address(value) is None:
        raise OfficeError(
            _("A website address starts with http:// or https://, e.g. https://htxkora.vn."),
            field,
        )
    return value


def legal_form(value, field: str = "legal_form") -> str:
    raw = (value or "").strip()
    if raw in set(LegalForm):
        return raw
    found = LEGAL_FORM_WORDS.get(fold(raw))
    if found is None:
        raise OfficeError(
            _(
                "Unknown legal form %(value)s; use one of: %(codes)s",
                value=raw,
                codes=", ".join(LegalForm),
            ),
            field,
        )
    return found.value


def group(value, field: str = "group") -> str:
    raw = (value or "").strip()
    if raw in set(ProductGroup):
        return raw
    found = GROUP_WORDS.get(fold(raw))
    if found is None:
        raise OfficeError(
            _(
                "Unknown OCOP group %(value)s; use one of: %(codes)s",
                value=raw,
                codes=", ".join(ProductGroup),
            ),
            field,
        )
    return found.value


def region(value, field: str = "region", required=True, known: dict | None = None) -> Region | None:
    """A region by its code; ``known`` (code → Region) saves a query per CSV row."""
    raw = (value or "").strip()
    if not raw:
        if required:
            raise OfficeError(_("Choose the administrative unit."), field)
        return None
    found = (
        known.get(raw)
        if known is not None
        else db.session.scalar(select(Region).where(Region.code == raw))
    )
    if found is None:
        raise OfficeError(_("No administrative unit with code %(code)s.", code=raw), field)
    return found


@overload
def day(value: object, field: str, label: str, required: Literal[True]) -> date: ...
@overload
def day(value: object, field: str, label: str, required: bool = ...) -> date | None: ...
def day(value, field: str, label: str, required=False) -> date | None:
    if isinstance(value, date):
        return value
    raw = (value or "").strip()
    if not raw:
        if required:
            raise OfficeError(_("%(label)s is required.", label=label), field)
        return None
    for parse in (date.fromisoformat, _dmy):
        try:
            return parse(raw)
        except ValueError:
            continue
    raise OfficeError(
        _("%(label)s: write the date as dd/mm/yyyy or yyyy-mm-dd.", label=label), field
    )


def _dmy(raw: str) -> date:
    parts = raw.split("/")
    if len(parts) != 3 or not all(p.isdecimal() for p in parts):
        raise ValueError(raw)
    return date(int(parts[2]), int(parts[1]), int(parts[0]))


def whole_number(value, field: str, label: str, low: int, high: int) -> int:
    try:
        return parse_int(value, minimum=low, maximum=high)
    except ValueError:
        raise OfficeError(
            _(
                "%(label)s must be a whole number from %(low)d to %(high)d.",
                label=label,
                low=low,
                high=high,
            ),
            field,
        ) from None


class Invalid(OfficeError):
    """Several fields were refused at once: ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        field, message = next(iter(errors.items()))
        super().__init__(message, field)
        self.errors = errors


def clean(checks: dict[str, Callable[[], Any]]) -> dict:
    """Run every check (field → a function returning the clean value) and report all the refused
    fields together, so a form or a CSV row shows every problem at once."""
    values, errors = {}, {}
    for name, check in checks.items():
        try:
            values[name] = check()
        except OfficeError as error:
            errors[error.field or name] = str(error)
    if errors:
        raise Invalid(errors)
    return values
