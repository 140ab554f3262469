"""The programme's certificate rules: score bands and the 36-month validity."""

from __future__ import annotations

import calendar
from datetime import date

VALIDITY_MONTHS = 36
# Score bands out of 100 → stars (below 50 is not certified).
STAR_BANDS = ((90, 5), (70, 4), (50, 3))


def expiry_date(issued_on: date, months: int = VALIDITY_MONTHS) -> date:
    """The day a certificate stops being valid: ``months`` after its date (clamped to the
    month's last day, so 29/02 + 36 months is 28/02)."""
    month_index = issued_on.month - 1 + months
    year, month = issued_on.year + month_index // 12, month_index % 12 + 1
    day = min(issued_on.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def stars_for_score(score: int) -> int | None:
    """Stars earned by a score, or None below the 50 points needed for certification."""
    for floor, stars in STAR_BANDS:
        if score >= floor:
            return stars
    return None


# Decision 1489/QĐ-TTg: from this day the province certifies 3★ and 4★; before it the district
# certified 3★ and the province 4★. 5★ is always the national council's.
REFORM_DAY = date(2025, 7, 1)


def certifying_levels(stars: int, issued_on: date) -> tuple[str, ...]:
    """The levels that may certify ``stars`` on ``issued_on``."""
    if stars == 5:
        return ("national",)
    if issued_on >= REFORM_DAY:
        return ("province",)
    return ("district",) if stars == 3 else ("province",)
