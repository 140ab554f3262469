import re

import pytest
from sqlalchemy import select

from storefront import clock
from storefront.audit.models import AuditEntry
from storefront.catalog import listing
from storefront.catalog.models import PriceChange, Product
from storefront.extensions import db
from storefront.inventory import services as stock
from storefront.office import producers as register
from storefront.office import products as catalogue
from storefront.office.errors import OfficeError
from storefront.office.fields import Invalid
from storefront.producers import products as portal
from storefront.producers import stock as warehouse
from storefront.register.models import Producer
from tests.factories import make_producer, make_product, make_region, make_user
from tests.hardening.snapshot import database_checksum


def shop_codes() -> set[str]:
    page = listing.list_products(listing.CatalogFilters(), clock.today(), 100)
    return {card.code for card in page.items}


def audit(action: str) -> AuditEntry | None:
    return db.session.scalar(select(AuditEntry).where(AuditEntry.action == action))


def test_office_registers_a_producer_and_every_bad_field_is_named(officer):
    region = make_region("KT-DH", "Huyện Đăk Hà", kind="district")
    producer = register.create_producer(
        officer,
        register.ProducerFields(code="htx-dh", name="HTX Đăk Hà", legal_form="HTX", region="KT-DH"),
    )
    assert (producer.code, producer.legal_form, producer.region_id) == (
        "HTX-DH",
        "cooperative",
        region.id,
    )
    assert audit("producer.created").subject == "HTX Đăk Hà (HTX-DH)"

    with pytest.raises(Invalid) as refused:
        register.create_producer(
            officer,
            register.ProducerFields(
                code="x", name="", legal_form="bank", region="NOWHERE", email="no"
            ),
        )
    assert set(refused.value.errors) == {"code", "name", "legal_form", "region", "email"}


def test_a_producer_code_is_unique(officer):
    make_producer("KORA")
    region = make_region()
    with pytest.raises(OfficeError, match="KORA"):
        register.create_producer(
            officer,
            register.ProducerFields(
                code="KORA", name="Kora 2", legal_form="enterprise", region=region.code
            ),
        )


def test_deactivating_a_producer_takes_its_products_out_of_the_shop(officer):
    producer = make_producer("KORA")
    product = make_product(producer=producer)
    assert product.code in shop_codes()
    with pytest.raises(OfficeError):
        register.set_producer_active(officer, "KORA", False, "")
    register.set_producer_active(officer, "KORA", False, "Ngừng sản xuất")
    db.session.commit()
    assert product.code not in shop_codes()
    assert audit("product.unlisted").note.endswith("Ngừng sản xuất")
    with pytest.raises(OfficeError):
        catalogue.set_listing(officer, product.code, True, "thử lại")


def test_a_registered_product_enters_the_shop_only_with_a_certificate(officer):
    producer = make_producer("KORA")
    product = catalogue.create_product(
        officer,
        catalogue.ProductFields(
            name="Sâm dây", producer="KORA", group="herbal", unit="hộp", price="120.000"
        ),
    )
    db.session.commit()
    assert product.price_vnd == 120000
    assert product.region_id == producer.region_id
    assert product.listed
    assert product.review_status == "approved"
    assert product.code not in shop_codes()


def test_an_office_price_change_is_in_the_price_history_and_the_audit_log(officer):
    product = make_product(price_vnd=100000)
    fields = catalogue.ProductFields(
        name=product.name, producer=product.producer.code, group="food", unit="hộp", price="125000"
    )
    catalogue.update_product(officer, product.code, fields, product.version)
    db.session.commit()
    change = db.session.scalar(select(PriceChange))
    assert (change.old_price_vnd, change.new_price_vnd, change.actor_name) == (
        100000,
        125000,
        "Chị Lan",
    )
    entry = audit("price.changed")
    assert entry.before == '{"price_vnd": 100000}'
    assert entry.after == '{"price_vnd": 125000}'


def test_an_edit_from_a_stale_form_is_refused(officer):
    product = make_product()
    fields = catalogue.ProductFields(
        name="Tên mới", producer=product.producer.code, group="food", unit="hộp", price="1000"
    )
    stale = product.version
    catalogue.update_product(officer, product.code, fields, stale)
    db.session.commit()
    with pytest.raises(catalogue.ChangedMeanwhile):
        catalogue.update_product(officer, product.code, fields, stale)


def test_the_producer_portal_price_changes_are_audited_too(app_ctx):
    producer = make_producer("KORA")
    user = make_user("kora@example.vn", role="producer", producer_code="KORA", name="Chị Hoa")
    product = make_product(producer=producer, price_vnd=450000)
    portal.change_price(user, product.id, "480000", product.version)
    db.session.commit()
    entry = audit("price.changed")
    assert entry.actor_name == "Chị Hoa"
    assert entry.area == "price"


def test_stock_corrections_are_audited(app_ctx):
    producer = make_producer("KORA")
    user = make_user("kora@example.vn", role="producer", producer_code="KORA", name="Chị Hoa")
    product = make_product(producer=producer, stock=20)
    warehouse.correct_count(user, product.id, 17, "vỡ 3 chai")
    db.session.commit()
    entry = audit("stock.corrected")
    assert entry.before == '{"quantity": 20}'
    assert entry.after == '{"quantity": 17}'
    assert entry.note == "vỡ 3 chai"
    assert entry.actor_name == "Chị Hoa"
    assert stock.ledger_sum(product.id, stock.warehouse_of(producer.id).id) == 17


def test_a_proposal_is_approved_or_rejected_with_a_reason(officer):
    proposal = make_product(stars=None, review_status="pending", listed=False)
    with pytest.raises(OfficeError):
        catalogue.review_product(officer, proposal.code, approve=False, reason=" ")
    catalogue.review_product(officer, proposal.code, approve=False, reason="Thiếu hồ sơ")
    assert proposal.review_status == "rejected"
    assert not proposal.listed
    with pytest.raises(OfficeError):
        catalogue.review_product(officer, proposal.code, approve=True)

    other = make_product(stars=None, review_status="pending", listed=False)
    catalogue.review_product(officer, other.code, approve=True)
    assert other.review_status == "approved"
    assert other.listed
    assert audit("product.rejected").note == "Thiếu hồ sơ"


def test_unlisting_needs_a_reason_and_takes_the_product_out_at_once(officer):
    product = make_product()
    with pytest.raises(OfficeError):
        catalogue.set_listing(officer, product.code, False, "")
    catalogue.set_listing(officer, product.code, False, "Bao bì sai nhãn")
    db.session.commit()
    assert product.code not in shop_codes()
    catalogue.set_listing(officer, product.code, True, "Đã sửa nhãn")
    db.session.commit()
    assert product.code in shop_codes()
    assert [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))] == [
        "product.unlisted",
        "product.listed",
    ]


def test_office_pages_create_and_edit_through_forms(office_client):
    region = make_region("KT-KP", "Huyện Kon Plông", kind="district")
    response = office_client.post(
        "/office/producers/new",
        data={
            "code": "HTX-KP",
            "name": "HTX Măng Đen",
            "legal_form": "cooperative",
            "region": region.code,
        },
    )
    assert response.status_code == 302
    bad = office_client.post(
        "/office/producers/new",
        data={"code": "", "name": "", "legal_form": "cooperative", "region": region.code},
    )
    assert bad.status_code == 400
    assert 'id="code-errors"' in bad.text
    assert 'id="name-errors"' in bad.text
    response = office_client.post(
        "/office/products/new",
        data={
            "name": "Trà hoa vàng",
            "producer": "HTX-KP",
            "group": "food",
            "unit": "hộp",
            "price": "95000",
            "region": "",
        },
    )
    assert response.status_code == 302
    product = db.session.scalar(select(Product).where(Product.name == "Trà hoa vàng"))
    assert (
        db.session.scalar(select(Producer.name).where(Producer.id == product.producer_id))
        == "HTX Măng Đen"
    )
    page = office_client.get(f"/office/products/{product.code}")
    assert page.status_code == 200
    assert "Trà hoa vàng" in page.text


def test_the_office_corrects_what_buyers_read_and_the_history_names_it(office_client):
    producer = make_producer("HTX-KR", "HTX KoRa")
    product = make_product("Cao sâm dây", producer=producer, description="Chữa khỏi mọi bệnh.")
    page = office_client.get(f"/office/products/{product.code}").text
    assert 'action="/office/products/' + product.code + '/texts"' in page
    assert "Chữa khỏi mọi bệnh." in page
    sent = {
        "details-unit": "hũ 100g",
        "details-description": "Cao sâm dây cô đặc.",
        "details-net_quantity": "100 g",
        "details-shipping_weight": "250",
        "details-version": str(product.version),
    }
    saved = office_client.post(f"/office/products/{product.code}/texts", data=sent)
    assert saved.status_code == 302
    db.session.expire_all()
    assert (product.description, product.unit, product.shipping_weight_grams) == (
        "Cao sâm dây cô đặc.",
        "hũ 100g",
        250,
    )
    entry = audit("product.details_changed")
    assert entry.actor_name == "Chị Lan"
    assert "Chữa khỏi mọi bệnh." in str(entry.before)
    assert "Cao sâm dây cô đặc." in office_client.get(f"/san-pham/{product.code}").text

    # A form read before that save: refused with the newer text shown, what was typed kept.
    stale = office_client.post(
        f"/office/products/{product.code}/texts",
        data={**sent, "details-description": "Bản cũ hơn."},
    )
    assert stale.status_code == 409
    assert "Bản cũ hơn." in stale.text
    db.session.expire_all()
    assert product.description == "Cao sâm dây cô đặc."
    # Sent again from that page, knowingly over the newer text: saved.
    shown_version = re.search(r'<input[^>]*name="details-version"[^>]*>', stale.text)[0]
    shown_version = re.search(r'value="(\d+)"', shown_version)[1]
    assert shown_version == str(product.version)
    again = {**sent, "details-description": "Bản cũ hơn.", "details-version": shown_version}
    assert (
        office_client.post(f"/office/products/{product.code}/texts", data=again).status_code == 302
    )
    empty = office_client.post(
        f"/office/products/{product.code}/texts",
        data={**sent, "details-unit": "", "details-version": str(product.version)},
    )
    assert empty.status_code == 400
    db.session.expire_all()
    assert product.unit == "hũ 100g"


def test_a_refused_button_says_why_on_the_page_it_returns_to_and_changes_nothing(office_client):
    pending = make_product("Rượu cần", stars=None, review_status="pending")
    url = f"/office/products/{pending.code}/review"
    before = database_checksum()
    refused = office_client.post(url, data={"decision": "reject", "reason": ""})
    assert refused.status_code == 302
    assert refused.location.endswith(f"/products/{pending.code}")
    page = office_client.get(refused.location).text
    assert "Hãy nêu lý do từ chối; chủ thể sẽ đọc." in page
    assert database_checksum() == before
    approved = office_client.post(url, data={"decision": "approve", "reason": ""})
    assert approved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Product, pending.id).review_status == "approved"
    again = office_client.post(
        url, data={"decision": "approve", "reason": ""}, follow_redirects=True
    )
    assert "Sản phẩm này không chờ duyệt." in again.text
    assert (
        office_client.post("/office/products/NOPE/review", data={"reason": ""}).status_code == 404
    )
    assert (
        office_client.post("/office/users/999999/active", data={"active": "0"}).status_code == 404
    )


@pytest.mark.parametrize(
    "path",
    [
        "/office/producers/NOPE",
        "/office/products/NOPE",
        "/office/showrooms/NOPE",
        "/office/regions/NOPE",
        "/office/users/999999",
    ],
)
def test_an_unknown_code_is_not_found(office_client, path):
    assert office_client.get(path).status_code == 404
    assert office_client.post(path, data={}).status_code == 404
