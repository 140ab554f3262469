"""QR code images, drawn by the `qrcode` library: PNG with its PIL factory, SVG with its SVG path
factory. Error correction M (15 %: a label survives a scratch), never a micro QR, a quiet zone of
four modules as the standard asks. The same text, scale and kind always give the same bytes."""

from __future__ import annotations

import base64
import io
from decimal import Decimal

import qrcode
from qrcode.compat.etree import ET  # the ElementTree qrcode builds its SVG with
from qrcode.image.pil import PilImage
from qrcode.image.svg import SvgPathImage

QUIET_ZONE = 4  # modules of white border


def _code(text: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(text)
    code.make(fit=True)
    return code


def _scaled(text: str, scale: int | None, width: int | None) -> qrcode.QRCode:
    """``scale`` pixels per module, or as many as fit in ``width`` pixels (at least one)."""
    code = _code(text)
    if scale is None:
        scale = max(1, (width or 0) // (code.modules_count + 2 * QUIET_ZONE))
    code.box_size = scale
    return code


def png(text: str, scale: int | None = None, *, width: int | None = None) -> bytes:
    """A black-and-white PNG, ``scale`` pixels per module (or about ``width`` pixels wide)."""
    code = _scaled(text, scale, width)
    buffer = io.BytesIO()
    code.make_image(image_factory=PilImage).save(buffer, kind="PNG")
    return buffer.getvalue()


class _PixelSvg(SvgPathImage):
    """The SVG path factory with its sizes in pixels (it writes millimetres, a box of 10 being
    1 mm): a QR shown at its natural size on a screen is the size asked for."""

    def units(self, pixels, text=True):
        return str(int(pixels)) if text else Decimal(pixels)


def svg(
    text: str, scale: int | None = None, *, width: int | None = None, title: str | None = None
) -> bytes:
    """An SVG document of one path, ``scale`` pixels per module (or about ``width`` pixels
    wide); ``title`` is read out by screen readers."""
    code = _scaled(text, scale, width)
    image = code.make_image(image_factory=_PixelSvg)
    if title:
        element = ET.Element("title")
        element.text = title
        image._img.insert(0, element)  # the factory has no place for a title of its own
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def png_data_uri(text: str, scale: int = 6) -> str:
    """The PNG as a data: URI (shown on a page without another request)."""
    return "data:image/png;base64," + base64.b64encode(png(text, scale)).decode()


def matrix(text: str) -> list[list[bool]]:
    """The symbol's modules, dark as True, without the quiet zone."""
    code = _code(text)
    code.border = 0
    return code.get_matrix()
