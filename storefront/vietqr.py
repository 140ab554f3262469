"""VietQR: the NAPAS EMVCo payload that every Vietnamese banking app scans to pay by transfer."""

from __future__ import annotations

import re
import unicodedata

from storefront.domain import Refused

NAPAS_GUID = "A000000727"
SERVICE_TRANSFER_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY = "VN"
MAX_PURPOSE = 25  # what banks show and keep of the transfer content


class InvalidVietQR(Refused):
    pass


def build_vietqr_payload(
    bank_bin: str, account: str, amount: int | None = None, purpose: str | None = None
) -> str:
    """The payload string for a transfer to ``account`` at the bank with NAPAS ``bank_bin``.

    With an amount the code is dynamic (the app fills in the amount, whole đồng); ``purpose`` is
    the transfer content (the order number), written in plain ASCII as banks keep it.
    """
    if not re.fullmatch(r"\d{6}", bank_bin or ""):
        raise InvalidVietQR("the bank BIN is 6 digits")
    if not re.fullmatch(r"[0-9A-Za-z]{1,19}", account or ""):
        raise InvalidVietQR("the account number is 1 to 19 letters or digits")
    if amount is not None and (
        not isinstance(amount, int) or isinstance(amount, bool) or not 0 < amount < 10**13
    ):
        raise InvalidVietQR("the amount is a whole number of đồng above 0")

    beneficiary = _tlv("00", bank_bin) + _tlv("01", account)
    merchant = (
        _tlv("00", NAPAS_GUID) + _tlv("01", beneficiary) + _tlv("02", SERVICE_TRANSFER_TO_ACCOUNT)
    )
    payload = _tlv("00", "01") + _tlv("01", "12" if amount else "11") + _tlv("38", merchant)
    payload += _tlv("53", CURRENCY_VND)
    if amount:
        payload += _tlv("54", str(amount))
    payload += _tlv("58", COUNTRY)
    if purpose:
        payload += _tlv("62", _tlv("08", ascii_purpose(purpose)))
    payload += "6304"
    return payload + f"{crc16_ccitt_false(payload.encode('ascii')):04X}"


def ascii_purpose(purpose: str) -> str:
    """Transfer content as banks accept it: no diacritics (đ → d), letters, digits and spaces."""
    text = purpose.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^0-9A-Za-z ]+", " ", text)
    text = " ".join(text.split())[:MAX_PURPOSE].strip()
    if not text:
        raise InvalidVietQR("the transfer content needs letters or digits")
    return text


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF), as EMVCo asks for tag 63."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def parse_tlv(payload: str) -> dict[str, str]:
    """Top-level tags of an EMVCo payload (for tests and the office's checks)."""
    tags, index = {}, 0
    while index < len(payload):
        tag, length = payload[index : index + 2], int(payload[index + 2 : index + 4])
        tags[tag] = payload[index + 4 : index + 4 + length]
        index += 4 + length
    return tags


def _tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise InvalidVietQR(f"tag {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"
