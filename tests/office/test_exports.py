"""Every CSV and XLSX the shop hands out (the office's 14 reports in both formats, the audit log,
a producer's ledger): text that people outside the office typed, made to look like a formula, is
never a formula in the file; numbers stay numbers."""

from __future__ import annotations

import csv
import io
import uuid
import zipfile
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from storefront import spreadsheets
from storefront.clock import today
from storefront.extensions import db
from storefront.inventory import services as inventory
from storefront.office import programme_reports, sales_reports
from storefront.orders import placing
from storefront.payments.services import record_payment
from storefront.producers import stock as portal
from storefront.showrooms import sale_recording, shifts
from tests.factories import (
    make_certificate,
    make_producer,
    make_product,
    make_region,
    make_showroom,
    make_user,
    stock_at_showroom,
)

LINK = '=HYPERLINK("http://x.example","y")'
PAYLOADS = (LINK, "@SUM(1)", "+1", "-1+2", "\tx", "\rx")
EXPORTS = (
    [
        f"/office/reports/{name}.{fmt}"
        for name in programme_reports.REPORTS
        for fmt in ("csv", "xlsx")
    ]
    + [
        f"/office/sales/{name}.{fmt}"
        for name in sales_reports.SALES_REPORTS
        for fmt in ("csv", "xlsx")
    ]
    + ["/office/audit?format=csv", "/producer/ledger?format=csv"]
)
# The exports the typed text reaches in this world, and which of it: each must show it as text.
REACHES = {
    "/office/reports/expiring.csv": [LINK, "@SUM(1)"],
    "/office/reports/expiring.xlsx": [LINK, "@SUM(1)"],
    "/office/reports/showrooms.csv": ["-1+2"],
    "/office/reports/showrooms.xlsx": ["-1+2"],
    "/office/sales/sales-showrooms.csv": ["+1"],
    "/office/sales/sales-showrooms.xlsx": ["+1"],
    "/office/sales/sales-producers.csv": ["@SUM(1)"],
    "/office/sales/sales-producers.xlsx": ["@SUM(1)"],
    "/office/sales/sales-products.csv": [LINK],
    "/office/sales/sales-products.xlsx": [LINK],
    "/office/sales/settlements.csv": ["@SUM(1)"],
    "/office/sales/settlements.xlsx": ["@SUM(1)"],
    "/office/audit?format=csv": [LINK],
    "/producer/ledger?format=csv": [LINK, "@SUM(1)"],
}


@pytest.fixture
def typed_world(app_ctx):
    """A producer, its product, a region and a showroom named by someone with bad intentions; a
    counter sale and a paid online order of the product; stock counted with such a reason."""
    region = make_region(name="-1+2", kind="district")
    producer = make_producer(name="@SUM(1)", region=region)
    product = make_product(name=LINK, producer=producer, stock=20, price_vnd=120000)
    soon = today() - timedelta(days=36 * 30 - 20)  # its certificate runs out within 90 days
    product.certificates[0].status = "superseded"
    make_certificate(product, issued_on=soon, decision_number="+1/QĐ")
    showroom = make_showroom(name="+1", region=region)
    stock_at_showroom(product, showroom, 5)
    staff = make_user(role="staff", showroom_code=showroom.code)
    shifts.open_shift(staff, 0)
    sale_recording.record_sale(
        staff,
        uuid.uuid4().hex,
        [{"code": product.code, "quantity": 2}],
        payment="cash",
        today=today(),
    )
    db.session.commit()
    order, _secret = placing.place_order(
        placing.OrderDraft(
            "delivery", "bank_transfer", "Lan", "0912345678", None, address_line="x"
        ),
        [placing.PlacedLine(product, 1, inventory.warehouse_of(producer.id).id)],
        customer_id=None,
        idempotency_digest="exports",
    )
    record_payment(order, order.total_vnd, "bank_transfer", recorded_by="office")
    db.session.commit()
    owner = make_user(role="producer", producer_code=producer.code)
    portal.correct_count(owner, product.id, 15, LINK)
    portal.receive_batch(owner, product.id, 3, "@SUM(1)")
    db.session.commit()
    return owner, make_user(role="office")


def _download(client, auth, users, path):
    owner, officer = users
    auth.login(owner if path.startswith("/producer") else officer)
    response = client.get(path)
    auth.logout()
    assert response.status_code == 200, path
    return response.data


def _cells(path, data) -> list[tuple[object, str | None]]:
    """(value, openpyxl's type) of every cell; CSV cells are all text."""
    if ".xlsx" not in path:
        text = data.decode("utf-8")
        assert text.startswith("\ufeff")
        return [(cell, None) for row in csv.reader(io.StringIO(text[1:])) for cell in row]
    sheet = load_workbook(io.BytesIO(data)).active
    return [(cell.value, cell.data_type) for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("path", EXPORTS)
def test_typed_text_is_never_a_formula_in_an_export(client, auth, typed_world, path):
    data = _download(client, auth, typed_world, path)
    cells = _cells(path, data)
    for value, data_type in cells:
        assert data_type != "f", (path, value)
        if isinstance(value, str) and value.startswith(spreadsheets.FORMULA_STARTS):
            if data_type == "s":  # XLSX: a string cell, shown as typed, run never
                continue
            assert value.lstrip("-").replace(".", "").isdigit(), (path, value)  # -5: a number
    if ".xlsx" in path:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            sheet_xml = package.read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in sheet_xml, path
        assert "<f " not in sheet_xml, path
    texts = {value for value, _type in cells if isinstance(value, str)}
    for payload in REACHES.get(path, []):
        shown = payload if ".xlsx" in path else "'" + payload
        assert shown in texts, (path, payload)


def test_every_export_is_in_the_table():
    assert len(EXPORTS) == 30


def test_numbers_stay_numbers_in_an_xlsx(client, auth, typed_world):
    data = _download(client, auth, typed_world, "/office/sales/sales-products.xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    line = next(row for row in rows if LINK in row)
    assert 360000 in line  # 3 sold at 120.000 ₫: a number a sum can add


def test_csv_and_xlsx_cells_are_neutralised_by_the_one_writer():
    rows = [[payload, -5, 1.5] for payload in PAYLOADS] + [["Sâm dây", 0, None]]
    text = spreadsheets.csv_file(["name", "change", "x"], rows).decode("utf-8")
    read = list(csv.reader(io.StringIO(text[1:])))
    assert [row[0] for row in read[1:]] == ["'" + p for p in PAYLOADS] + ["Sâm dây"]
    assert [row[1] for row in read[1:]] == ["-5"] * len(PAYLOADS) + ["0"]
    book = load_workbook(io.BytesIO(spreadsheets.xlsx_file(["name", "n", "x"], rows, sheet="t")))
    cells = list(book.active.iter_rows(min_row=2))
    assert [(c[0].value, c[0].data_type, c[0].quotePrefix) for c in cells[:-1]] == [
        (p.replace("\r", "\n"), "s", True)
        for p in PAYLOADS  # XML reads a lone CR as LF
    ]
    assert [c[1].value for c in cells] == [-5] * len(PAYLOADS) + [0]
    assert cells[0][1].data_type == "n"


def test_text_xml_cannot_hold_is_dropped_not_a_failed_export():
    data = spreadsheets.xlsx_file(["name"], [["Trà\x00 xanh\x0b"]], sheet="t")
    assert load_workbook(io.BytesIO(data)).active["A2"].value == "Trà xanh"
