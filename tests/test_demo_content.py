"""The demo as the shared data marks it: stars the news does not give, and producers the news
does not name, are shown as demo; products carry the news' texts (or short demo texts) and the
notices of their kind."""

from datetime import date

import pytest
from sqlalchemy import select

from storefront.catalog.models import Product
from storefront.demo.seed import load_demo
from storefront.extensions import db
from storefront.office.models import ProgrammePlan
from storefront.register.models import Producer

DEMO_TAG = 'class="demo-tag"'


@pytest.fixture
def demo(app_ctx):
    load_demo()
    db.session.commit()


def _product(name: str) -> Product:
    return db.session.scalar(select(Product).where(Product.name == name))


def _stars_line(page: str) -> str:
    start = page.index('class="product-stars"')
    return page[start : page.index("</p>", start)]


def test_stars_the_demo_invented_carry_the_demo_tag(demo, client):
    invented = _product("Sâm dây Ngọc Linh củ tươi")  # the news gives no stars
    from_news = _product("Hồng đảng sâm KoRa 10%")  # 3 stars in the news
    assert invented.certificates[0].stars_is_demo
    assert not from_news.certificates[0].stars_is_demo
    assert DEMO_TAG in _stars_line(client.get(f"/san-pham/{invented.code}").text)
    assert DEMO_TAG not in _stars_line(client.get(f"/san-pham/{from_news.code}").text)
    verify = client.get(f"/q/{invented.code}").text
    assert DEMO_TAG in verify[verify.index("verdict-stars") :][:600]
    api = client.get(f"/api/v1/products/{invented.code}").json
    assert api["certificate"]["stars_is_demo"] is True


def test_a_stand_in_producer_is_shown_as_demo_never_as_a_company_or_cooperative(demo, client):
    stand_in = db.session.scalar(select(Producer).where(Producer.code == "DGTP"))
    assert stand_in.is_demo
    assert stand_in.legal_form is None
    page = client.get("/chu-the/DGTP").text
    heading = page[page.index("<h1") : page.index("</h1>")]
    assert DEMO_TAG in heading
    facts = page[page.index('class="facts"') : page.index("</dl>")]
    for legal_form in ("Hợp tác xã", "Doanh nghiệp", "Cooperative", "Enterprise"):
        assert legal_form not in facts
    product = _product("Măng khô Đăk Glei TP")
    made_by = client.get(f"/san-pham/{product.code}").text
    line = made_by[made_by.index("/chu-the/DGTP") :][:400]
    assert DEMO_TAG in line
    assert client.get("/api/v1/producers/DGTP").json["is_demo"] is True
    real = client.get("/chu-the/KORA").text
    assert DEMO_TAG not in real[real.index("<h1") : real.index("</h1>")]


def test_products_carry_the_news_texts_and_the_notices_of_their_kind(demo, client):
    kora = _product("Hồng đảng sâm KoRa 10%")
    assert "chiết xuất 100% từ củ sâm, mật ong và vitamin C" in kora.description
    assert kora.content_is_demo
    page = client.get(f"/san-pham/{kora.code}").text
    assert "<strong>chiết xuất 100% từ củ sâm, mật ong và vitamin C</strong>" in page
    wines = db.session.scalars(select(Product).where(Product.name.ilike("rượu%"))).all()
    assert len(wines) == 2
    for wine in wines:
        assert "notice-adults_only" in client.get(f"/san-pham/{wine.code}").text
    vingin = db.session.scalar(select(Product).where(Product.name.like("%Vingin%")))
    assert "notice-not_a_medicine" in client.get(f"/san-pham/{vingin.code}").text
    juice = _product("Nước Yến Sâm Kon Tum")
    assert "product-notice" not in client.get(f"/san-pham/{juice.code}").text
    nam = _product("Sâm dây Ngọc Linh củ khô")
    assert nam.net_quantity == "200 g"
    assert nam.origin.startswith("Phường Trường Chinh")


def test_the_plan_still_loads_without_its_number_and_period_in_the_data(demo):
    plan = db.session.scalar(select(ProgrammePlan))
    assert plan.number == "908/KH-UBND"
    assert (plan.period_start, plan.period_end) == (date(2021, 1, 1), date(2025, 12, 31))
