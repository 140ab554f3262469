"""The counter and the back office through their pages and JSON, as staff use them."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from storefront.catalog.models import ProductNoticeRule
from storefront.extensions import db
from storefront.inventory import services as inventory
from storefront.orders.models import Order
from storefront.outbox.models import OutboxMessage
from storefront.showrooms import pickups, transfers
from storefront.showrooms.models import Sale, SaleLine
from tests.factories import make_product, make_user
from tests.showrooms.helpers import open_shift, place_pickup

JSON = {"Accept": "application/json"}


@pytest.fixture
def staff_x(counter, auth, client):
    auth.login(counter.staff)
    client.set_cookie("lang", "en")
    return counter


def post_sale(client, client_id="sale-0000-0001", lines=(("TEA234", 2),), **extra):
    body = {
        "client_id": client_id,
        "lines": [{"code": c, "quantity": q} for c, q in lines],
        "payment": "cash",
        **extra,
    }
    return client.post(
        "/pos/api/sales", data=json.dumps(body), headers=JSON, content_type="application/json"
    )


def test_the_counter_page_may_compile_webassembly_and_no_other_page_may(staff_x, client):
    counter_page = client.get("/pos/")
    assert counter_page.status_code == 200
    assert "'wasm-unsafe-eval'" in counter_page.headers["Content-Security-Policy"]
    assert 'id="scan"' in counter_page.text
    assert "pos/counter.js" in counter_page.text
    assert "wasm" not in client.get("/showroom/").headers["Content-Security-Policy"]


def test_a_scan_answers_json_with_the_product(staff_x, client):
    answer = client.get("/pos/api/scan?code=http://shop.test/q/TEA234", headers=JSON)
    assert answer.status_code == 200
    product = answer.json["product"]
    assert (product["code"], product["stars"], product["available"]) == ("TEA234", 4, 5)
    assert product["image_url"].endswith("/static/img/groups/food.svg")


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("", "empty"),
        ("%%%garbage%%%", "garbage"),
        ("https://evil.example/q/TEA234", "foreign"),
        ("ZZZ999", "unknown"),
        ("x" * 2000, "garbage"),
    ],
)
def test_a_bad_scan_is_refused_with_a_reason_and_never_a_500(staff_x, client, code, kind):
    answer = client.get("/pos/api/scan", query_string={"code": code}, headers=JSON)
    assert answer.status_code == 422
    assert answer.json["kind"] == kind
    assert answer.json["message"]


def test_a_sale_posted_twice_is_recorded_once(staff_x, client):
    first = post_sale(client, cash_given=300_000)
    assert first.status_code == 201
    assert (first.json["total_vnd"], first.json["change_vnd"]) == (240_000, 60_000)
    again = post_sale(client, cash_given=300_000)
    assert again.status_code == 200
    assert again.json["number"] == first.json["number"]
    assert db.session.scalar(select(func.count(Sale.id))) == 1
    assert inventory.available(staff_x.tea.id, staff_x.location_id) == 3


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[]",
        '{"client_id": "sale-0000-0002"}',
        '{"client_id": "sale-0000-0002", "lines": [{"code": "TEA234", "quantity": 9}],'
        ' "payment": "cash"}',
        '{"client_id": "sale-0000-0002", "lines": [{"code": "TEA234", "quantity": 1}],'
        ' "payment": "bitcoin"}',
    ],
)
def test_a_bad_sale_is_refused_with_a_reason_and_changes_nothing(staff_x, client, body):
    answer = client.post("/pos/api/sales", data=body, headers=JSON, content_type="application/json")
    assert answer.status_code in (400, 422)
    assert answer.json["message"]
    assert db.session.scalar(select(func.count(Sale.id))) == 0
    assert inventory.available(staff_x.tea.id, staff_x.location_id) == 5


def test_the_counter_page_carries_its_shift_and_a_sale_from_before_it_is_refused(staff_x, client):
    page = client.get("/pos/").text
    shift = int(re.search(r'"shift": (\d+)', page).group(1))
    before = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    refused = post_sale(client, sold_at=before, shift=shift)
    assert refused.status_code == 422
    assert "shift began" in refused.json["message"]
    assert db.session.scalar(select(func.count(Sale.id))) == 0
    assert inventory.available(staff_x.tea.id, staff_x.location_id) == 5
    during = datetime.now(UTC).isoformat()
    assert post_sale(client, sold_at=during, shift=shift).status_code == 201


def test_the_receipt_is_an_80mm_page_in_vietnamese(staff_x, client):
    number = post_sale(client).json["number"]
    receipt = client.get(f"/pos/sales/{number}/receipt")
    assert receipt.status_code == 200
    assert "Tổng cộng" in receipt.text
    assert "240.000\u00a0₫" in receipt.text
    assert "Tiền thối lại" in receipt.text


def test_a_void_through_the_sale_page_puts_the_goods_back(staff_x, client):
    number = post_sale(client).json["number"]
    page = client.post(
        f"/pos/sales/{number}/void", data={"reason": "Quét nhầm"}, follow_redirects=True
    )
    assert "voided" in page.text
    assert inventory.available(staff_x.tea.id, staff_x.location_id) == 5


def test_a_return_without_a_reason_is_refused_with_a_message(staff_x, client):
    number = post_sale(client).json["number"]
    sale = db.session.scalar(select(Sale).where(Sale.number == number))
    page = client.post(
        f"/pos/sales/{number}/return",
        data={f"return-{sale.lines[0].id}": "1"},
        follow_redirects=True,
    )
    assert "Say why" in page.text
    assert inventory.available(staff_x.tea.id, staff_x.location_id) == 3


def test_a_label_sheet_of_10000_is_refused_with_a_clear_message(staff_x, client):
    page = client.get("/showroom/labels.pdf?layout=a4-24&n-TEA234=10000")
    assert page.status_code == 400
    assert "At most 1000 labels per request; you asked for 10000" in page.text


def test_a_label_sheet_is_a_pdf(staff_x, client):
    pdf = client.get("/showroom/labels.pdf?layout=thermal-50x30&n-TEA234=2&n-HNY234=1")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")


def test_a_transfer_received_through_the_page_and_then_again(staff_x, client):
    jam = make_product("Mứt sim", producer=staff_x.producer, code="JAM234", stock=9)
    sent = transfers.send_to_showroom(
        staff_x.producer.id, staff_x.showroom.id, {jam.id: 4}, actor="test"
    )
    db.session.commit()
    refused = client.post(f"/showroom/transfers/{sent.id}", data={f"count-{jam.id}": "-4"})
    assert refused.status_code == 400
    assert "cannot be negative" in refused.text
    assert client.post(f"/showroom/transfers/{sent.id}", data={}).status_code == 302
    twice = client.post(f"/showroom/transfers/{sent.id}", data={})
    assert twice.status_code == 409
    assert "received or cancelled already" in twice.text
    assert inventory.available(jam.id, staff_x.location_id) == 4


def test_a_pick_up_is_handed_over_after_scanning_the_customers_pass(staff_x, client):
    order = place_pickup(staff_x)
    client.post(f"/showroom/pickups/{order.number}/ready")
    found = client.post(
        "/showroom/pickups/find", data={"scan": f"{order.number}-{order.pickup_code}"}
    )
    assert found.status_code == 302
    assert order.number in found.location
    wrong = client.post(
        f"/showroom/pickups/{order.number}/hand-over",
        data={"code": "WRONG1", "cash_received": "y"},
        follow_redirects=True,
    )
    assert "does not match" in wrong.text
    done = client.post(
        f"/showroom/pickups/{order.number}/hand-over",
        data={"code": order.pickup_code, "cash_received": "y"},
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "collected"


def test_the_order_page_shows_the_pick_up_code_and_its_qr(counter, client):
    order = place_pickup(counter)
    with client.session_transaction() as session:
        session["orders"] = [order.number]
    page = client.get(f"/don-hang/{order.number}")
    assert order.pickup_code in page.text
    assert 'class="pickup-qr"' in page.text


def test_the_producer_and_the_office_read_settlements(counter, client, auth):
    post_sale_as = make_user("x2@example.vn", "staff", showroom_code="KT")
    open_shift(post_sale_as)
    auth.login(post_sale_as)
    post_sale(client)
    auth.logout()
    auth.login(make_user("p@example.vn", "producer", producer_code="HTX1"))
    mine = client.get("/producer/settlements")
    assert mine.status_code == 200
    assert "240.000" in mine.text
    auth.logout()
    auth.login(make_user("o@example.vn", "office"))
    office = client.get("/showroom/settlements?producer=HTX1&showroom=KT")
    assert office.status_code == 200
    assert "240.000" in office.text
    assert client.get("/pos/").status_code == 403


# --- staff of one showroom never reach another's -------------------------------------------


def test_staff_of_another_showroom_get_404_for_everything_of_this_one(counter, client, auth):
    auth.login(counter.staff)
    number = post_sale(client).json["number"]
    sale = db.session.scalar(select(Sale).where(Sale.number == number))
    jam = make_product("Mứt sim", producer=counter.producer, code="JAM234", stock=9)
    sent = transfers.send_to_showroom(
        counter.producer.id, counter.showroom.id, {jam.id: 4}, actor="test"
    )
    db.session.commit()
    order = place_pickup(counter)
    auth.logout()

    auth.login(counter.other_staff)
    line = f"return-{sale.lines[0].id}"
    for method, path, data in [
        ("GET", f"/pos/sales/{number}", None),
        ("GET", f"/pos/sales/{number}/receipt", None),
        ("POST", f"/pos/sales/{number}/void", {"reason": "x"}),
        ("POST", f"/pos/sales/{number}/return", {"reason": "x", line: "1"}),
        ("GET", f"/showroom/transfers/{sent.id}", None),
        ("POST", f"/showroom/transfers/{sent.id}", {}),
        ("GET", f"/showroom/pickups/{order.number}", None),
        ("POST", f"/showroom/pickups/{order.number}/ready", {}),
        ("POST", f"/showroom/pickups/{order.number}/hand-over", {"code": order.pickup_code}),
    ]:
        answer = client.open(path, method=method, data=data)
        assert answer.status_code == 404, (method, path, answer.status_code)
    replay = post_sale(client)  # the other showroom's sale id, replayed here
    assert replay.status_code == 404

    lists = [
        client.get(p).text
        for p in (
            "/pos/sales",
            "/showroom/transfers",
            "/showroom/pickups",
            "/showroom/report",
            "/showroom/stock",
            "/showroom/labels",
        )
    ]
    for text in lists:
        assert number not in text
        assert sent.reference not in text
        assert order.number not in text
        assert "Trà Măng Đen" not in text
    found = client.post(
        "/showroom/pickups/find", data={"scan": order.number}, follow_redirects=True
    )
    assert "No such pick-up order at this showroom" in found.text
    statement = client.get("/showroom/settlements?producer=HTX1&showroom=KT")
    assert "240.000" not in statement.text  # staff read their own showroom's statement only
    sold = client.get("/pos/api/scan?code=TEA234", headers=JSON)
    assert sold.status_code == 422
    assert sold.json["kind"] == "out_of_stock"

    db.session.expire_all()
    assert db.session.get(Sale, sale.id).status == "completed"
    assert db.session.get(Order, order.id).status == "placed"


def test_a_slip_is_sent_by_e_mail_or_sms_through_the_outbox(staff_x, client):
    number = post_sale(client).json["number"]
    sent = client.post(f"/pos/sales/{number}/send", data={"to": "Khach@Example.vn"}, headers=JSON)
    assert sent.status_code == 200
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "pos_slip"))
    assert message.recipient == "khach@example.vn"
    assert number in message.subject
    assert "Phiếu thanh toán" in message.subject
    assert "240.000" in message.body_text
    texted = client.post(f"/pos/sales/{number}/send", data={"to": "0912 345 678"}, headers=JSON)
    assert texted.status_code == 200
    sms = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "0912345678"))
    assert sms.channel == "sms"
    assert number in sms.body_text
    assert "240.000" in sms.body_text
    refused = client.post(f"/pos/sales/{number}/send", data={"to": "not an address"}, headers=JSON)
    assert refused.status_code == 422
    assert refused.json["message"]
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 2


def test_the_law_s_notice_goes_with_a_counter_sale_to_its_line_receipt_and_slip(staff_x, client):
    # Tea is made an alcohol here: the office's rule on its group.
    rule = ProductNoticeRule(group=staff_x.tea.group, subgroup=None, notice="adults_only")
    db.session.add(rule)
    db.session.commit()
    scanned = client.get("/pos/api/scan?code=TEA234", headers=JSON).json["product"]
    assert scanned["notices"] == ["adults_only"]
    config = json.loads(
        re.search(r'id="pos-config">(.*?)</script>', client.get("/pos/").text, re.S)[1]
    )
    assert config["notices"]["adults_only"] == "Not for sale to persons under 18."
    assert 'class="pos-line-notices' in client.get("/pos/").text

    number = post_sale(client).json["number"]
    assert db.session.scalar(select(SaleLine.notices)) == "adults_only"
    # The rule goes; the sale keeps what it was sold with.
    db.session.delete(rule)
    db.session.commit()
    legal = "Không bán cho người dưới 18 tuổi."
    assert legal in client.get(f"/pos/sales/{number}/receipt").text  # Vietnamese on an English page
    assert "Not for sale to persons under 18." in client.get(f"/pos/sales/{number}").text
    client.post(f"/pos/sales/{number}/send", data={"to": "khach@example.vn"}, headers=JSON)
    slip = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "pos_slip"))
    assert legal in slip.body_text
    assert client.get("/pos/api/scan?code=TEA234", headers=JSON).json["product"]["notices"] == []


def test_the_receipt_page_prints_the_slip_on_the_roll_asked_for(staff_x, client):
    number = post_sale(client).json["number"]
    page = client.get(f"/pos/sales/{number}/receipt?roll=58")
    assert 'data-asked-roll="58"' in page.text
    assert "Phiếu thanh toán" in page.text
    assert "Hoá đơn bán lẻ" not in page.text
    assert 'data-asked-roll="' not in client.get(f"/pos/sales/{number}/receipt?roll=99").text


def test_the_service_worker_keeps_the_counter_its_files_and_the_shelf(staff_x, client):
    worker = client.get("/pos/sw.js")
    assert worker.status_code == 200
    assert worker.headers["Content-Type"].startswith("text/javascript")
    for kept in ("/pos/", "/pos/api/catalogue", "zxing_reader.wasm", "js/pos/counter.js"):
        assert kept in worker.text
    assert client.get("/pos/").headers["X-Counter-Page"] == "selling"


def test_a_name_typed_at_the_counter_finds_the_shelfs_products_only(staff_x, client):
    found = client.get("/pos/api/find?q=tra mang den").json["products"]
    assert [p["code"] for p in found] == ["TEA234"]
    assert found[0]["folded"].startswith("tra mang den")
    assert client.get("/pos/api/find?q=mat ong").json["products"][0]["code"] == "HNY234"
    assert client.get("/pos/api/find?q=ca phe").json["products"] == []


def test_a_pick_up_pass_scanned_at_the_counter_opens_its_hand_over_with_the_code_checked(
    staff_x, client
):
    order = place_pickup(staff_x)
    pickups.mark_ready(staff_x.staff, order.number)
    db.session.commit()
    answer = client.get(f"/pos/api/scan?code={order.number}-{order.pickup_code}")
    assert answer.status_code == 200
    hand_over = client.get(answer.json["pickup_url"])
    assert 'data-matches="true"' in hand_over.text
    wrong = client.get(f"/showroom/pickups/{order.number}?scanned={order.number}-ZZZZZZ")
    assert 'data-matches="false"' in wrong.text
