"""Printable shelf labels (PDF): name, producer, "OCOP" with the stars, price, the product's QR
code and, when the product has one, its EAN-13 as a barcode (any scanner finds it), on A4 sheets
of several layouts or one 50 × 30 mm label per page for thermal printers.

Vietnamese is set in DejaVu Sans, which the shop carries (static/fonts, with its licence), so the
labels look the same on every machine. The QR is the product's /q/<code> URL (qr.services); the
barcode's bars come from python-barcode. A long name or producer wraps and, when it must, is set
smaller: it is never cut. Each part of a label is drawn by a function of its own."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from barcode import EAN13
from flask_babel import lazy_gettext as _l
from fpdf import FPDF

from storefront.formatting import format_vnd
from storefront.qr.services import qr_image

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
FONT = "DejaVu"
QR_PIXELS = 128  # 3 px per module: sharp enough, and cheap to encode and embed


@dataclass(frozen=True)
class Layout:
    key: str
    title: object  # lazily translated
    page_width: float  # millimetres
    page_height: float
    columns: int
    rows: int
    label_width: float
    label_height: float
    margin_left: float = 0
    margin_top: float = 0
    gap_x: float = 0
    gap_y: float = 0
    outline: bool = True  # a hairline to cut along on plain paper

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


LAYOUTS = {
    layout.key: layout
    for layout in (
        Layout(
            "a4-24",
            _l("A4 sheet, 24 labels (3 × 8, 70 × 37 mm)"),
            210,
            297,
            3,
            8,
            70,
            37,
            margin_top=0.5,
        ),
        Layout(
            "a4-14",
            _l("A4 sheet, 14 labels (2 × 7, 99 × 38 mm)"),
            210,
            297,
            2,
            7,
            99.1,
            38.1,
            margin_left=4.65,
            margin_top=15.15,
            gap_x=2.5,
        ),
        Layout(
            "a4-40",
            _l("A4 sheet, 40 small labels (4 × 10, 52 × 30 mm)"),
            210,
            297,
            4,
            10,
            52.5,
            29.7,
        ),
        Layout(
            "thermal-50x30",
            _l("Thermal printer: one 50 × 30 mm label per page"),
            50,
            30,
            1,
            1,
            50,
            30,
            outline=False,
        ),
    )
}
DEFAULT_LAYOUT = "a4-24"


@dataclass(frozen=True)
class Label:
    code: str
    name: str
    stars: int
    price_vnd: int
    unit: str
    producer_name: str
    url: str  # what the QR opens: the product's /q/<code>
    ean: str | None = None  # EAN-13, printed as a barcode


def render_labels(labels: list[Label], layout: Layout) -> bytes:
    """The PDF of ``labels`` in ``layout``, filled row by row, as many pages as needed."""
    pdf = FPDF(unit="mm", format=(layout.page_width, layout.page_height))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_creator("OCOP Storefront")
    pdf.set_title("Nhãn kệ OCOP")
    pdf.set_lang("vi")
    pdf.add_font(FONT, "", str(font_path("DejaVuSans-vi.ttf")))
    pdf.add_font(FONT, "B", str(font_path("DejaVuSans-Bold-vi.ttf")))
    pdf.set_draw_color(200)
    pdf.set_line_width(0.1)
    for index, label in enumerate(labels):
        slot = index % layout.per_page
        if slot == 0:
            pdf.add_page()
        row, column = divmod(slot, layout.columns)
        x = layout.margin_left + column * (layout.label_width + layout.gap_x)
        y = layout.margin_top + row * (layout.label_height + layout.gap_y)
        _draw_label(pdf, label, x, y, layout)
    if not labels:
        pdf.add_page()
    return bytes(pdf.output())


# An EAN-13 is 95 modules between quiet zones of 11 and 7: 113 modules in all.
EAN_MODULES = 113
EAN_MODULE_MM = (0.2, 0.33)  # narrowest a scanner reads from paper; the standard's nominal
MIN_FONT = 4.0  # points: text shrinks down to this rather than being cut


def _draw_label(pdf: FPDF, label: Label, x: float, y: float, layout: Layout) -> None:
    width, height = layout.label_width, layout.label_height
    small = height < 32
    pad = 1.8 if small else 2.5
    if layout.outline:
        pdf.rect(x, y, width, height)
    qr_side = _draw_qr_column(pdf, label, x + width - pad, y + pad, height - 2 * pad, width, small)
    text_x, text_w = x + pad, width - qr_side - 3 * pad + 0.5
    bottom = y + height - pad
    if label.ean:
        bottom = _draw_barcode(pdf, label.ean, text_x, bottom, text_w, small)
    bottom = _draw_price_and_stars(pdf, label, text_x, bottom, text_w, small)
    _draw_name_block(pdf, label, text_x, y + pad, text_w, bottom - (y + pad) - 0.4, small)


def _draw_qr_column(
    pdf: FPDF, label: Label, right: float, top: float, room: float, width: float, small: bool
) -> float:
    """The QR code at the label's top right with the product code under it; its side."""
    qr_side = min(room - (2.6 if small else 3.2), width * 0.42)
    qr_x = right - qr_side
    pdf.image(io.BytesIO(_qr_png(label.url)), qr_x, top, qr_side, qr_side)
    pdf.set_font(FONT, "", 5 if small else 6)
    pdf.set_xy(qr_x - 1, top + qr_side + 0.2)
    pdf.cell(qr_side + 2, 2.4, label.code, align="C")
    return qr_side


def _draw_barcode(pdf: FPDF, ean: str, x: float, bottom: float, width: float, small: bool) -> float:
    """The EAN-13's bars (python-barcode's pattern) and digits at the bottom of the text column,
    as wide as the column allows within the readable module widths; returns the top it used."""
    pattern = EAN13(ean).build()[0]
    module = max(EAN_MODULE_MM[0], min(EAN_MODULE_MM[1], width / EAN_MODULES))
    digits_h = 1.9 if small else 2.3
    bars_h = 5.0 if small else 6.5
    left = x + (width - module * EAN_MODULES) / 2 + 11 * module
    top = bottom - digits_h - bars_h
    pdf.set_fill_color(0)
    run_start = None
    for index, bit in enumerate(pattern + "0"):
        if bit == "1" and run_start is None:
            run_start = index
        elif bit == "0" and run_start is not None:
            pdf.rect(
                left + run_start * module, top, (index - run_start) * module, bars_h, style="F"
            )
            run_start = None
    pdf.set_font(FONT, "", 5 if small else 6)
    pdf.set_xy(x, top + bars_h)
    pdf.cell(width, digits_h, ean, align="C")
    return top - 0.6


def _draw_price_and_stars(
    pdf: FPDF, label: Label, x: float, bottom: float, width: float, small: bool
) -> float:
    """The price, and above it "OCOP" with the stars (the word is on every label); returns the
    top it used."""
    price_h = 4.2 if small else 5.4
    pdf.set_font(FONT, "B", 10 if small else 12.5)
    _shrink_to(pdf, format_vnd(label.price_vnd), width, "B", 10 if small else 12.5)
    pdf.set_xy(x, bottom - price_h)
    pdf.cell(width, price_h, format_vnd(label.price_vnd))
    stars = "★" * label.stars
    size = 7.5 if small else 9
    pdf.set_font(FONT, "", size)
    choices = (f"{stars}  OCOP {label.stars} sao", f"OCOP {stars}", f"OCOP {label.stars}★")
    text = next((t for t in choices if pdf.get_string_width(t) <= width), choices[-1])
    _shrink_to(pdf, text, width, "", size)
    stars_h = 3.4
    pdf.set_xy(x, bottom - price_h - stars_h)
    pdf.cell(width, stars_h, text)
    return bottom - price_h - stars_h


def _draw_name_block(
    pdf: FPDF, label: Label, x: float, top: float, width: float, room: float, small: bool
) -> None:
    """The name (bold), the producer and the unit, wrapped into ``room``: set smaller until they
    fit, never cut. The unit gives way first when room is short."""
    name_size, detail_size = (7.5, 5.5) if small else (9.0, 6.5)
    unit = f"Đơn vị: {label.unit}"
    while True:
        name_lines = wrap_words(pdf, label.name, width, "B", name_size)
        producer_lines = wrap_words(pdf, label.producer_name, width, "", detail_size)
        name_h, detail_h = name_size * 0.42, detail_size * 0.45
        used = len(name_lines) * name_h + 0.3 + len(producer_lines) * detail_h
        with_unit = used + detail_h <= room and pdf.get_string_width(unit) <= width
        if used <= room or name_size <= MIN_FONT:
            break
        name_size = max(MIN_FONT, name_size - 0.5)
        detail_size = max(MIN_FONT, detail_size - 0.5)
    cursor = top
    pdf.set_font(FONT, "B", name_size)
    for line in name_lines:
        pdf.set_xy(x, cursor)
        pdf.cell(width, name_h, line)
        cursor += name_h
    cursor += 0.3
    pdf.set_font(FONT, "", detail_size)
    for line in producer_lines + ([unit] if with_unit else []):
        pdf.set_xy(x, cursor)
        pdf.cell(width, detail_h, line)
        cursor += detail_h


def wrap_words(pdf: FPDF, text: str, width: float, style: str, size: float) -> list[str]:
    """Words wrapped to ``width`` at ``size``; a word longer than the line is split, not cut."""
    pdf.set_font(FONT, style, size)
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if pdf.get_string_width(trial) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
        while pdf.get_string_width(word) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and pdf.get_string_width(word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


def _shrink_to(pdf: FPDF, text: str, width: float, style: str, size: float) -> None:
    """Set the font at ``size``, smaller if ``text`` would not fit ``width``."""
    pdf.set_font(FONT, style, size)
    while size > MIN_FONT and pdf.get_string_width(text) > width:
        size -= 0.5
        pdf.set_font(FONT, style, size)


def _qr_png(url: str) -> bytes:
    return qr_image(url, "png", QR_PIXELS).body


@cache
def font_path(name: str) -> Path:
    path = FONT_DIR / name
    if not path.is_file():
        raise FileNotFoundError(f"the label font {path} is missing")
    return path
