"""What the browser tests share: Chromium and how it is started, the phone's width and the check
that a page fits it, QR codes read from PNG bytes by zbar, the demo's revoked product, the
catalogue's codes, and where screenshots go."""

from __future__ import annotations

import re
import struct
import zlib
from datetime import date
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from sqlalchemy import select

from storefront.catalog.models import Certificate, CertificateStatus, Product
from storefront.demo.seed import SAMPLE_PRODUCER_CODE
from storefront.extensions import db
from storefront.register.models import Producer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "vi-VN",
}
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "vi-VN"}
# Chromium reports a Content-Security-Policy violation as a DOM event; this turns it into a
# console error, so the console watcher below sees it. Init scripts are injected by the browser,
# not the page, so the page's own CSP does not block this one.
CSP_WATCH_SCRIPT = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || e.documentURI}:${e.lineNumber}`);
});
"""
DATE = re.compile(r"\b(\d{2})/(\d{2})/(\d{4})\b")
PHONE_WIDTH = 390
# The elements whose right edge is past the given width: what makes a page scroll sideways.
WIDER_THAN_VIEWPORT = """(width) => {
  const clipped = (el) => {  // inside a box that scrolls or clips: it does not widen the page
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (["auto", "scroll", "hidden"].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  return [...document.querySelectorAll("body *")]
  .filter((el) => el.getBoundingClientRect().right > width + 0.5 && !clipped(el))
  .slice(0, 8)
  .map((el) => el.tagName.toLowerCase()
    + [...el.classList].map((c) => "." + c).join("")
    + (el.getAttribute("name") ? `[name=${el.getAttribute("name")}]` : "")
    + ` (right edge ${Math.round(el.getBoundingClientRect().right)}px)`);
}"""
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
SETTLE_IMAGES = """async () => {
  for (const img of document.images) img.loading = "eager";
  await Promise.all([...document.images].map((img) => img.decode().catch(() => null)));
  return [...document.images].filter((img) => !img.naturalWidth).map((img) => img.src);
}"""


# --- QR decoding: PNG bytes -> 8-bit grey pixels (stdlib only, no Pillow) -> zbar ----------------


def decode_qr_png(png: bytes) -> list[str]:
    """The texts of the QR codes zbar finds in a PNG image."""
    from pyzbar import pyzbar

    pixels, width, height = png_to_grey(png)
    symbols = pyzbar.decode((pixels, width, height), symbols=[pyzbar.ZBarSymbol.QRCODE])
    return [symbol.data.decode("utf-8") for symbol in symbols]


def png_to_grey(data: bytes) -> tuple[bytes, int, int]:
    """Decode a non-interlaced PNG into 8-bit grey pixels, alpha composited on white."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, idat, palette, header = 8, [], b"", None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        position += 12 + length  # length, type, body, CRC
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = body
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    assert header is not None, "PNG without IHDR"
    width, height, depth, colour, _compression, _filter, interlace = header
    assert interlace == 0, "interlaced PNGs are not supported by this helper"
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    bits_per_pixel = channels * depth
    stride = (width * bits_per_pixel + 7) // 8
    distance = max(1, bits_per_pixel // 8)  # bytes back to the same sample of the previous pixel
    raw = zlib.decompress(b"".join(idat))
    assert len(raw) >= height * (stride + 1), "truncated PNG data"

    grey = bytearray()
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        line = bytearray(raw[start + 1 : start + 1 + stride])
        _unfilter(raw[start], line, previous, distance)
        grey += _to_grey(_samples(line, width * channels, depth), colour, depth, palette)
        previous = line
    return bytes(grey), width, height


def _unfilter(kind: int, line: bytearray, previous: bytearray, distance: int) -> None:
    if kind == 0:
        return
    for i in range(len(line)):
        left = line[i - distance] if i >= distance else 0
        up = previous[i]
        if kind == 1:
            predictor = left
        elif kind == 2:
            predictor = up
        elif kind == 3:
            predictor = (left + up) >> 1
        elif kind == 4:
            upper_left = previous[i - distance] if i >= distance else 0
            estimate = left + up - upper_left
            pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - upper_left)
            predictor = left if pa <= pb and pa <= pc else up if pb <= pc else upper_left
        else:
            raise AssertionError(f"unknown PNG filter type {kind}")
        line[i] = (line[i] + predictor) & 0xFF


def _samples(line: bytearray, count: int, depth: int) -> list[int]:
    if depth == 8:
        return list(line[:count])
    if depth == 16:
        return list(line[0 : 2 * count : 2])  # the high byte is enough for a grey level
    per_byte, mask = 8 // depth, (1 << depth) - 1
    return [(line[i // per_byte] >> (8 - depth * (i % per_byte + 1))) & mask for i in range(count)]


def _to_grey(samples: list[int], colour: int, depth: int, palette: bytes) -> bytes:
    if colour == 3:
        return bytes(_luma(*palette[3 * s : 3 * s + 3]) for s in samples)
    if depth < 8:  # grey only: stretch 1, 2 or 4 bits to 0..255
        top = (1 << depth) - 1
        return bytes(s * 255 // top for s in samples)
    if colour == 0:
        return bytes(samples)
    if colour == 4:
        return bytes(_on_white(g, a) for g, a in zip(samples[::2], samples[1::2], strict=True))
    if colour == 2:
        return bytes(_luma(*samples[i : i + 3]) for i in range(0, len(samples), 3))
    return bytes(
        _on_white(_luma(*samples[i : i + 3]), samples[i + 3]) for i in range(0, len(samples), 4)
    )


def _luma(red: int, green: int, blue: int) -> int:
    return (299 * red + 587 * green + 114 * blue) // 1000


def _on_white(grey: int, alpha: int) -> int:
    return (grey * alpha + 255 * (255 - alpha)) // 255


# --- Helpers over the live server ----------------------------------------------------------------


def fetch_and_decode_qr(page, url: str) -> str:
    """Download a QR PNG the way the page's browser would and return the one text it encodes."""
    response = page.request.get(url)
    assert response.status == 200, f"{url} answered {response.status}"
    assert response.headers["content-type"].startswith("image/png")
    texts = decode_qr_png(response.body())
    assert len(texts) == 1, f"expected one QR code in {url}, zbar found {texts!r}"
    return texts[0]


def revoked_demo_product(live_server) -> tuple[str, Certificate]:
    """The demo's revoked product (not in the catalogue, so it comes from the database)."""
    with live_server.app.app_context():
        rows = db.session.execute(
            select(Product.code, Certificate)
            .join(Certificate, Certificate.product_id == Product.id)
            .join(Producer, Producer.id == Product.producer_id)
            .where(Producer.code == SAMPLE_PRODUCER_CODE)
            .where(Certificate.status == CertificateStatus.REVOKED)
        ).all()
        assert len(rows) == 1, f"the demo should have one revoked product, found {len(rows)}"
        code, certificate = rows[0]
        db.session.expunge(certificate)
        return code, certificate


def overflow(page, width: int = PHONE_WIDTH) -> str | None:
    """None when the page fits ``width``; else how wide it is and which elements stick out."""
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width <= width:
        return None
    culprits = page.evaluate(WIDER_THAN_VIEWPORT, width)
    path = urlsplit(page.url).path
    return f"{path} is {scroll_width}px wide at {width}px: {', '.join(culprits)}"


def assert_fits_phone(page) -> None:
    problem = overflow(page)
    assert problem is None, problem


def parse_dates(text: str) -> list[date]:
    return [date(int(y), int(m), int(d)) for d, m, y in DATE.findall(text)]


def catalogue_codes(page, live_server, start: str = "/san-pham") -> set[str]:
    """Every product code listed by the catalogue, following its pagination."""
    codes: set[str] = set()
    page.goto(live_server.url(start))
    for _ in range(100):
        for href in page.locator(".cards .card a.card-link").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        ):
            codes.add(href.rstrip("/").rsplit("/", 1)[-1])
        following = page.locator(".pagination a[rel=next]")
        if following.count() == 0:
            return codes
        page.goto(urljoin(page.url, following.get_attribute("href")))
    raise AssertionError("the catalogue's pagination does not end")
