"""A batch label's QR opens /q/<product>/<batch>: the certificate check plus the batch's dates,
units made and where it went; the API answers the same."""

from __future__ import annotations

from datetime import date, timedelta

from storefront.clock import today
from tests.factories import make_certificate, make_product, make_showroom
from tests.traceability.helpers import deliver, make_batch


def test_batch_page_shows_dates_units_and_showrooms(client, app_ctx):
    product = make_product("Sâm dây Ngọc Linh", stars=5)
    made = today() - timedelta(days=20)
    batch = make_batch(product, 120, made, today() + timedelta(days=300), today=today())
    showroom = make_showroom(name="Điểm bán OCOP Đăk Tô")
    deliver(batch, showroom, 40, made + timedelta(days=2))

    page = client.get(f"/q/{product.code}/{batch.code}")

    assert page.status_code == 200
    assert "Valid OCOP certificate" in page.text or "Chứng nhận OCOP còn hiệu lực" in page.text
    assert batch.code in page.text
    assert made.strftime("%d/%m/%Y") in page.text
    assert (today() + timedelta(days=300)).strftime("%d/%m/%Y") in page.text
    assert "120" in page.text
    assert "Điểm bán OCOP Đăk Tô" in page.text
    assert "40" in page.text
    assert "batch-past" not in page.text


def test_expired_batch_says_so_in_red_plain_words(client, app_ctx):
    product = make_product()
    batch = make_batch(
        product, 10, today() - timedelta(days=400), today() - timedelta(days=3), today=today()
    )
    page = client.get(f"/q/{product.code}/{batch.code}?lang=en", headers={"Accept-Language": "en"})
    assert 'class="batch-past"' in page.text
    assert batch.expires_on.strftime("%d/%m/%Y") in page.text


def test_lower_case_batch_code_from_a_hand_typed_url_still_finds_the_batch(client, app_ctx):
    product = make_product()
    batch = make_batch(product)
    assert client.get(f"/q/{product.code.lower()}/{batch.code.lower()}").status_code == 200


def test_a_batch_code_of_another_product_is_not_registered(client, app_ctx):
    product, other = make_product(), make_product()
    batch = make_batch(other)
    page = client.get(f"/q/{product.code}/{batch.code}")
    assert page.status_code == 404
    assert batch.code in page.text


def test_product_only_qr_keeps_working(client, app_ctx):
    product = make_product()
    make_batch(product)
    page = client.get(f"/q/{product.code}")
    assert page.status_code == 200
    assert 'class="batch-box' not in page.text


def test_api_answers_the_batch_check(client, app_ctx):
    product = make_product(stars=4)
    made = today() - timedelta(days=5)
    batch = make_batch(product, 50, made, None, today=today())
    showroom = make_showroom(code="DT1", name="Điểm bán Đăk Tô")
    deliver(batch, showroom, 12, made)

    body = client.get(f"/api/v1/verify/{product.code}/{batch.code}").get_json()

    assert body["state"] == "valid"
    assert body["product"]["code"] == product.code
    assert body["batch"] == {
        "code": batch.code,
        "produced_on": made.isoformat(),
        "expires_on": None,
        "expired": False,
        "quantity": 50,
        "under_review": False,
        "deliveries": [
            {
                "showroom": {"code": "DT1", "name": "Điểm bán Đăk Tô"},
                "quantity": 12,
                "delivered_on": made.isoformat(),
            }
        ],
    }
    assert client.get(f"/api/v1/verify/{product.code}/NOSUCH").status_code == 404


def test_batch_of_a_revoked_product_shows_the_revocation_too(client, app_ctx):
    product = make_product(stars=None)
    make_certificate(
        product, stars=4, status="revoked", revoked_on=date.today(), revoked_reason="Hàng giả"
    )
    batch = make_batch(product)
    page = client.get(f"/q/{product.code}/{batch.code}")
    assert page.status_code == 200
    assert "verdict-revoked" in page.text
    assert batch.code in page.text
