"""QR images for products. Each encodes the absolute URL of the product's /q/<code> page."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from storefront import qr_codes
from storefront.domain import Refused
from storefront.links import absolute_url_for
from storefront.numbers import parse_int

MIN_SIZE, MAX_SIZE, DEFAULT_SIZE = 64, 2048, 320


class InvalidSize(Refused):
    pass


@dataclass(frozen=True)
class QrImage:
    body: bytes
    mimetype: str
    etag: str


def verification_url(code: str) -> str:
    """The absolute URL a product's QR code opens: BASE_URL when set, else this request's host."""
    return absolute_url_for("qr.verify", code=code)


def parse_size(raw: str | None) -> int:
    """The wanted width in pixels; refused outside MIN_SIZE..MAX_SIZE."""
    if raw is None or raw == "":
        return DEFAULT_SIZE
    try:
        return parse_int(raw, minimum=MIN_SIZE, maximum=MAX_SIZE)
    except ValueError:
        message = f"size must be a whole number of pixels from {MIN_SIZE} to {MAX_SIZE}"
        raise InvalidSize(message) from None


def qr_image(url: str, kind: str, size: int) -> QrImage:
    """The QR code for ``url`` as PNG or SVG, about ``size`` pixels wide. Cached: the same URL
    and size always make the same bytes."""
    return _render(url, kind, size)


@lru_cache(maxsize=4096)
def _render(url: str, kind: str, size: int) -> QrImage:
    if kind == "png":
        body, mimetype = qr_codes.png(url, width=size), "image/png"
    else:
        body, mimetype = qr_codes.svg(url, width=size, title=url), "image/svg+xml"
    return QrImage(body, mimetype, hashlib.sha256(body).hexdigest()[:32])
