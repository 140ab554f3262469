"""The office reconciles bank transfers: a bank statement CSV marks many orders paid at once and
lists every row it could not match; one transfer can also be marked received by hand. A paid
order is never paid twice, and a file that is not a statement changes nothing."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from storefront.extensions import db
from storefront.formatting import format_vnd
from storefront.orders import services as orders
from storefront.orders.models import Order, OrderStatus
from storefront.payments.models import Payment
from tests.factories import make_producer, make_product, make_showroom, make_user
from tests.payments.helpers import order_state, page_text, translated

PAGE = "/office/payments"
ROW_RE = re.compile(r"<tr><td>(\d+)</td><td>(.*?)</td><td>(.*?)</td></tr>", re.S)


@pytest.fixture
def office(app_ctx, auth):
    """The office, signed in on ``client`` (after the orders were placed by a visitor)."""

    def sign_in():
        user = make_user(role="office")
        auth.login(user)
        return user

    return sign_in


@pytest.fixture
def awaiting(app_ctx, checkout):
    """Three bank-transfer orders waiting for their money: totals 350.000, 230.000, 130.000 đ
    (products plus one 30.000 đ parcel)."""
    first = checkout(make_product(name="Mật ong rừng", price_vnd=320_000, stock=3))
    second = checkout(make_product(name="Trà sen", price_vnd=100_000, stock=5), quantity=2)
    third = checkout(make_product(name="Nước mắm", price_vnd=100_000, stock=5))
    totals = [order_state(o.number).total_vnd for o in (first, second, third)]
    assert totals == [350_000, 230_000, 130_000]
    return first.number, second.number, third.number


def upload(client, data: bytes, filename: str = "sao-ke.csv"):
    # The body is encoded here, in memory: the test client would spool a large one to a temporary
    # file that it never closes (a ResourceWarning, an error in this suite).
    boundary, body = encode_multipart({"statement": FileStorage(io.BytesIO(data), filename)})
    return client.post(PAGE, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def unmatched_rows(response) -> dict[int, tuple[str, str]]:
    """{row number: (content, why)} from the page's table of rows that matched nothing."""
    text = page_text(response)
    return {int(row): (content, why) for row, content, why in ROW_RE.findall(text)}


HEADERS = {
    "vietnamese": "Ngày,Nội dung,Số tiền",
    "english": "date,description,credit",
}


@pytest.mark.parametrize("header", HEADERS.values(), ids=HEADERS.keys())
def test_a_statement_pays_the_orders_it_matches_and_lists_the_other_rows(
    app, client, awaiting, office, header
):
    first, second, third = awaiting
    office()
    statement = "\n".join(
        [
            header,
            f'01/11/2026,"MBVCB.8123.{first}.CT tu 0071000123 NGUYEN THI LAN","350.000"',
            f"01/11/2026,Thanh toan don hang {second},230000",
            f"02/11/2026,{third} chuyen thieu,100000",
            "02/11/2026,DHZZZZ9999 ai do chuyen nham,99000",
            "03/11/2026,Tien dien thang 10,1.250.000",
        ]
    ).encode()

    response = upload(client, statement)

    assert response.status_code == 200
    assert [order_state(n).status for n in awaiting] == ["paid", "paid", "awaiting_payment"]
    assert [order_state(n).payments for n in awaiting] == [1, 1, 0]
    text = page_text(response)
    assert f"{first}, {second}" in text
    rows = unmatched_rows(response)
    assert sorted(rows) == [4, 5, 6]
    with app.test_request_context("/"):
        wrong_amount = translated(
            app,
            "%(number)s: received %(got)s but the order is %(want)s.",
            number=third,
            got=format_vnd(100_000),
            want=format_vnd(130_000),
        )
    assert rows[4] == (f"{third} chuyen thieu", wrong_amount)
    assert rows[5] == ("DHZZZZ9999 ai do chuyen nham", translated(app, "unknown order"))
    assert rows[6] == ("Tien dien thang 10", translated(app, "no order number"))


def test_a_statement_with_semicolons_is_read_or_refused_clearly(client, awaiting, office):
    """Excel set to Vietnamese saves CSV with ';'. Either the file is read, or the office is
    told why not; it never marks anything wrongly."""
    first, *_ = awaiting
    office()
    statement = f"Ngày;Nội dung;Số tiền\n01/11/2026;{first};350.000\n".encode()

    response = upload(client, statement)

    assert response.status_code == 200
    state = order_state(first)
    assert state.payments == (1 if state.status == "paid" else 0)
    if state.status != "paid":
        assert 'class="flash flash-error"' in response.get_data(as_text=True)


def test_an_order_already_paid_is_listed_in_a_second_import_and_not_paid_twice(
    app, client, awaiting, office
):
    first, second, _third = awaiting
    office()
    statement = f"date,description,credit\n01/11/2026,{first},350000\n".encode()
    upload(client, statement)
    paid = order_state(first)
    assert paid.status == "paid"

    again = upload(client, statement)

    assert again.status_code == 200
    assert order_state(first) == paid
    assert paid.payments == 1
    content, why = unmatched_rows(again)[2]
    assert content == first
    assert why == translated(app, "order is %(status)s", status="paid")
    assert order_state(second).status == "awaiting_payment"


def test_the_same_order_twice_in_one_statement_is_paid_once(client, awaiting, office):
    first, *_ = awaiting
    office()
    statement = (
        f"date,description,credit\n01/11/2026,{first},350000\n02/11/2026,{first} lan 2,350000\n"
    ).encode()

    response = upload(client, statement)

    assert order_state(first).payments == 1
    assert sorted(unmatched_rows(response)) == [3]


def test_an_order_number_written_after_the_words_tt_dh_is_still_found(client, awaiting, office):
    """People write "TT DH <number>" (thanh toán đơn hàng): the letters DH just before the number
    must not hide it."""
    first, *_ = awaiting
    office()
    statement = f"date,description,credit\n01/11/2026,TT DH {first},350000\n".encode()

    upload(client, statement)

    assert order_state(first).status == "paid"


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types "' + "x" * 200_000)
        archive.writestr("xl/worksheets/sheet1.xml", "<sheetData/>")
    return buffer.getvalue()


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x04\x00\x09\xfb\x03\xfd\xe3U\xf2\x9c"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
HEADER_MESSAGE = "The statement needs a header row with a content column and an amount column."
BAD_FILES = {
    "no header": (lambda n: f"01/11/2026,{n},350000\n".encode(), HEADER_MESSAGE),
    "only an amount column": (lambda n: f"so tien\n350000\n{n}\n".encode(), HEADER_MESSAGE),
    "empty file": (lambda n: b"", HEADER_MESSAGE),
    "a picture": (lambda n: PNG, None),
    "an Excel workbook": (lambda n: _xlsx(), None),
    "larger than 2 MB": (
        lambda n: ("date,description,credit\n" + f"01/11/2026,{n},350000\n" * 80_000).encode(),
        "The statement file is larger than 2 MB.",
    ),
    "more than 5000 rows": (
        lambda n: ("noi dung,so tien\n" + "x,1\n" * 5001).encode(),
        ("The file has more than %(n)d rows; split it into smaller files.", {"n": 5000}),
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_file_that_is_not_a_statement_gets_a_clear_message_and_changes_nothing(
    app, client, awaiting, office, case
):
    first, *_ = awaiting
    make, message = BAD_FILES[case]
    data = make(first)
    office()

    response = upload(client, data, "sao-ke.xlsx" if case == "an Excel workbook" else "sao-ke.csv")

    assert response.status_code == 200
    text = page_text(response)
    assert 'class="flash flash-error"' in response.get_data(as_text=True)
    if message:
        msgid, values = message if isinstance(message, tuple) else (message, {})
        assert translated(app, msgid, **values) in text
    assert [order_state(n).status for n in awaiting] == ["awaiting_payment"] * 3
    assert [order_state(n).payments for n in awaiting] == [0, 0, 0]


def test_posting_without_a_file_asks_for_one(app, client, awaiting, office):
    office()

    response = client.post(PAGE, data={}, content_type="multipart/form-data")

    assert response.status_code == 200
    assert translated(app, "Choose the bank statement CSV file.") in page_text(response)


def test_marking_a_transfer_received_works_once(app, client, awaiting, office):
    first, second, _third = awaiting
    office()
    page = client.get(PAGE)
    assert first in page_text(page)
    assert second in page_text(page)

    done = client.post(f"{PAGE}/{first}/received", follow_redirects=True)

    assert done.status_code == 200
    assert translated(app, "%(number)s is marked paid.", number=first) in page_text(done)
    paid = order_state(first)
    assert paid.status == "paid"
    assert paid.payments == 1

    again = client.post(f"{PAGE}/{first}/received", follow_redirects=True)

    assert again.status_code == 200
    assert 'class="flash flash-error"' in again.get_data(as_text=True)
    assert translated(app, "%(number)s is marked paid.", number=first) not in page_text(again)
    assert order_state(first) == paid
    assert order_state(second).status == "awaiting_payment"


def test_marking_an_unknown_order_received_is_not_found(client, awaiting, office):
    office()

    assert client.post(f"{PAGE}/DHZZZZ9999/received").status_code == 404


@pytest.mark.parametrize("role", ["customer", "producer", "staff"])
def test_only_the_office_reconciles_payments(client, app_ctx, auth, awaiting, role):
    first, *_ = awaiting
    bindings = {}
    if role == "producer":
        bindings["producer_code"] = make_producer().code
    if role == "staff":
        bindings["showroom_code"] = make_showroom().code
    auth.login(make_user(role=role, **bindings))

    assert client.get(PAGE).status_code == 403
    assert client.post(f"{PAGE}/{first}/received").status_code == 403
    assert (
        upload(client, f"date,description,credit\n1,{first},350000\n".encode()).status_code == 403
    )
    assert order_state(first).status == "awaiting_payment"


def _kept_for_review(number: str) -> list[tuple[int, str, str]]:
    db.session.expire_all()
    return db.session.execute(
        select(Payment.amount_vnd, Payment.review_reason, Payment.note)
        .join(Order, Order.id == Payment.order_id)
        .where(Order.number == number, Payment.needs_review.is_(True))
    ).all()


def test_a_late_transfer_for_an_expired_or_cancelled_order_is_kept_to_review(
    app, client, awaiting, office
):
    first, second, third = awaiting
    orders.change_status(orders.get_order(first), OrderStatus.EXPIRED, orders.SYSTEM)
    buyer = orders.Actor("customer", "Lan")
    orders.change_status(orders.get_order(second), OrderStatus.CANCELLED, buyer)
    db.session.commit()
    office()
    statement = (
        f"date,description,credit\n01/11/2026,CK {first},350000\n"
        f"01/11/2026,CK {second},230000\n01/11/2026,CK {third} thieu,100000\n"
    ).encode()

    response = upload(client, statement)
    upload(client, statement)  # the same statement again keeps nothing twice

    assert response.status_code == 200
    assert [order_state(n).status for n in awaiting] == ["expired", "cancelled", "awaiting_payment"]
    assert [order_state(n).payments for n in awaiting] == [0, 0, 0]  # nothing paid by them
    assert _kept_for_review(first) == [(350_000, "order_expired", f"CK {first}")]
    assert _kept_for_review(second) == [(230_000, "order_cancelled", f"CK {second}")]
    assert _kept_for_review(third) == [(100_000, "amount_differs", f"CK {third} thieu")]
    # Not only on the upload's answer: the payments page lists them, with why, every time.
    later = page_text(client.get(PAGE))
    for number in (first, second, third):
        assert number in later.split(translated(app, "Payments to look at"))[1]
    assert translated(app, "the order had expired") in later
    assert translated(app, "the order was cancelled") in later
