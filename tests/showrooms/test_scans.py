"""What a scan at the counter names: rules on text alone."""

import pytest

from storefront.register.barcodes import gtin_check_digit_ok
from storefront.showrooms.errors import ScanRefused
from storefront.showrooms.scans import hosts_of, read_scan

OURS = {"shop.test", "127.0.0.1"}


@pytest.mark.parametrize(
    "text",
    [
        "http://shop.test/q/TEA234",
        "https://shop.test/q/tea234/",
        "shop.test/q/TEA234",
        " TEA234 ",
        "tea234",
    ],
)
def test_a_product_qr_url_or_bare_code_names_the_code(app_ctx, text):
    key = read_scan(text, OURS)
    assert (key.kind, key.value) == ("code", "TEA234")


def test_an_ean_barcode_is_read_by_its_digits(app_ctx):
    key = read_scan("8930000000019", OURS)
    assert (key.kind, key.value) == ("ean", "8930000000019")


def test_a_misread_barcode_with_a_wrong_check_digit_is_refused(app_ctx):
    with pytest.raises(ScanRefused, match="check digit") as refused:
        read_scan("8930000000011", OURS)
    assert refused.value.kind == "garbage"


def test_another_shops_qr_code_is_refused_naming_its_host(app_ctx):
    with pytest.raises(ScanRefused, match="other-shop.vn") as refused:
        read_scan("https://other-shop.vn/q/TEA234", OURS)
    assert refused.value.kind == "foreign"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "hello world",
        "!!!###",
        "AB",
        "TEA2345TEA2345TEA",
        "x" * 600,
        "T-1",
        "http://shop.test/san-pham/TEA234",
        "http://shop.test/q/../../etc",
    ],
)
def test_garbage_is_refused_with_a_reason(app_ctx, text):
    with pytest.raises(ScanRefused) as refused:
        read_scan(text, OURS)
    assert str(refused.value)


def test_a_pick_up_pass_names_the_order_and_its_code(app_ctx):
    key = read_scan("dh26zzabcd-k7m2qx", OURS)
    assert (key.kind, key.value, key.pickup_code) == ("pickup", "DH26ZZABCD", "K7M2QX")


def test_check_digits_of_real_gtins():
    assert gtin_check_digit_ok("4006381333931")  # EAN-13
    assert gtin_check_digit_ok("96385074")  # EAN-8
    assert not gtin_check_digit_ok("4006381333932")


def test_hosts_come_from_base_urls_and_hosts_with_ports():
    assert hosts_of("https://ocop.example.vn", "127.0.0.1:5000", None) == {
        "ocop.example.vn",
        "127.0.0.1",
    }
