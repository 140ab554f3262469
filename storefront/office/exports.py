"""Every report table as CSV or XLSX, written by the shop's one spreadsheet writer."""

from __future__ import annotations

from storefront import spreadsheets
from storefront.office.reports import Report


def to_csv(report: Report) -> bytes:
    return spreadsheets.csv_file(report.columns, report.rows)


def to_xlsx(report: Report) -> bytes:
    return spreadsheets.xlsx_file(
        [str(c) for c in report.columns], report.rows, sheet=report.name, title=str(report.title)
    )
