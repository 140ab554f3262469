"""A showroom's opening hours as the office writes them, and whether it is open now.

The text is one or more parts separated by ";", each an optional day or range of days (T2…T7,
CN; "T2–T6") followed by one or more times ("7:30–11:30, 13:30–17:00"); a part without days holds
every day. "7:30–17:00", "T2–T6 7:30–11:30, 13:30–17:00; T7 8:00–12:00".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time

DAYS = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")  # Monday first, as datetime.weekday()
_DASH = r"\s*[-–—]\s*"
_TIME = r"(\d{1,2})[:h.](\d{2})"
_SPAN = re.compile(_TIME + _DASH + _TIME)
_DAYS = re.compile(r"(T[2-7]|CN)(?:" + _DASH + r"(T[2-7]|CN))?", re.IGNORECASE)


class UnreadableHours(ValueError):
    """The text is not in the form above (the message says which part)."""


@dataclass(frozen=True)
class OpeningPart:
    days: frozenset[int]
    spans: tuple[tuple[time, time], ...]


def parse(text: str) -> list[OpeningPart]:
    parts = [part.strip() for part in (text or "").split(";") if part.strip()]
    return [_part(part) for part in parts]


def is_open(text: str | None, now: datetime) -> bool | None:
    """Open at ``now`` (a local time)? None when the hours are missing or cannot be read."""
    try:
        parts = parse(text or "")
    except UnreadableHours:
        return None
    if not parts:
        return None
    at = now.time()
    return any(
        now.weekday() in part.days and any(start <= at < end for start, end in part.spans)
        for part in parts
    )


def _part(part: str) -> OpeningPart:
    days = frozenset(range(7))
    found = _DAYS.match(part)
    if found:
        first = DAYS.index(found.group(1).upper())
        last = DAYS.index((found.group(2) or found.group(1)).upper())
        if last < first:
            raise UnreadableHours(part)
        days = frozenset(range(first, last + 1))
        part = part[found.end() :]
    rest = part.strip(" :,")
    spans = []
    for chunk in (c.strip() for c in rest.split(",")):
        match = _SPAN.fullmatch(chunk)
        if not match:
            raise UnreadableHours(chunk or part)
        start, end = _time(*match.group(1, 2)), _time(*match.group(3, 4))
        if end <= start:
            raise UnreadableHours(chunk)
        spans.append((start, end))
    return OpeningPart(days, tuple(spans))


def _time(hours: str, minutes: str) -> time:
    try:
        return time(int(hours), int(minutes))
    except ValueError as error:
        raise UnreadableHours(f"{hours}:{minutes}") from error
