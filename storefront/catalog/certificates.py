"""The programme's certificate rules: score bands and the 36-month validity."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
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


@dataclass(frozen=True)
class CertificationRules:
    """Who usually certified each star level while one Prime Minister's decision was in force."""

    decision: str
    in_force_from: date
    usual_levels: dict[int, str]


# The one table of the rules by period (DESIGN.md). The level of a real decision is data: these
# rules say what was usual, to warn about a typing mistake, never to refuse what a decision says.
RULES_BY_PERIOD = (
    # Before 1048 (the programme's first year, Decision 490/QĐ-TTg of 2018) the same split held.
    CertificationRules(
        "1048/QĐ-TTg", date(2018, 1, 1), {3: "province", 4: "province", 5: "national"}
    ),
    CertificationRules(
        "148/QĐ-TTg", date(2023, 2, 24), {3: "district", 4: "province", 5: "national"}
    ),
    # Districts were abolished on 1 July 2025.
    CertificationRules(
        "1489/QĐ-TTg", date(2025, 7, 1), {3: "province", 4: "province", 5: "national"}
    ),
)
REFORM_DAY = RULES_BY_PERIOD[-1].in_force_from


def rules_on(day: date) -> CertificationRules:
    """The rules in force on ``day`` (the first period's for an earlier day)."""
    current = RULES_BY_PERIOD[0]
    for rules in RULES_BY_PERIOD:
        if rules.in_force_from <= day:
            current = rules
    return current


def usual_level(stars: int, issued_on: date) -> str:
    """The level that usually certified ``stars`` on ``issued_on``."""
    return rules_on(issued_on).usual_levels[stars]


def level_is_unusual(level: str, stars: int, issued_on: date) -> bool:
    """Whether a decision's certifying level differs from what its period's rules say."""
    return level != usual_level(stars, issued_on)
