"""Product pictures: checked by content, bounded, re-encoded without metadata, thumbnailed once.

Memory is what a picture costs: decoded, a 6000 × 6600 photo is 119 MB of pixels (and the copies
made while turning and converting it several times that). So a JPEG is decoded straight at the
smallest scale (1/2, 1/4, 1/8) that still covers the largest size kept; other formats, decoded in
full, have a lower pixel limit; and at most IMAGE_WORKERS pictures are worked on at once in a
process, whatever the number of uploads.
"""

from __future__ import annotations

import io
import math
import secrets
import threading
import warnings
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from storefront.domain import Refused

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
# Refuse decompression bombs long before they fill memory: a JPEG is decoded at 1/4 of its size
# or less when it is this large (10 MB of pixels); PNG and WebP are decoded whole (48 MB as RGBA).
MAX_PIXELS = {"JPEG": 40_000_000}
MAX_PIXELS_DECODED_WHOLE = 12_000_000
SIZES = {"large": 1200, "thumb": 400}
VARIANTS_FOLDER = "sizes"  # the widths and formats pages ask for (catalog.pictures), made once
IMAGE_WORKERS = 2  # pictures decoded at once per process; the others wait their turn
WAIT_FOR_A_WORKER = 60  # seconds, then the upload is refused as "busy"
_workers = threading.BoundedSemaphore(IMAGE_WORKERS)


class ImageRejected(Refused):
    pass


def upload_folder(kind: str = "products") -> Path:
    folder = Path(current_app.config["UPLOAD_DIR"]) / kind
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_product_image(data: bytes, product_code: str) -> str:
    """Check, clean and save an uploaded picture; returns the stored name (without size).
    Files are ``<name>-large.jpg`` and ``<name>-thumb.jpg``."""
    return store_picture(data, product_code, "products")


def store_picture(data: bytes, prefix: str, kind: str) -> str:
    """A picture checked, cleaned and saved like a product's, in the ``kind`` folder of the
    uploads (a shopper's photo of a suspicious label, say); returns its stored name."""
    if len(data) > current_app.config["MAX_IMAGE_BYTES"]:
        raise ImageRejected(
            _(
                "The picture is larger than %(mb)d MB.",
                mb=current_app.config["MAX_IMAGE_BYTES"] // (1024 * 1024),
            )
        )
    if not _workers.acquire(timeout=WAIT_FOR_A_WORKER):
        raise ImageRejected(_("Many pictures are being processed; try again in a minute."))
    try:
        return _store(data, prefix, kind)
    finally:
        _workers.release()


def _store(data: bytes, product_code: str, kind: str) -> str:
    image = _checked_picture(data, max(SIZES.values()))
    name = f"{product_code.lower()}-{secrets.token_hex(6)}"
    folder = upload_folder(kind)
    for size_name, width in SIZES.items():
        copy = image.copy()
        copy.thumbnail((width, width))
        # Nothing of the upload but its pixels: Pillow would write its comment back otherwise
        # (and EXIF, ICC or XMP when asked to), with whatever a phone or a person put there.
        copy.info = {}
        copy.save(folder / f"{name}-{size_name}.jpg", "JPEG", quality=85, optimize=True)
    return name


def _checked_picture(data: bytes, largest: int) -> Image.Image:
    """The upload's pixels as RGB on white, or ImageRejected saying why not."""
    try:
        image = decode(data, largest)
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageRejected(_too_many_pixels()) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ImageRejected(_("This file is not a picture we can read.")) from error
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def decode(data: bytes, largest: int = max(SIZES.values())) -> Image.Image:
    """The picture's pixels, turned upright, at no more than the size we keep needs (a JPEG is
    decoded scaled down already). Refused when it is no picture of an accepted format, or has
    too many pixels; raises Pillow's own errors for a broken file."""
    with warnings.catch_warnings():
        # Past its own limit Pillow warns, then refuses: either way, far too many pixels.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data)) as probe:  # reads the header, no pixels yet
            image_format = probe.format
            _refuse_too_many_pixels(probe)
            probe.verify()  # structure check, before decoding any pixels
        image = Image.open(io.BytesIO(data))
    if image_format not in ACCEPTED_FORMATS:
        raise ImageRejected(_("Only JPEG, PNG or WebP pictures are accepted."))
    if image_format == "JPEG":
        # The decoder scales by 1/2, 1/4 or 1/8 on the way, to no less than the largest size we
        # keep (a square box, so the same whichever way EXIF turns the photo afterwards).
        scale = min(1.0, largest / max(image.size))
        image.draft("RGB", (math.ceil(image.width * scale), math.ceil(image.height * scale)))
    image = ImageOps.exif_transpose(image)  # phones store rotation in metadata
    image.load()
    return image


def _refuse_too_many_pixels(image: Image.Image) -> None:
    """A small file may claim 50,000 × 50,000 pixels (a decompression bomb): refused by its
    header, before a single pixel is decoded."""
    if image.width * image.height > MAX_PIXELS.get(image.format, MAX_PIXELS_DECODED_WHOLE):
        raise ImageRejected(_too_many_pixels())


def _too_many_pixels() -> str:
    return _("The picture has too many pixels.")


def delete_product_image(name: str) -> None:
    for size_name in SIZES:
        (upload_folder() / f"{name}-{size_name}.jpg").unlink(missing_ok=True)
    for variant in (upload_folder() / VARIANTS_FOLDER).glob(f"{name}-*"):
        variant.unlink(missing_ok=True)


# A scanned decision (quyết định công nhận) is read by people: kept larger than a product picture.
DECISION_SCAN_PIXELS = 2400
# What a scanner's PDF never holds and a hostile one might: scripts, launching, embedded files.
PDF_ACTIVE_CONTENT = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/OpenAction")


def decision_folder() -> Path:
    folder = Path(current_app.config["UPLOAD_DIR"]) / "decisions"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_decision_scan(data: bytes, stem: str) -> str:
    """Check and keep the scan of a certificate's decision; returns the stored file name. A PDF
    must look like one (its header and end marker) and hold no active content; it is kept as it
    is. A picture is checked as product pictures are (format, pixels, a worker free) and
    re-encoded as JPEG without metadata, up to DECISION_SCAN_PIXELS on its longer side."""
    limit = current_app.config["MAX_IMAGE_BYTES"]
    if len(data) > limit:
        raise ImageRejected(_("The file is larger than %(mb)d MB.", mb=limit // (1024 * 1024)))
    name = f"{stem.lower()}-{secrets.token_hex(8)}"
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:] or any(mark in data for mark in PDF_ACTIVE_CONTENT):
            raise ImageRejected(_("This PDF cannot be accepted: it is damaged or holds scripts."))
        (decision_folder() / f"{name}.pdf").write_bytes(data)
        return f"{name}.pdf"
    if not _workers.acquire(timeout=WAIT_FOR_A_WORKER):
        raise ImageRejected(_("Many pictures are being processed; try again in a minute."))
    try:
        image = _checked_picture(data, DECISION_SCAN_PIXELS)
        image.thumbnail((DECISION_SCAN_PIXELS, DECISION_SCAN_PIXELS))
        image.info = {}
        image.save(decision_folder() / f"{name}.jpg", "JPEG", quality=85, optimize=True)
    finally:
        _workers.release()
    return f"{name}.jpg"
