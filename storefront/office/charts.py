"""What every office report is: a table, and the chart drawn from it (Chart.js, by
office-charts.js). The programme's reports and the sales reports are built from these."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _


@dataclass
class Report:
    name: str
    title: str
    columns: list[str]
    rows: list[list]
    chart: dict | None = None  # Chart.js type, labels and datasets, drawn by office-charts.js
    note: str = ""
    highlights: dict = field(default_factory=dict)
    money: tuple[int, ...] = ()  # columns of amounts in đồng, shown as "120.000 ₫" on the page


def single_series(kind: str, rows: list[list], label: str, horizontal: bool = False) -> dict:
    """A chart of one series: the first column as labels, the second as values."""
    return {
        "type": kind,
        "horizontal": horizontal,
        "labels": [str(r[0]) for r in rows],
        "datasets": [{"label": label, "data": [r[1] for r in rows]}],
    }


def revenue_chart(rows: list[list], top: int = 15) -> dict:
    """The ``top`` rows' revenue (their last column) as horizontal bars."""
    shown = rows[:top]
    return {
        "type": "bar",
        "horizontal": True,
        "labels": [str(r[0]) for r in shown],
        "datasets": [{"label": _("Revenue (VND)"), "data": [r[-1] for r in shown]}],
    }
