"""What a scan at the counter says: a product's QR URL (…/q/<code>), a bare product code, an EAN
barcode, or a pick-up order's pass. Pure text rules, no database."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import gettext as _

from storefront.register.barcodes import as_ean13, gtin_check_digit_ok
from storefront.register.codes import CODE_ALPHABET
from storefront.showrooms.errors import ScanRefused

MAX_SCAN_LENGTH = 500
# New codes are CODE_LENGTH characters of CODE_ALPHABET; older or imported ones may differ, so
# any short run of letters and digits is looked up (an unknown one is refused by name).
PRODUCT_CODE_RE = re.compile(r"[A-Z0-9]{4,16}")
EAN_RE = re.compile(r"\d{8}|\d{12,14}")
# An order number and its pick-up code, as the order page's QR holds them: DH2611ABCD-K7M2QX
PICKUP_PASS_RE = re.compile(f"(DH[{CODE_ALPHABET}]{{8}})(?:-([{CODE_ALPHABET}]{{6}}))?")


@dataclass(frozen=True)
class ScanKey:
    kind: str  # code, ean, pickup
    value: str  # product code, EAN digits, or order number
    pickup_code: str | None = None


def read_scan(text: str | None, own_hosts: set[str]) -> ScanKey:
    """What ``text`` names. A URL must be this shop's own /q/<code>; anything else is refused
    with the reason (ScanRefused)."""
    raw = (text or "").strip()
    if not raw:
        raise ScanRefused(_("The scan was empty. Scan again."), "empty")
    if len(raw) > MAX_SCAN_LENGTH:
        raise ScanRefused(_("That is not a product code."), "garbage")
    if "/" in raw or raw.lower().startswith(("http", "www.")):
        return ScanKey("code", _code_from_url(raw, own_hosts))
    upper = raw.upper()
    if match := PICKUP_PASS_RE.fullmatch(upper):
        return ScanKey("pickup", match.group(1), match.group(2))
    if EAN_RE.fullmatch(raw):
        if not gtin_check_digit_ok(raw):
            raise ScanRefused(
                _(
                    "The barcode %(code)s was misread (its check digit is wrong). Scan again.",
                    code=raw,
                ),
                "garbage",
            )
        return ScanKey("ean", as_ean13(raw))
    if PRODUCT_CODE_RE.fullmatch(upper):
        return ScanKey("code", upper)
    raise ScanRefused(_("“%(text)s” is not a product code.", text=raw[:40]), "garbage")


def _code_from_url(raw: str, own_hosts: set[str]) -> str:
    parts = urlsplit(raw if "://" in raw else "http://" + raw)
    host = (parts.hostname or "").lower()
    if host not in {h.lower() for h in own_hosts if h}:
        raise ScanRefused(
            _(
                "This QR code is not from the OCOP shop (it points to %(host)s).",
                host=host or raw[:40],
            ),
            "foreign",
        )
    match = re.fullmatch(r"/q/([A-Za-z0-9]{1,16})/?", parts.path)
    if match is None or not PRODUCT_CODE_RE.fullmatch(match.group(1).upper()):
        raise ScanRefused(_("This QR code is not a product's code."), "garbage")
    return match.group(1).upper()


def hosts_of(*urls_or_hosts: str | None) -> set[str]:
    """Host names from BASE_URL-like values and bare hosts (with or without a port)."""
    hosts = set()
    for value in urls_or_hosts:
        if not value:
            continue
        parts = urlsplit(value if "://" in value else "http://" + value)
        if parts.hostname:
            hosts.add(parts.hostname.lower())
    return hosts
