"""Delivery fees: each producer's parcel by destination zone and weight band, the office's rules,
shown on the product page, in the cart and at checkout, and kept by the order."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from storefront.delivery import fees, rules
from storefront.delivery.models import DeliveryRate, Zone
from storefront.extensions import db
from storefront.orders.models import Order
from tests.checkout_helpers import add_to_cart, checkout, the_order
from tests.delivery.helpers import kon_tum_district, load_units, set_bands
from tests.factories import make_producer, make_product, make_user


def test_the_zone_comes_from_the_producers_province_today_and_the_band_from_the_weight(app_ctx):
    units = load_units()
    set_bands()
    kora = make_producer("KORA", "Kora", region=kon_tum_district())  # Kon Tum → Quảng Ngãi
    honey = make_product("Mật ong", producer=kora, shipping_weight_grams=400)
    tea = make_product("Trà", producer=kora)  # no weight: counted as 500 g

    def fee(lines, code):
        [parcel] = fees.parcels(lines, units[code])
        return parcel.grams, parcel.quote

    assert fee([(honey, 2)], "VN-51") == (800, fees.Quote(20_000, 1, 2, Zone.SAME_PROVINCE))
    assert fee([(honey, 2), (tea, 1)], "VN-51") == (1300, fees.Quote(28_000, 1, 2, "province"))
    assert fee([(honey, 1)], "VN-01")[1] == fees.Quote(38_000, 3, 5, Zone.NATIONWIDE)
    # Heavier than every band: the heaviest band.
    assert fee([(honey, 20)], "VN-79") == (8000, fees.Quote(52_000, 3, 6, Zone.NATIONWIDE))
    hanoi_farm = make_producer("HN", "Nông trại Hà Nội", region=units["VN-01"])
    rice = make_product("Gạo", producer=hanoi_farm, shipping_weight_grams=1000)
    assert fee([(rice, 1)], "VN-22")[1] == fees.Quote(30_000, 2, 3, Zone.SAME_REGION)


def test_without_rules_every_parcel_costs_the_flat_fee(app_ctx, app):
    units = load_units()
    product = make_product(shipping_weight_grams=300)
    [parcel] = fees.parcels([(product, 1)], units["VN-01"])
    assert parcel.quote.fee_vnd == app.config["SHIPPING_FEE_VND"]


def test_checkout_shows_each_parcel_and_the_order_keeps_its_fees(client, app_ctx):
    units = load_units()
    set_bands()
    kora = make_producer("KORA", "Kora", region=kon_tum_district())
    hanoi_farm = make_producer("HN", "Nông trại Hà Nội", region=units["VN-01"])
    ginseng = make_product(
        "Sâm", producer=kora, price_vnd=450_000, stock=5, shipping_weight_grams=300
    )
    rice = make_product(
        "Gạo", producer=hanoi_farm, price_vnd=100_000, stock=5, shipping_weight_grams=1500
    )
    add_to_cart(client, ginseng, 2)
    add_to_cart(client, rice, 1)
    page = client.post(
        "/thanh-toan",
        data={
            "csrf_token": "",
            "step": "province",
            "province": units["VN-01"].id,
            "idempotency_key": "k1",
        },
    )
    assert page.status_code == 200
    summary = re.search(r'<section class="panel order-summary".*?</section>', page.text, re.S)[0]
    assert "38.000" in summary
    assert "28.000" in summary
    assert "1.066.000" in summary  # 1.000.000 of goods + 66.000 of delivery
    assert db.session.scalar(select(func.count()).select_from(Order)) == 0

    response = checkout(client, province=units["VN-01"].id, commune=units["VN-00070"].id)
    assert response.status_code == 302
    order = the_order()
    by_producer = {part.producer.code: part for part in order.parts}
    assert (by_producer["KORA"].shipping_vnd, by_producer["KORA"].days_max) == (38_000, 5)
    assert (by_producer["HN"].shipping_vnd, by_producer["HN"].days_min) == (28_000, 1)
    assert (order.shipping_vnd, order.total_vnd) == (66_000, 1_066_000)
    page = client.get(response.location).text
    assert "12 Lê Lợi, Phường Hoàn Kiếm, Thành phố Hà Nội" in page  # as on the parcel


def test_the_transfer_amount_includes_the_delivery_fees(client, app_ctx):
    units = load_units()
    set_bands()
    product = make_product(price_vnd=200_000, stock=3, shipping_weight_grams=500)
    add_to_cart(client, product)
    response = checkout(
        client,
        payment_method="bank_transfer",
        province=units["VN-79"].id,
        commune="Phường Sài Gòn",
    )
    assert response.status_code == 302
    order = the_order()
    assert order.total_vnd == 238_000
    page = client.get(response.location).text
    assert re.search(r"<dt>[^<]*</dt><dd><strong>238\.000", page)


def test_the_product_page_says_the_fee_and_days_to_the_chosen_province(client, app_ctx):
    units = load_units()
    set_bands()
    kora = make_producer("KORA", "Kora", region=kon_tum_district())
    product = make_product("Sâm dây", producer=kora, stock=3, shipping_weight_grams=400)
    before = client.get(f"/san-pham/{product.code}").text
    assert 'id="delivery-province"' in before
    assert "delivery-fee" not in before

    chosen = client.get(
        "/giao-hang/chon",
        query_string={"province": units["VN-51"].id, "next": f"/san-pham/{product.code}"},
    )
    assert chosen.status_code == 302
    assert chosen.location.endswith(f"/san-pham/{product.code}")
    line = re.search(r'<p class="delivery-fee">(.*?)</p>', client.get(chosen.location).text)[1]
    assert "Quảng Ngãi" in line
    assert "20.000" in line
    assert "1–2" in line

    fragment = client.get(
        "/giao-hang/chon",
        query_string={"province": units["VN-01"].id, "code": product.code},
        headers={"HX-Request": "true"},
    )
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert "Thành phố Hà Nội" in fragment.text
    assert "38.000" in fragment.text


def test_each_visitor_sees_the_fee_line_of_their_own_province_and_a_new_fee_at_once(
    client, app, app_ctx
):
    units = load_units()
    set_bands()
    kora = make_producer("KORA", "Kora", region=kon_tum_district())
    product = make_product("Sâm dây", producer=kora, stock=3, shipping_weight_grams=400)
    page = f"/san-pham/{product.code}"
    client.get("/giao-hang/chon", query_string={"province": units["VN-51"].id})
    other = app.test_client()
    other.get("/giao-hang/chon", query_string={"province": units["VN-01"].id})
    same_fee = app.test_client()  # another province at the same fee as Hà Nội
    same_fee.get("/giao-hang/chon", query_string={"province": units["VN-79"].id})
    newcomer = app.test_client()

    def line(visitor) -> str:
        return re.search(r'<div class="delivery-line".*?</div>', visitor.get(page).text, re.S)[0]

    mine, theirs, nobodys = line(client), line(other), line(newcomer)
    assert "Quảng Ngãi: 20.000" in mine
    assert f'<option value="{units["VN-51"].id}" selected>' in mine
    assert "Thành phố Hà Nội: 38.000" in theirs
    assert f'<option value="{units["VN-01"].id}" selected>' in theirs
    assert "Hồ Chí Minh: 38.000" in line(same_fee)
    assert "delivery-fee" not in nobodys
    assert " selected>" not in nobodys
    assert f'name="next" value="{page}"' in nobodys

    office = make_user(role="office")
    rules.set_rate(office, rules.RateFields("province", 1000, 25_000, 1, 2))
    db.session.commit()
    assert "Quảng Ngãi: 25.000" in line(client)
    swapped = client.get(
        "/giao-hang/chon",
        query_string={"province": units["VN-51"].id, "code": product.code},
        headers={"HX-Request": "true"},
    ).text
    assert "Quảng Ngãi: 25.000" in swapped
    assert f'name="next" value="{page}"' in swapped  # the product's page, not this address


def test_the_cart_totals_goods_and_delivery_to_the_chosen_province(client, app_ctx):
    units = load_units()
    set_bands()
    product = make_product(price_vnd=100_000, stock=3, shipping_weight_grams=500)
    add_to_cart(client, product, 2)
    client.get("/giao-hang/chon", query_string={"province": units["VN-79"].id})
    page = client.get("/gio-hang").text
    assert re.search(r'class="cart-total">238\.000', page)  # 200.000 + 38.000 (1 kg nationwide)


def test_the_office_sets_a_band_and_nobody_else_can(client, app_ctx, auth):
    customer = make_user()
    auth.login(customer)
    refused = client.post(
        "/office/giao-hang",
        data={
            "zone": "province",
            "max_grams": "1000",
            "fee": "20000",
            "days_min": "1",
            "days_max": "2",
        },
    )
    assert refused.status_code == 403
    auth.logout()
    auth.login(make_user(role="office"))
    bad = client.post(
        "/office/giao-hang",
        data={
            "zone": "province",
            "max_grams": "nhiều",
            "fee": "20000",
            "days_min": "3",
            "days_max": "2",
        },
    )
    assert bad.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(DeliveryRate)) == 0
    saved = client.post(
        "/office/giao-hang",
        data={
            "zone": "region",
            "max_grams": "2000",
            "fee": "35.000 ₫",
            "days_min": "2",
            "days_max": "4",
        },
    )
    assert saved.status_code == 302
    rate = db.session.scalar(select(DeliveryRate))
    assert (rate.zone, rate.max_grams, rate.fee_vnd, rate.days_min, rate.days_max) == (
        "region",
        2000,
        35_000,
        2,
        4,
    )
    assert client.post(f"/office/giao-hang/{rate.id}/xoa").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(DeliveryRate)) == 0
