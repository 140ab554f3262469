"""Printable shelf labels (PDF): name, stars, price and the product's QR code, on A4 sheets of
several layouts or one 50 × 30 mm label per page for thermal printers.

Vietnamese is set in DejaVu Sans, which the shop carries (static/fonts, with its licence), so the
labels look the same on every machine. The QR is the product's /q/<code> URL (qr.services)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

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


def render_labels(labels: list[Label], layout: Layout) -> bytes:
    """The PDF of ``labels`` in ``layout``, filled row by row, as many pages as needed."""
    pdf = FPDF(unit="mm", format=(layout.page_width, layout.page_height))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_creator("OCOP Storefront")
    pdf.set_title("Nhãn kệ OCOP")
    pdf.set_lang("vi")
    pdf.add_font(FONT, "", str(_font_path("DejaVuSans-vi.ttf")))
    pdf.add_font(FONT, "B", str(_font_path("DejaVuSans-Bold-vi.ttf")))
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


def _draw_label(pdf: FPDF, label: Label, x: float, y: float, layout: Layout) -> None:
    width, height = layout.label_width, layout.label_height
    small = height < 32
    pad = 1.8 if small else 2.5
    if layout.outline:
        pdf.rect(x, y, width, height)
    qr_side = min(height - 2 * pad - (2.6 if small else 3.2), width * 0.42)
    qr_x = x + width - pad - qr_side
    pdf.image(io.BytesIO(_qr_png(label.url)), qr_x, y + pad, qr_side, qr_side)
    pdf.set_font(FONT, "", 5 if small else 6)
    pdf.set_xy(qr_x - 1, y + pad + qr_side + 0.2)
    pdf.cell(qr_side + 2, 2.4, label.code, align="C")

    text_x, text_w = x + pad, qr_x - x - 2 * pad + 0.5
    name_size = 7.5 if small else 9
    pdf.set_font(FONT, "B", name_size)
    line_h = name_size * 0.42
    lines = _fit_lines(pdf, label.name, text_w, 2 if small else 3)
    cursor = y + pad
    for line in lines:
        pdf.set_xy(text_x, cursor)
        pdf.cell(text_w, line_h, line)
        cursor += line_h
    pdf.set_font(FONT, "", 5.5 if small else 6.5)
    small_h = 2.5 if small else 2.9
    for text in (label.producer_name, f"Đơn vị: {label.unit}"):
        pdf.set_xy(text_x, cursor + 0.3)
        pdf.cell(text_w, small_h, _shorten(pdf, text, text_w))
        cursor += small_h

    bottom = y + height - pad
    pdf.set_font(FONT, "", 7.5 if small else 9)
    pdf.set_xy(text_x, bottom - (7.6 if small else 9.6))
    stars = "★" * label.stars
    choices = (f"{stars}  OCOP {label.stars} sao", f"{stars} {label.stars} sao", stars)
    pdf.cell(
        text_w,
        3.4,
        next(t for t in choices if pdf.get_string_width(t) <= text_w)
        if pdf.get_string_width(stars) <= text_w
        else stars,
    )
    pdf.set_font(FONT, "B", 10 if small else 12.5)
    pdf.set_xy(text_x, bottom - (4.2 if small else 5.4))
    pdf.cell(text_w, 4.2 if small else 5.4, format_vnd(label.price_vnd))


def _fit_lines(pdf: FPDF, text: str, width: float, most: int) -> list[str]:
    """Words wrapped into at most ``most`` lines; what does not fit ends with an ellipsis."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if pdf.get_string_width(trial) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
        current = word
        if len(lines) == most:
            break
    if current and len(lines) < most:
        lines.append(current)
    used = " ".join(lines).split()
    if len(used) < len(text.split()) or any(pdf.get_string_width(line) > width for line in lines):
        lines[-1] = _shorten(pdf, lines[-1] + "…", width, force=True)
    return [_shorten(pdf, line, width) for line in lines]


def _shorten(pdf: FPDF, text: str, width: float, force: bool = False) -> str:
    if not force and pdf.get_string_width(text) <= width:
        return text
    text = text.rstrip("…")
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _qr_png(url: str) -> bytes:
    return qr_image(url, "png", QR_PIXELS).body


@cache
def _font_path(name: str) -> Path:
    path = FONT_DIR / name
    if not path.is_file():
        raise FileNotFoundError(f"the label font {path} is missing")
    return path
