"""Shelf labels: PDF sheets in every layout, bounded per request."""

from __future__ import annotations

import re
import subprocess

import pytest

from storefront.clock import today
from storefront.qr.label_sheets import LAYOUTS
from storefront.showrooms.errors import ShowroomError
from storefront.showrooms.shelf_labels import MAX_LABELS, label_sheet
from tests.factories import make_producer, make_product, stock_at_showroom
from tests.zbar import decode_all, pdf_page_png


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_65_labels_fill_as_many_pages_as_the_layout_needs(app, counter, layout):
    with app.test_request_context():
        pdf = label_sheet(counter.staff, {"TEA234": "40", "HNY234": 25}, layout, today())
    assert pdf.startswith(b"%PDF")
    per_page = LAYOUTS[layout].per_page
    assert pages(pdf) == -(-65 // per_page)


def test_10000_labels_are_refused_with_a_clear_message(app, counter):
    with app.test_request_context(), pytest.raises(ShowroomError, match=f"At most {MAX_LABELS}"):
        label_sheet(counter.staff, {"TEA234": "10000"}, "a4-24", today())


@pytest.mark.parametrize(
    ("copies", "layout", "message"),
    [
        ({}, "a4-24", "at least one"),
        ({"TEA234": "-2"}, "a4-24", "whole number"),
        ({"TEA234": "two"}, "a4-24", "whole number"),
        ({"ZZZ999": "1"}, "a4-24", "not on sale"),
        ({"TEA234": "1"}, "a9-999", "layouts"),
    ],
)
def test_bad_label_requests_are_refused(app, counter, copies, layout, message):
    with app.test_request_context(), pytest.raises(ShowroomError, match=message):
        label_sheet(counter.staff, copies, layout, today())


def _page_text(pdf: bytes, folder) -> str:
    source = folder / "labels.pdf"
    source.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(source), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


LONG_NAME = "Sâm dây Ngọc Linh sấy khô thượng hạng hộp quà biếu đặc biệt 500 gam loại một"
LONG_PRODUCER = "Hợp tác xã Nông nghiệp và Dịch vụ Tổng hợp Măng Đen Kon Plông tỉnh Quảng Ngãi"


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_printed_label_carries_a_barcode_and_a_qr_that_zbar_reads(app, counter, layout, tmp_path):
    with app.test_request_context():
        pdf = label_sheet(counter.staff, {"HNY234": "1"}, layout, today())
    found = decode_all(pdf_page_png(pdf, tmp_path))
    assert ("EAN-13", "8930000000019") in found
    assert ("QR-Code", "http://shop.test/q/HNY234") in found


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_label_says_ocop_and_a_long_name_is_never_cut(app, counter, layout, tmp_path):
    long_one = make_product(
        LONG_NAME,
        producer=make_producer("HTX9", LONG_PRODUCER),
        stars=4,
        price_vnd=1_250_000,
        code="LNG234",
        ean="8938505974019",
    )
    stock_at_showroom(long_one, counter.showroom, 2)
    with app.test_request_context():
        pdf = label_sheet(
            counter.staff, {"TEA234": "1", "LNG234": "1", "HNY234": "1"}, layout, today()
        )
    text = _page_text(pdf, tmp_path)  # every page
    assert text.count("OCOP") >= 3  # 4★ and 5★ alike
    for word in (LONG_NAME + " " + LONG_PRODUCER).split():
        assert word in text, word
    assert "…" not in text
    if LAYOUTS[layout].per_page >= 2:
        assert ("EAN-13", "8938505974019") in decode_all(pdf_page_png(pdf, tmp_path))
