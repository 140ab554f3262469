"""Shelf labels: PDF sheets in every layout, bounded per request."""

from __future__ import annotations

import re

import pytest

from storefront.clock import today
from storefront.qr.label_sheets import LAYOUTS
from storefront.showrooms.errors import ShowroomError
from storefront.showrooms.shelf_labels import MAX_LABELS, label_sheet


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
