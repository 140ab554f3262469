"""The one way the shop writes a table for a spreadsheet: CSV (UTF-8 with the BOM Excel needs to
read Vietnamese) or XLSX. Every export goes through here, because the text in them is typed by
people outside the office (a producer's product name, a stock count's reason) and a spreadsheet
runs text that looks like a formula: "=HYPERLINK(…)" becomes a live link, "@SUM(…)" a function.

- Numbers (int, float, Decimal) and dates stay numbers and dates, so sums and sorting work.
- CSV: text beginning with = + - @, a tab or a carriage return gets a leading apostrophe (OWASP's
  advice), which Excel and LibreOffice read as "this is text" and hide.
- XLSX: text is always a string cell, never a formula; risky text also gets Excel's own "quote
  prefix" mark, so it stays text when someone edits the cell. Characters XML cannot hold are
  dropped instead of failing the whole file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from storefront.clock import SHOP_TIMEZONE

# What makes a spreadsheet read a cell as a formula (with the full-width forms East Asian input
# methods type, which some spreadsheets also accept).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
NUMBERS = (int, float, Decimal)
MAX_SHEET_TITLE = 31  # Excel's limit


def is_risky(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet will show it and never run it."""
    return "'" + text if is_risky(text) else text


def csv_file(header: Sequence, rows: Iterable[Sequence]) -> bytes:
    """The table as CSV bytes, BOM first."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_csv_cell(value) for value in header])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_file(header: Sequence, rows: Iterable[Sequence], *, sheet: str, title: str = "") -> bytes:
    """The table as an XLSX workbook of one sheet: an optional title line, the bold header, the
    rows; columns as wide as their text (within reason), dates as dd/mm/yyyy."""
    return xlsx_workbook([Sheet(sheet, header, rows, [title] if title else [])])


@dataclass
class Sheet:
    """One sheet of a workbook: lines of heading (the first one large), then the table."""

    name: str
    header: Sequence
    rows: Iterable[Sequence]
    headings: list[str] = field(default_factory=list)


def xlsx_workbook(sheets: Sequence[Sheet]) -> bytes:
    """Several tables as one XLSX workbook, a sheet each, written as ``xlsx_file`` writes one."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        _write_sheet(
            workbook.create_sheet(_plain_text(sheet.name)[:MAX_SHEET_TITLE] or "Sheet"), sheet
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _write_sheet(worksheet, sheet: Sheet) -> None:
    headings = [h for h in sheet.headings if h]
    lines = [[h] for h in headings] + [list(sheet.header)] + [list(row) for row in sheet.rows]
    for row_number, line in enumerate(lines, start=1):
        for column_number, value in enumerate(line, start=1):
            _fill(worksheet.cell(row=row_number, column=column_number), value)
    for number in range(1, len(headings) + 1):
        worksheet.cell(row=number, column=1).font = Font(bold=True, size=13 if number == 1 else 11)
    first = len(headings) + 1
    for cell in worksheet[first]:
        cell.font = Font(bold=True)
    for column in worksheet.iter_cols(min_row=first):
        width = max((len(str(cell.value or "")) for cell in column), default=8)
        worksheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)


def _csv_cell(value) -> str | int | float | Decimal:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, NUMBERS):
        return value
    if isinstance(value, datetime):
        return _shop_time(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(str(value))


def _fill(cell, value) -> None:
    if value is None:
        return
    if isinstance(value, NUMBERS) and not isinstance(value, bool):
        cell.value = value
    elif isinstance(value, datetime):
        cell.value = _shop_time(value).replace(tzinfo=None)  # Excel has no time zones
        cell.number_format = "DD/MM/YYYY HH:MM"
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = "DD/MM/YYYY"
    else:
        text = _plain_text(str(value))
        cell.value = text
        cell.data_type = "s"  # openpyxl would take "=…" for a formula
        if is_risky(text):
            cell.quotePrefix = True


def _plain_text(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _shop_time(moment: datetime) -> datetime:
    return moment.astimezone(SHOP_TIMEZONE) if moment.tzinfo else moment
