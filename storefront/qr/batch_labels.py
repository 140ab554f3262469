"""Batch labels (PDF): the product's name, the batch code, its production and expiry dates and a
QR code that opens /q/<product code>/<batch code>, on the same papers as the shelf labels.

Kept apart from the shelf labels (label_sheets.py draws those): a batch label goes on the pack,
a shelf label on the shelf. The QR image is the shop's one (qr.services.qr_image)."""

from __future__ import annotations

import io

from flask_babel import gettext as _
from fpdf import FPDF

from storefront.accounts.models import User
from storefront.domain import Refused
from storefront.formatting import format_day
from storefront.links import absolute_url_for
from storefront.numbers import parse_int
from storefront.qr.label_sheets import (
    DEFAULT_LAYOUT,
    FONT,
    LAYOUTS,
    MIN_FONT,
    QR_PIXELS,
    Layout,
    font_path,
    wrap_words,
)
from storefront.qr.services import qr_image
from storefront.traceability import batches
from storefront.traceability.models import ProductBatch

MAX_BATCH_LABELS = 1000


class BatchLabelRefused(Refused):
    pass


def batch_url(batch: ProductBatch) -> str:
    """What a batch label's QR opens: the absolute /q/<product code>/<batch code>."""
    return absolute_url_for("qr.verify_batch", code=batch.product.code, batch_code=batch.code)


def batch_label_sheet(actor: User, batch_id: int, layout_key: str | None, copies: object) -> bytes:
    """The PDF of ``copies`` labels of a batch (its producer, a showroom that received some of it,
    or the office). Refused: an unknown paper, a count outside 1..MAX_BATCH_LABELS."""
    batch = batches.batch_for_labels(actor, batch_id)
    layout = LAYOUTS.get(layout_key or DEFAULT_LAYOUT)
    if layout is None:
        raise BatchLabelRefused(_("Choose one of the label papers."))
    try:
        count = parse_int(
            copies if copies not in (None, "") else layout.per_page,
            minimum=1,
            maximum=MAX_BATCH_LABELS,
        )
    except ValueError:
        raise BatchLabelRefused(
            _("Print from 1 to %(n)d labels at a time.", n=MAX_BATCH_LABELS)
        ) from None
    return render_batch_labels(batch, layout, count)


def render_batch_labels(batch: ProductBatch, layout: Layout, count: int) -> bytes:
    pdf = FPDF(unit="mm", format=(layout.page_width, layout.page_height))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_creator("OCOP Storefront")
    pdf.set_title(f"Nhãn lô {batch.code}")
    pdf.set_lang("vi")
    pdf.add_font(FONT, "", str(font_path("DejaVuSans-vi.ttf")))
    pdf.add_font(FONT, "B", str(font_path("DejaVuSans-Bold-vi.ttf")))
    pdf.set_draw_color(200)
    pdf.set_line_width(0.1)
    png = qr_image(batch_url(batch), "png", QR_PIXELS).body
    lines = _batch_lines(batch)
    for index in range(count):
        slot = index % layout.per_page
        if slot == 0:
            pdf.add_page()
        row, column = divmod(slot, layout.columns)
        x = layout.margin_left + column * (layout.label_width + layout.gap_x)
        y = layout.margin_top + row * (layout.label_height + layout.gap_y)
        _draw_batch_label(pdf, batch, lines, png, x, y, layout)
    return bytes(pdf.output())


def _batch_lines(batch: ProductBatch) -> list[str]:
    # Printed in Vietnamese, as every label is (NSX / HSD are what packs say).
    lines = [f"Lô: {batch.code}", f"NSX: {format_day(batch.produced_on)}"]
    if batch.expires_on is not None:
        lines.append(f"HSD: {format_day(batch.expires_on)}")
    return lines


def _draw_batch_label(
    pdf: FPDF, batch: ProductBatch, lines: list[str], png: bytes, x: float, y: float, layout: Layout
) -> None:
    width, height = layout.label_width, layout.label_height
    small = height < 32
    pad = 1.8 if small else 2.5
    if layout.outline:
        pdf.rect(x, y, width, height)
    qr_side = min(height - 2 * pad, width * 0.45)
    qr_x = x + width - pad - qr_side
    pdf.image(io.BytesIO(png), qr_x, y + pad, qr_side, qr_side)
    text_x, text_w = x + pad, qr_x - x - 2 * pad + 0.5
    # The name wraps onto two lines, set smaller until it fits: never cut (as on shelf labels).
    size = 7 if small else 8.5
    name_lines = wrap_words(pdf, batch.product.name, text_w, "B", size)
    while len(name_lines) > 2 and size > MIN_FONT:
        size = max(MIN_FONT, size - 0.5)
        name_lines = wrap_words(pdf, batch.product.name, text_w, "B", size)
    name_h = size * 0.42
    for n, line in enumerate(name_lines):
        pdf.set_xy(text_x, y + pad + n * name_h)
        pdf.cell(text_w, name_h, line)
    cursor = y + height - pad - len(lines) * (3.0 if small else 3.6) - 2.6
    pdf.set_font(FONT, "B", 7 if small else 8.5)
    for line in lines:
        pdf.set_xy(text_x, cursor)
        pdf.cell(text_w, 3.0 if small else 3.6, _fit(pdf, line, text_w))
        cursor += 3.0 if small else 3.6
    pdf.set_font(FONT, "", 5 if small else 5.5)
    pdf.set_xy(text_x, cursor + 0.2)
    pdf.cell(text_w, 2.4, _fit(pdf, "Quét QR: kiểm tra lô OCOP", text_w))


def _fit(pdf: FPDF, text: str, width: float) -> str:
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"
