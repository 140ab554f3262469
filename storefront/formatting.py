"""The one place that turns money, dates and stars into text for people."""

from datetime import date, datetime
from urllib.parse import urlsplit

from flask_babel import format_date, format_datetime, format_decimal

MAX_WEB_ADDRESS = 500


def format_vnd(amount: int | None) -> str:
    """Whole đồng with dot thousands separators, as Vietnamese write it: ``120.000 ₫``."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(int(amount)):,}".replace(",", ".") + "\u00a0₫"


def format_signed(amount: int) -> str:
    """+3 and −3 with a real minus sign, for changes of a count."""
    return f"+{amount}" if amount > 0 else f"\u2212{abs(amount)}" if amount < 0 else "0"


def format_number(value: object) -> str:
    """A figure in the page's language: ``20,0`` in Vietnamese, ``20.0`` in English (Babel); a
    fraction with one decimal, a whole number as it is (years and counts read ``2025``, ``12``)."""
    if isinstance(value, float):
        return format_decimal(value, "#,##0.0")
    return str(value)


def format_day(value: date | None) -> str:
    """Dates are dd/mm/yyyy in both languages."""
    if value is None:
        return ""
    return format_date(value, "dd/MM/yyyy")


def format_moment(value: datetime | None) -> str:
    """A stored UTC time shown in Asia/Ho_Chi_Minh."""
    if value is None:
        return ""
    return format_datetime(value, "dd/MM/yyyy HH:mm")


def web_address(value: str | None) -> str | None:
    """``value`` if it is a web page's address (http or https, with a host) fit for a link;
    None for anything else (``javascript:``, ``data:``, a bare word), so no page links it."""
    value = (value or "").strip()
    if not value or len(value) > MAX_WEB_ADDRESS or any(c.isspace() for c in value):
        return None
    if not value.isprintable():
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return value


def register(app) -> None:
    app.add_template_filter(web_address, "web_address")
    app.add_template_filter(format_vnd, "vnd")
    app.add_template_filter(format_signed, "signed")
    app.add_template_filter(format_day, "day")
    app.add_template_filter(format_number, "number")
    app.add_template_filter(format_moment, "moment")
