"""Whole numbers that people type into forms and query strings: counts, quantities, money.

One parser for all of them, so that every field refuses the same things the same way: anything
but ASCII digits (with an optional leading minus), more than MAX_DIGITS digits (Python's int()
fails past 4,300 of them, and no column holds more than 18), and values outside the field's
bounds. The caller turns the refusal into its own form error.
"""

from __future__ import annotations

import re

from storefront.domain import Refused

MAX_DIGITS = 18  # every 18-digit number fits a 64-bit column

# 120000, 120.000, 120,000 or 120 000: groups of three after the first, one separator kind
_GROUPED_RE = re.compile(r"^\d{1,3}(?:([., ])\d{3})(?:\1\d{3})*$", re.ASCII)
_CURRENCY_RE = re.compile(r"(?:₫|đ|đồng|vnd|vnđ)$", re.IGNORECASE)


class InvalidNumber(Refused, ValueError):
    """Typed text that is not the whole number a field wants. A Refused like every refusal of the
    domain, and also a ValueError: that is what ``request.args.get(type=parse_id)`` (werkzeug)
    and ``int()``-style callers treat as "not a number". Its message is the raw text or the
    bounds, for logs: callers put their own translated message on the field."""


class NotAWholeNumber(InvalidNumber):
    """The text is no whole number this shop reads (letters, "1.5", "²", "١٢", 5,000 digits)."""


class OutOfRange(InvalidNumber):
    """A whole number, but outside the field's bounds; ``value`` says which side."""

    def __init__(self, value: int, minimum: int, maximum: int):
        super().__init__(f"{value} is not within {minimum}..{maximum}")
        self.value = value
        self.minimum = minimum
        self.maximum = maximum

    @property
    def too_small(self) -> bool:
        return self.value < self.minimum


def parse_int(raw: object, *, minimum: int = 0, maximum: int) -> int:
    """``raw`` (a str, or an int from JSON) as an int within ``minimum..maximum``.

    Spaces around it are ignored; a leading "-" is read (so "-1" is refused as too small, not as
    garbage), a "+" is not. Raises NotAWholeNumber or OutOfRange (both InvalidNumber, so both
    ValueError)."""
    if isinstance(raw, bool):
        raise NotAWholeNumber(repr(raw))
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw if raw is not None else "").strip()
        digits = text.removeprefix("-")
        if not (digits.isascii() and digits.isdigit()) or len(digits) > MAX_DIGITS:
            raise NotAWholeNumber(text[:40])
        value = int(text)
    if not minimum <= value <= maximum:
        raise OutOfRange(value, minimum, maximum)
    return value


def parse_vnd(raw: object, *, minimum: int = 0, maximum: int) -> int:
    """An amount of đồng as people write it: 120000, 120.000, 120,000, 120 000, with or without
    ₫/đ/VND after it. đồng have no minor unit, so "120000.50" is refused, not rounded."""
    if isinstance(raw, int) or raw is None:
        return parse_int(raw, minimum=minimum, maximum=maximum)
    text = _CURRENCY_RE.sub("", str(raw).strip().replace("\u00a0", " ")).strip()
    if _GROUPED_RE.match(text):
        text = re.sub(r"[.,\s]", "", text)
    return parse_int(text, minimum=minimum, maximum=maximum)


_DECIMAL_RE = re.compile(r"^-?\d{1,3}(?:\.\d{1,8})?$", re.ASCII)


def parse_degrees(raw: object, *, limit: int) -> float:
    """A latitude (``limit`` 90) or longitude (180) in decimal degrees, "14.3545" or "-8.5": ASCII
    digits, a dot, at most 8 decimals, within ±limit. Refused otherwise (``NotAWholeNumber`` for
    the shape, ``OutOfRange`` past the limit)."""
    text = str(raw).strip() if isinstance(raw, str | int | float) else ""
    if not _DECIMAL_RE.match(text):
        raise NotAWholeNumber(text[:40])
    value = float(text)
    if abs(value) > limit:
        raise OutOfRange(int(value), -limit, limit)
    return value
