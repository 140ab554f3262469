"""What the producer tells buyers: kept from the portal's form, shown on the product page in a
fixed order with the description's Markdown made safe, given by the API, and in the audit log."""

import json
import re

import pytest
from sqlalchemy import select

from storefront.audit.models import AuditEntry
from storefront.catalog.models import Product
from storefront.extensions import db
from tests.factories import make_producer, make_product, make_user

HOSTILE = """Sâm **ngon**.

<script>alert('xss')</script>

- [bấm](javascript:alert(1))
- <img src=x onerror="alert(2)">

<iframe src="https://evil.example"></iframe>
"""

CONTENT = {
    "details-unit": "chai 500ml",
    "details-net_quantity": "500 ml",
    "details-description": "Nước sâm **nguyên chất**.\n\n- Không đường\n- Không chất bảo quản",
    "details-ingredients": "Củ sâm, mật ong, vitamin C.",
    "details-shelf_life": "12 tháng kể từ ngày sản xuất.",
    "details-storage": "Nơi khô ráo, thoáng mát.",
    "details-directions": "Lắc đều trước khi dùng.",
    "details-origin": "Phường Trường Chinh, TP. Kon Tum",
    "details-shipping_weight": "750",
}


@pytest.fixture
def kora(app_ctx, client, auth):
    producer = make_producer("KORA", "Kora Group")
    user = make_user("kora@example.vn", role="producer", producer_code="KORA")
    product = make_product("Hồng đảng sâm", producer=producer, stock=5)
    auth.login(user)
    return product


def _save(client, product, **fields):
    db.session.expire_all()
    version = db.session.get(Product, product.id).version
    data = {"details-unit": "hộp", "details-version": version, **fields}
    return client.post(f"/producer/products/{product.code}/details", data=data)


def test_a_script_in_the_description_never_reaches_the_product_page(client, kora):
    assert _save(client, kora, **{"details-description": HOSTILE}).status_code == 302
    page = client.get(f"/san-pham/{kora.code}").text
    about = page[page.index('id="about-title"') :]
    assert "<strong>ngon</strong>" in about  # the Markdown is shown
    description = about[: about.index("</section>")]
    # No element or attribute of the pasted HTML is markup: it is shown as the text it is.
    assert re.findall(r"<(script|img|iframe)\b", description) == []
    assert re.findall(r"<[^>]*\b(onerror|javascript:)", description) == []
    assert "&lt;script&gt;" in description


def test_the_producer_keeps_every_detail_and_the_page_shows_them_in_order(client, kora):
    assert _save(client, kora, **CONTENT).status_code == 302
    page = client.get(f"/san-pham/{kora.code}").text
    about = page[page.index('id="about-title"') :]
    shown = [
        "<strong>nguyên chất</strong>",
        "<li>Không đường</li>",
        "500 ml",
        "Củ sâm, mật ong, vitamin C.",
        "12 tháng kể từ ngày sản xuất.",
        "Nơi khô ráo, thoáng mát.",
        "Lắc đều trước khi dùng.",
        "Phường Trường Chinh, TP. Kon Tum",
        "750 g",
    ]
    places = [about.index(text) for text in shown]
    assert places == sorted(places)
    api = client.get(f"/api/v1/products/{kora.code}").json
    assert api["ingredients"] == "Củ sâm, mật ong, vitamin C."
    assert api["net_quantity"] == "500 ml"
    assert api["shipping_weight_grams"] == 750
    assert api["origin"] == "Phường Trường Chinh, TP. Kon Tum"
    assert api["content_is_demo"] is False


def test_every_change_is_in_the_audit_log_with_before_and_after(client, kora):
    _save(client, kora, **CONTENT)
    _save(client, kora, **{**CONTENT, "details-shelf_life": "18 tháng."})
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action == "product.details_changed")
        .order_by(AuditEntry.id)
    ).all()
    assert len(entries) == 2
    assert json.loads(entries[1].before) == {"shelf_life": "12 tháng kể từ ngày sản xuất."}
    assert json.loads(entries[1].after) == {"shelf_life": "18 tháng."}
    assert "kora@example.vn" in entries[1].actor_name or entries[1].actor_id is not None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("details-shipping_weight", "nặng"),
        ("details-shipping_weight", "0"),
        ("details-shipping_weight", "100001"),
        ("details-ingredients", "x" * 2001),
        ("details-origin", "x" * 201),
    ],
)
def test_a_refused_detail_changes_nothing(client, kora, field, value):
    response = _save(client, kora, **{**CONTENT, field: value})
    assert response.status_code == 400
    assert 'class="errors"' in response.text
    db.session.expire_all()
    product = db.session.get(Product, kora.id)
    assert product.ingredients is None
    assert product.shipping_weight_grams is None
    assert db.session.scalar(select(AuditEntry.id)) is None


def test_saving_makes_the_demo_texts_the_producers(client, kora):
    kora.content_is_demo = True
    kora.description = "Viết cho bản demo."
    db.session.commit()
    assert (
        "demo-tag" in client.get(f"/san-pham/{kora.code}").text.split('id="about-title"')[1][:300]
    )
    _save(client, kora, **CONTENT)
    db.session.expire_all()
    assert db.session.get(Product, kora.id).content_is_demo is False
