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


def upload_folder() -> Path:
    folder = Path(current_app.config["UPLOAD_DIR"]) / "products"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_product_image(data: bytes, product_code: str) -> str:
    """Check, clean and save an uploaded picture; returns the stored name (without size).
    Files are ``<name>-large.jpg`` and ``<name>-thumb.jpg``."""
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
        return _store(data, product_code)
    finally:
        _workers.release()


def _store(data: bytes, product_code: str) -> str:
    try:
        image = decode(data)
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
        image = background
    else:
        image = image.convert("RGB")
    name = f"{product_code.lower()}-{secrets.token_hex(6)}"
    folder = upload_folder()
    for size_name, width in SIZES.items():
        copy = image.copy()
        copy.thumbnail((width, width))
        # Nothing of the upload but its pixels: Pillow would write its comment back otherwise
        # (and EXIF, ICC or XMP when asked to), with whatever a phone or a person put there.
        copy.info = {}
        copy.save(folder / f"{name}-{size_name}.jpg", "JPEG", quality=85, optimize=True)
    return name


def decode(data: bytes) -> Image.Image:
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
        scale = min(1.0, max(SIZES.values()) / max(image.size))
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
