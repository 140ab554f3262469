"""Reading the office's CSV files: bounded in size, UTF-8 (with or without Excel's BOM), comma or
semicolon separated, every row a dict by the header's column names."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask_babel import gettext as _

from storefront.office.errors import OfficeError

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000


@dataclass(frozen=True)
class RowError:
    """A problem in one cell: the row number as a spreadsheet shows it (the header is row 1)."""

    row: int
    column: str
    message: str


def read_rows(data: bytes, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> list[dict]:
    """The rows of a CSV file as dicts; OfficeError when the file as a whole cannot be used."""
    if not data:
        raise OfficeError(_("The file is empty."), "file")
    if len(data) > MAX_BYTES:
        raise OfficeError(
            _(
                "The file is larger than %(n)d MB; split it into smaller files.",
                n=MAX_BYTES // 2**20,
            ),
            "file",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise OfficeError(
            _("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8”."), "file"
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in required if name not in header]
    if missing:
        raise OfficeError(
            _(
                "The first row must name the columns; missing: %(columns)s.",
                columns=", ".join(missing),
            ),
            "file",
        )
    unknown = [name for name in header if name and name not in required + optional]
    if unknown:
        raise OfficeError(_("Unknown columns: %(columns)s.", columns=", ".join(unknown)), "file")
    reader.fieldnames = header
    rows = []
    for row in reader:
        if len(rows) >= MAX_ROWS:
            raise OfficeError(
                _("The file has more than %(n)d rows; split it into smaller files.", n=MAX_ROWS),
                "file",
            )
        if None in row:
            raise OfficeError(
                _("Row %(row)d has more cells than the header.", row=reader.line_num), "file"
            )
        if any((value or "").strip() for value in row.values()):
            rows.append({k: (v or "").strip() for k, v in row.items()} | {"_row": reader.line_num})
    if not rows:
        raise OfficeError(_("The file has no rows under its header."), "file")
    return rows
