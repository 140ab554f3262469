import pytest

from storefront.vietqr import (
    InvalidVietQR,
    build_vietqr_payload,
    crc16_ccitt_false,
    parse_tlv,
)


def test_reproduces_the_published_dynamic_payload():
    assert build_vietqr_payload("970416", "257678859", 1000, "Chuyen tien") == (
        "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA"
        "5303704540410005802VN62150811Chuyen tien6304BBB8"
    )


def test_reproduces_the_published_static_payload():
    assert build_vietqr_payload("970416", "257678859") == (
        "00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN6304AE9F"
    )


def test_crc_is_the_ccitt_false_check_value():
    assert crc16_ccitt_false(b"123456789") == 0x29B1


def test_purpose_is_written_without_diacritics():
    payload = build_vietqr_payload("970436", "0011004455667", 350000, "Đơn hàng DH2611ABCD")
    tags = parse_tlv(payload)
    assert parse_tlv(tags["62"])["08"] == "Don hang DH2611ABCD"
    assert tags["54"] == "350000"
    assert tags["53"] == "704"
    assert tags["58"] == "VN"
    body, crc = payload[:-4], payload[-4:]
    assert crc == f"{crc16_ccitt_false(body.encode()):04X}"


@pytest.mark.parametrize(
    "args",
    [
        ("97041", "123"),
        ("970416", ""),
        ("970416", "12-34"),
        ("970416", "1", 0),
        ("970416", "1", -5),
        ("970416", "1", 10.5),
        ("970416", "1", 100, "!!!"),
    ],
)
def test_bad_input_is_refused(args):
    with pytest.raises(InvalidVietQR):
        build_vietqr_payload(*args)
