"""Time as the shop reads it: instants in UTC (stored), dates by the calendar of Vietnam
(certificates are valid by it)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SHOP_TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def today() -> date:
    return datetime.now(SHOP_TIMEZONE).date()


def local_now() -> datetime:
    """Now on the clocks of Vietnam (opening hours are read by them)."""
    return datetime.now(SHOP_TIMEZONE)


def utcnow() -> datetime:
    """Now, as stored: an aware UTC datetime."""
    return datetime.now(UTC)


def start_of_day(day: date) -> datetime:
    """Midnight in Vietnam at the start of ``day``, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=SHOP_TIMEZONE)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """A calendar day in Vietnam as an interval of aware datetimes [start, end)."""
    start = start_of_day(day)
    return start, start + timedelta(days=1)


def parse_day(raw: object) -> date | None:
    """A day from a query string or form (``2026-11-30``, anything after the tenth character
    ignored); None for anything else. The one reader of date arguments."""
    try:
        return date.fromisoformat(str(raw or "")[:10])
    except ValueError:
        return None
