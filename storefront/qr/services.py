"""QR images for products. Each encodes the absolute URL of the product's /q/<code> page."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache

import segno

from storefront.domain import Refused
from storefront.links import absolute_url_for
from storefront.numbers import parse_int

MIN_SIZE, MAX_SIZE, DEFAULT_SIZE = 64, 2048, 320
QUIET_ZONE = 4  # modules of white border the standard asks for


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
    code = segno.make(url, error="m", micro=False)
    modules = code.symbol_size(scale=1, border=QUIET_ZONE)[0]
    scale = max(1, size // modules)
    buffer = io.BytesIO()
    if kind == "png":
        code.save(buffer, kind="png", scale=scale, border=QUIET_ZONE)
        mimetype = "image/png"
    else:
        code.save(
            buffer,
            kind="svg",
            scale=scale,
            border=QUIET_ZONE,
            xmldecl=False,
            svgclass=None,
            lineclass=None,
            title=url,
        )
        mimetype = "image/svg+xml"
    body = buffer.getvalue()
    return QrImage(body, mimetype, hashlib.sha256(body).hexdigest()[:32])
