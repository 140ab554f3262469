"""Product barcodes: one reader for every form and import that sets a product's EAN, and for the
counter's scans. A product carries an EAN-13 (a 12-digit UPC-A is the same number with a leading
0); the check digit is verified, so a mistyped digit is refused instead of stored."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from storefront.domain import Refused

_SEPARATORS = re.compile(r"[\s\-.]")


class InvalidBarcode(Refused):
    """The text is not a valid EAN-13; nothing was stored."""


def gtin_check_digit_ok(digits: str) -> bool:
    """GTIN check digit (EAN-8, UPC-A, EAN-13, GTIN-14): weights 3, 1, 3, … from the right."""
    if not digits.isdecimal() or len(digits) < 2:
        return False
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def as_ean13(digits: str) -> str:
    """A GTIN as the EAN-13 a product stores: UPC-A gets its leading 0, a GTIN-14 with a
    leading 0 loses it; EAN-8 and other GTIN-14s stay as they are (no product has them)."""
    if len(digits) == 12:
        return "0" + digits
    if len(digits) == 14 and digits.startswith("0"):
        return digits[1:]
    return digits


def read_ean13(text: str | None) -> str | None:
    """The EAN-13 typed or imported for a product (spaces and dashes ignored; a UPC-A is
    accepted as its EAN-13), None when left empty. Refused (InvalidBarcode) for anything that
    is not 13 digits with a right check digit."""
    digits = _SEPARATORS.sub("", text or "")
    if not digits:
        return None
    if not digits.isdecimal() or len(digits) not in (12, 13):
        raise InvalidBarcode(_("A barcode (EAN-13) is 13 digits."), "ean")
    if not gtin_check_digit_ok(digits):
        raise InvalidBarcode(
            _("The barcode %(ean)s has a wrong check digit: check it on the package.", ean=digits),
            "ean",
        )
    return as_ean13(digits)
