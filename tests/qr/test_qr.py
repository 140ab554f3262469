import xml.dom.minidom

import pytest

from storefront.clock import today
from tests.factories import make_certificate, make_product
from tests.zbar import decode_qr


def test_png_qr_encodes_the_absolute_verification_url(client, app_ctx, tmp_path):
    product = make_product()
    response = client.get(f"/qr/{product.code}.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert decode_qr(response.data, tmp_path) == f"http://shop.test/q/{product.code}"


def test_size_parameter_scales_the_image_and_still_decodes(client, app_ctx, tmp_path):
    product = make_product()
    small = client.get(f"/qr/{product.code}.png?size=100").data
    large = client.get(f"/qr/{product.code}.png?size=1200").data
    assert len(large) > len(small)
    assert decode_qr(large, tmp_path).endswith(f"/q/{product.code}")


def test_svg_qr_is_an_svg_document(client, app_ctx):
    product = make_product()
    response = client.get(f"/qr/{product.code}.svg")
    assert response.mimetype == "image/svg+xml"
    document = xml.dom.minidom.parseString(response.data)
    assert document.documentElement.tagName == "svg"
    assert f"/q/{product.code}" in response.text  # the URL is its title, for screen readers


@pytest.mark.parametrize("size", ["10", "63", "2049", "99999", "abc", "-5", "1e3"])
def test_size_out_of_range_is_a_400_with_the_reason(client, app_ctx, size):
    product = make_product()
    response = client.get(f"/qr/{product.code}.png?size={size}")
    assert response.status_code == 400
    assert "64" in response.text
    assert "2048" in response.text


def test_qr_images_are_cacheable_and_revalidate(client, app_ctx):
    product = make_product()
    response = client.get(f"/qr/{product.code}.png")
    assert "max-age" in response.headers["Cache-Control"]
    etag = response.headers["ETag"]
    again = client.get(f"/qr/{product.code}.png", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""


def test_qr_of_an_unknown_code_is_404(client, app_ctx):
    assert client.get("/qr/NOSUCH.png").status_code == 404
    assert client.get("/qr/NOSUCH.gif").status_code == 404


def test_verification_page_says_valid_until(client, app_ctx):
    product = make_product("Sâm dây Ngọc Linh", stars=5)
    certificate = product.certificates[0]
    page = client.get(f"/q/{product.code}").text
    assert "verdict-valid" in page
    assert "Sâm dây Ngọc Linh" in page
    assert f"Còn hiệu lực đến {certificate.expires_on.strftime('%d/%m/%Y')}" in page
    assert product.producer.name in page


def test_verification_page_says_revoked_with_the_reason(client, app_ctx):
    product = make_product(stars=None)
    make_certificate(product, status="revoked", revoked_on=today(), revoked_reason="Làm giả nhãn")
    page = client.get(f"/q/{product.code}").text
    assert "verdict-revoked" in page
    assert "Làm giả nhãn" in page
    assert today().strftime("%d/%m/%Y") in page


def test_unknown_code_says_plainly_it_is_not_in_the_register(client, app_ctx):
    response = client.get("/q/FAKE99")
    assert response.status_code == 404
    assert "không có trong danh mục OCOP" in response.text
    assert "FAKE99" in response.text


def test_unknown_code_is_not_reflected_unescaped(client, app_ctx):
    response = client.get("/q/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert response.status_code == 404
    assert "<script>alert(1)" not in response.text
