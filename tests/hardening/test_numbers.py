"""Numbers nobody can mean, in each place a person types one: a 5,000-digit number (past Python's
4,300-digit limit for int()), a 19-digit one, digits of other scripts and signs. Each is refused
with a message and changes nothing; none answers 500. And the one parser they all go through."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from storefront.catalog.models import Product
from storefront.domain import Refused
from storefront.extensions import db
from storefront.ids import parse_id
from storefront.numbers import MAX_DIGITS, NotAWholeNumber, OutOfRange, parse_int, parse_vnd
from storefront.showrooms.models import Sale
from tests.hardening.snapshot import database_checksum
from tests.hardening.test_csrf import sign_in

HUGE = "9" * 5000
MEANINGLESS = [
    HUGE,
    "-" + HUGE,
    "1" + "0" * MAX_DIGITS,  # 19 digits: no column holds it
    "١٢",  # Arabic-Indic 12: a digit to str.isdecimal(), and int() reads it
    "１２",  # fullwidth 12
    "²",
    "+3",
    "1_000",  # int() reads it
]


# --- the parser --------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", MEANINGLESS)
def test_the_parser_refuses_what_no_field_means(raw):
    with pytest.raises(NotAWholeNumber):
        parse_int(raw, minimum=-(10**9), maximum=10**9)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("7", 7), (" 42 ", 42), ("-3", -3), (12, 12), ("0", 0), ("9" * MAX_DIGITS, 10**18 - 1)],
)
def test_the_parser_reads_plain_whole_numbers(raw, expected):
    assert parse_int(raw, minimum=-10, maximum=10**18) == expected


def test_the_parser_says_which_bound_a_number_misses():
    with pytest.raises(OutOfRange) as low:
        parse_int("-1", minimum=0, maximum=5)
    with pytest.raises(OutOfRange) as high:
        parse_int("6", minimum=0, maximum=5)
    assert low.value.too_small
    assert not high.value.too_small
    with pytest.raises(NotAWholeNumber):
        parse_int(True, maximum=5)  # JSON's true is no number


def test_a_number_refusal_is_a_domain_refusal_and_a_value_error():
    """A Refused like every refusal (400 should one reach the app handler, never a 500), and
    still a ValueError: werkzeug's ``type=`` reads that as "no value"."""
    with pytest.raises(Refused):
        parse_int("²", maximum=5)
    with pytest.raises(Refused):
        parse_int("6", maximum=5)
    args = MultiDict({"product": "9" * 30, "page": "-1", "ok": "7"})
    assert args.get("product", type=parse_id) is None
    assert args.get("page", type=parse_id) is None
    assert args.get("ok", type=parse_id) == 7


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("120000", 120000),
        ("120.000", 120000),
        ("120,000", 120000),
        ("120 000 ₫", 120000),
        ("1.000.000đ", 1000000),
        ("350000 VND", 350000),
        ("350\u00a0000", 350000),
    ],
)
def test_money_is_read_as_people_write_it(raw, expected):
    assert parse_vnd(raw, maximum=10**9) == expected


@pytest.mark.parametrize("raw", ["120000.50", "1.000,000", "12.00", "١٢٠٠٠٠", HUGE, "₫"])
def test_money_that_is_not_whole_dong_is_refused(raw):
    with pytest.raises(NotAWholeNumber):
        parse_vnd(raw, maximum=10**18)


# --- the ten places ----------------------------------------------------------------------------


def _sale_line_id(values) -> int:
    sale = db.session.scalar(select(Sale).where(Sale.number == values["sale_x"]))
    return sale.lines[0].id


FORMS = [  # (place, actor, path, form with {n} where the number goes)
    ("cart add", "anonymous", "/gio-hang/them", {"code": "{product_a}", "quantity": "{n}"}),
    ("cart update", "customer", "/gio-hang/cap-nhat", {"qty-{product_a_id}": "{n}"}),
    (
        "pos return",
        "staff_x",
        "/pos/sales/{sale_x}/return",
        {"reason": "x", "return-{line}": "{n}"},
    ),
    (
        "producer count",
        "producer_a",
        "/producer/stock",
        {"count-{product_a_id}": "{n}", "reason": "x"},
    ),
    (
        "producer batch",
        "producer_a",
        "/producer/stock/receive",
        {"product": "{product_a_id}", "quantity": "{n}"},
    ),
    (
        "producer transfer",
        "producer_a",
        "/producer/transfers",
        {"showroom": "SX", "send-{product_a_id}": "{n}"},
    ),
    (
        "showroom receiving",
        "staff_x",
        "/showroom/receive",
        {"product": "{product_a}", "quantity": "{n}"},
    ),
    (
        "showroom transfer count",
        "staff_x",
        "/showroom/transfers/{transfer_a}",
        {"count-{product_a_id}": "{n}"},
    ),
    (
        "showroom stock count",
        "staff_x",
        "/showroom/stock",
        {"count-{product_a_id}": "{n}", "reason": "x"},
    ),
    (
        "certificate score",
        "office",
        "/office/products/{product_a}/certificates",
        {"cert-score": "{n}", "cert-stars": "4"},
    ),
]


@pytest.mark.parametrize("number", [HUGE, "1" + "0" * MAX_DIGITS, "١٢", "-1"])
@pytest.mark.parametrize(("place", "actor", "path", "form"), FORMS)
def test_a_meaningless_number_in_a_form_is_refused_and_changes_nothing(
    client, world, place, actor, path, form, number
):
    user_ids, values = world
    fill = {**values, "line": _sale_line_id(values), "n": number}
    sent = {key.format(**fill): value.format(**fill) for key, value in form.items()}
    sign_in(client, user_ids.get(actor))
    before = database_checksum()
    response = client.post(path.format(**fill), data=sent)
    assert response.status_code in (200, 302, 400, 422), place
    assert database_checksum() == before, place
    if response.status_code == 302:
        with client.session_transaction() as session:
            flashed = session.get("_flashes", [])
        assert any(category == "error" for category, _message in flashed), place


@pytest.mark.parametrize("cash", [HUGE, "1" + "0" * MAX_DIGITS, "١٢٠٠٠٠", "-5"])
def test_a_meaningless_cash_amount_at_the_counter_is_refused(client, world, cash):
    user_ids, values = world
    sign_in(client, user_ids["staff_x"])
    before = database_checksum()
    response = client.post(
        "/pos/api/sales",
        json={
            "client_id": "c" * 32,
            "lines": [{"code": values["product_a"], "quantity": 1}],
            "payment": "cash",
            "cash_given": cash,
        },
    )
    assert response.status_code == 422
    assert "đồng" in response.json["message"]
    assert database_checksum() == before


def test_a_statement_amount_past_any_column_is_no_amount(client, world):
    user_ids, values = world
    sign_in(client, user_ids["office"])
    before = database_checksum()
    statement = f"noi dung,so tien\nTT {values['order']},{HUGE}\nTT {values['order']},١٢\n"
    response = client.post(
        "/office/payments",
        data={"statement": (io.BytesIO(statement.encode()), "sao-ke.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert response.text.count("no amount") + response.text.count("không có số tiền") == 2
    assert database_checksum() == before


def test_a_signed_in_cart_refuses_a_product_that_does_not_exist(client, world):
    user_ids, _values = world
    sign_in(client, user_ids["customer"])
    before = database_checksum()
    response = client.post("/gio-hang/cap-nhat", data={"qty-999999": "1"})
    assert response.status_code == 302
    with client.session_transaction() as session:
        flashed = session.get("_flashes", [])
    assert any(category == "error" for category, _message in flashed)
    assert database_checksum() == before
    assert db.session.get(Product, 999999) is None
