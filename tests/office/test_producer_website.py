"""A producer's website is a web address (http or https), never a script in a link."""

import re

import pytest
from sqlalchemy import select

from storefront.extensions import db
from storefront.office import producers as register
from storefront.office.fields import Invalid
from storefront.register.models import Producer
from tests.factories import make_producer, make_region

BAD = [
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "htxkora.vn",
    "//evil.example/phish",
    "http://",
    "ftp://htxkora.vn",
    "https://htx kora.vn",
]


@pytest.mark.parametrize("website", BAD)
def test_office_form_refuses_a_website_that_is_not_http_and_stores_nothing(office_client, website):
    region = make_region("KT-KP", "Huyện Kon Plông", kind="district")
    answer = office_client.post(
        "/office/producers/new",
        data={
            "code": "HTX-KP",
            "name": "HTX Măng Đen",
            "legal_form": "cooperative",
            "region": region.code,
            "website": website,
        },
    )
    assert answer.status_code == 400
    assert 'id="website-errors"' in answer.text
    assert "http:// hoặc https://" in answer.text
    assert db.session.scalar(select(Producer).where(Producer.code == "HTX-KP")) is None


def test_editing_a_producer_to_a_script_keeps_the_old_address(office_client):
    producer = make_producer("KORA", "Kora Group")
    producer.website = "https://kora.vn"
    db.session.commit()
    answer = office_client.post(
        "/office/producers/KORA",
        data={
            "code": "KORA",
            "name": "Kora Group",
            "legal_form": "enterprise",
            "region": producer.region.code,
            "website": "javascript:alert(1)",
        },
    )
    assert answer.status_code == 400
    assert 'id="website-errors"' in answer.text
    db.session.expire_all()
    assert db.session.get(Producer, producer.id).website == "https://kora.vn"


def test_csv_imports_refuse_it_too(officer):
    make_region("KT-DH", "Huyện Đăk Hà", kind="district")
    with pytest.raises(Invalid) as refused:
        register.create_producer(
            officer,
            register.ProducerFields(
                code="HTX-DH",
                name="HTX Đăk Hà",
                legal_form="HTX",
                region="KT-DH",
                website="javascript:alert(1)",
            ),
        )
    assert "website" in refused.value.errors


@pytest.mark.parametrize("website", ["https://htxkora.vn", "http://kora.vn/san-pham?a=1"])
def test_a_web_address_is_kept_and_linked(office_client, client, website):
    region = make_region("KT-KP", "Huyện Kon Plông", kind="district")
    office_client.post(
        "/office/producers/new",
        data={
            "code": "HTX-KP",
            "name": "HTX Măng Đen",
            "legal_form": "cooperative",
            "region": region.code,
            "website": website,
        },
    )
    producer = db.session.scalar(select(Producer).where(Producer.code == "HTX-KP"))
    assert producer.website == website
    office_client.post("/logout")
    page = client.get("/chu-the/HTX-KP").text
    assert f'href="{website.replace("&", "&amp;")}"' in page


@pytest.mark.parametrize("website", BAD)
def test_old_data_never_becomes_a_script_link(app_ctx, client, website):
    producer = make_producer("KORA", "Kora Group")
    producer.website = website  # stored before addresses were checked
    db.session.commit()
    page = client.get("/chu-the/KORA").text.lower()
    assert 'href="javascript:' not in page
    assert 'href=" javascript:' not in page
    assert website.strip().lower() not in re.findall(r'href="([^"]*)"', page)
    api = client.get("/api/v1/producers/KORA")
    if api.status_code == 200:
        assert api.json["website"] is None
