"""The one place that turns money, dates and stars into text for people."""

from datetime import date, datetime

from flask_babel import format_date, format_datetime


def format_vnd(amount: int | None) -> str:
    """Whole đồng with dot thousands separators, as Vietnamese write it: ``120.000 ₫``."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(int(amount)):,}".replace(",", ".") + "\u00a0₫"


def format_signed(amount: int) -> str:
    """+3 and −3 with a real minus sign, for changes of a count."""
    return f"+{amount}" if amount > 0 else f"\u2212{abs(amount)}" if amount < 0 else "0"


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


def register(app) -> None:
    app.add_template_filter(format_vnd, "vnd")
    app.add_template_filter(format_signed, "signed")
    app.add_template_filter(format_day, "day")
    app.add_template_filter(format_moment, "moment")
