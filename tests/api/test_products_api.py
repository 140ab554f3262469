"""The public JSON API as a partner uses it: the contract's fields, paging links, caching,
CORS, rate limits and errors that say why."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from storefront.clock import today
from tests.factories import (
    make_certificate,
    make_producer,
    make_product,
    make_region,
    make_showroom,
    stock_at_showroom,
)


def test_products_answer_the_public_contract(client, app_ctx):
    producer = make_producer("DGTP", "Đăk Glei TP")
    product = make_product(
        "Sâm dây Ngọc Linh", producer=producer, stars=5, price_vnd=450000, stock=7
    )
    answer = client.get("/api/v1/products?q=sam+day").json
    assert answer["total"] == 1
    item = answer["items"][0]
    assert item["code"] == product.code
    assert item["name"] == "Sâm dây Ngọc Linh"
    assert item["stars"] == 5
    assert item["price_vnd"] == 450000
    assert item["available"] == 7
    assert item["producer"] == {"code": "DGTP", "name": "Đăk Glei TP"}
    certificate = item["certificate"]
    assert certificate["status"] == "active"
    assert certificate["number"].endswith("/QĐ-UBND")
    assert date.fromisoformat(certificate["expires_on"]) > today()
    assert item["url"].endswith(f"/san-pham/{product.code}")


def test_one_product_has_its_certificate_history_and_shelves(client, app_ctx):
    product = make_product("Măng khô", stars=4)
    old = make_certificate(
        product, stars=3, status="superseded", issued_on=today() - timedelta(days=900)
    )
    showroom = make_showroom("SR-DG", "Điểm bán Đăk Glei")
    stock_at_showroom(product, showroom, 3)
    answer = client.get(f"/api/v1/products/{product.code.lower()}").json
    assert answer["stars"] == 4
    assert answer["certificate"]["stars"] == 4
    assert [c["status"] for c in answer["certificates"]] == ["active", "superseded"]
    assert answer["certificates"][1]["number"] == old.decision_number
    assert answer["showrooms"] == [{"code": "SR-DG", "name": "Điểm bán Đăk Glei", "available": 3}]
    assert answer["qr_png"].endswith(f"/qr/{product.code}.png")


def test_pages_have_a_total_and_links(client, app_ctx):
    for n in range(5):
        make_product(f"Trà {n}")
    answer = client.get("/api/v1/products?page_size=2&page=2&sort=name").json
    assert answer["total"] == 5
    assert answer["pages"] == 3
    assert [i["name"] for i in answer["items"]] == ["Trà 2", "Trà 3"]
    links = answer["links"]
    assert links["next"].endswith("/api/v1/products?sort=name&page=3&page_size=2")
    assert links["prev"].endswith("/api/v1/products?sort=name&page_size=2")
    assert client.get(links["next"]).json["items"][0]["name"] == "Trà 4"


def test_the_api_and_the_catalogue_find_the_same_products_in_the_same_order(client, app_ctx):
    make_product("Rượu sâm dây", stars=3)
    make_product("Sâm dây Ngọc Linh", stars=4)
    make_product("Trà gừng", stars=5)
    codes = [i["code"] for i in client.get("/api/v1/products?q=Sâm+Dây").json["items"]]
    page = client.get("/san-pham?q=Sâm+Dây").text
    assert len(codes) == 2
    assert page.index(f"/san-pham/{codes[0]}") < page.index(f"/san-pham/{codes[1]}")


def test_a_typo_is_corrected_and_nothing_found_suggests(client, app_ctx):
    make_product("Cà phê Arabica dạng bột")
    answer = client.get("/api/v1/products?q=ca+phe+arabika").json
    assert answer["total"] == 1
    assert answer["corrected_query"] == "ca phe arabica"
    assert "arabica" in client.get("/api/v1/products?q=arabikaa").json["suggestions"]


def test_answers_can_be_cached_and_revalidated(client, app_ctx):
    make_product("Sâm dây")
    first = client.get("/api/v1/products")
    assert first.headers["Cache-Control"] == "public, max-age=60"
    etag = first.headers["ETag"]
    again = client.get("/api/v1/products", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    make_product("Măng khô")
    assert client.get("/api/v1/products", headers={"If-None-Match": etag}).status_code == 200


def test_any_site_may_read_the_api_from_a_browser(client, app_ctx):
    response = client.get("/api/v1/regions", headers={"Origin": "https://tourism.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/api/v1/products", headers={"Origin": "https://x.example"})
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in client.get("/san-pham").headers


def test_errors_are_json_with_a_reason_in_the_clients_language(client, app_ctx):
    missing = client.get("/api/v1/products/NOSUCH", headers={"Accept-Language": "en"})
    assert missing.status_code == 404
    assert missing.json["reason"] == "No such code in the register."
    invalid = client.get("/api/v1/products?stars=9&page=0", headers={"Accept-Language": "en"})
    assert invalid.status_code == 422
    assert "page" in invalid.json["reason"]
    assert "stars" in invalid.json["reason"]
    assert invalid.json["errors"]["query"]["stars"]
    assert client.get("/api/v1/nothing-here").json["status"] == 404
    assert client.post("/api/v1/products").json["status"] == 405
    # The pages keep their HTML error pages.
    page = client.get("/san-pham/NOSUCH")
    assert page.status_code == 404
    assert "site-header" in page.text


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/api/v1/products/NOSUCH", "No such code in the register."),
        ("/api/v1/products/not%20a%20code", "No such code in the register."),
        ("/api/v1/producers/NOSUCH", "No such code in the register."),
        ("/api/v1/showrooms/NOSUCH", "No such code in the register."),
        ("/api/v1/verify/NOSUCH", "This code is not in the OCOP register."),
    ],
)
def test_an_unknown_code_answers_the_same_json_404_everywhere(client, app_ctx, path, reason):
    response = client.get(path, headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert response.is_json
    assert response.json == {"status": 404, "error": "Page not found", "reason": reason}
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_errors_speak_vietnamese_by_default(client):
    assert client.get("/api/v1/products/NOSUCH").json["reason"] == "Không có mã này trong danh mục."


def test_too_many_requests_are_refused_with_a_reason(client, app):
    app.config["API_RATE_LIMIT"] = "2 per minute"
    try:
        statuses = [client.get("/api/v1/regions").status_code for _ in range(3)]
        refused = client.get("/api/v1/regions")
    finally:
        app.config["API_RATE_LIMIT"] = "120 per minute"
    assert statuses == [200, 200, 429]
    assert refused.json["status"] == 429
    assert refused.json["reason"]
    assert "Retry-After" in refused.headers


def test_verify_tells_what_the_qr_page_tells(client, app_ctx):
    product = make_product("Mật ong", stars=None)
    make_certificate(product, stars=3, status="revoked", revoked_reason="Không đạt")
    answer = client.get(f"/api/v1/verify/{product.code}").json
    assert answer["state"] == "revoked"
    assert answer["stars"] is None
    assert answer["certificate"]["revoked_reason"] == "Không đạt"
    unknown = client.get("/api/v1/verify/FAKE99", headers={"Accept-Language": "en"})
    assert unknown.status_code == 404
    assert "register" in unknown.json["reason"]


def test_regions_have_their_validity_and_successors(client, app_ctx):
    province = make_region("QNG", "Quảng Ngãi")
    make_region("KT", "Kon Tum", valid_to=date(2025, 6, 30), successor=province, valid_from=None)
    regions = {r["code"]: r for r in client.get("/api/v1/regions").json["items"]}
    assert regions["KT"]["successor"] == "QNG"
    assert regions["KT"]["valid_to"] == "2025-06-30"
    assert regions["KT"]["current"] is False
    assert regions["QNG"]["current"] is True


def test_producers_and_showrooms_list_what_they_offer(client, app_ctx):
    producer = make_producer("HTXDG", "HTX Đăk Glei")
    product = make_product("Sâm dây", producer=producer, stock=5)
    make_product("Không chứng nhận", producer=producer, stars=None)
    showroom = make_showroom("SR-DG")
    stock_at_showroom(product, showroom, 4)
    producers = client.get("/api/v1/producers").json["items"]
    assert [(p["code"], p["products"]) for p in producers] == [("HTXDG", 1)]
    detail = client.get("/api/v1/producers/HTXDG").json
    assert [(i["name"], i["available"]) for i in detail["items"]] == [("Sâm dây", 5)]
    shelf = client.get("/api/v1/showrooms/SR-DG").json["stock"]
    # "available": online, from the producer's warehouse; "available_here": on this shelf
    assert [(i["code"], i["available"], i["available_here"]) for i in shelf] == [
        (product.code, 5, 4)
    ]
    assert client.get("/api/v1/showrooms/NOPE").status_code == 404


def test_the_openapi_document_and_its_page(client):
    document = client.get("/api/openapi.json").json
    assert document["info"]["title"] == "OCOP Storefront API"
    assert {"/api/v1/products", "/api/v1/products/{code}"} <= set(document["paths"])
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert "vendor/swagger-ui/swagger-ui-bundle.js" in page.text
