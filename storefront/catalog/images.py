"""Product pictures: checked by content, bounded, re-encoded without metadata, thumbnailed once."""

from __future__ import annotations

import io
import secrets
import warnings
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from storefront.domain import Refused

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_PIXELS = 40_000_000  # refuse decompression bombs long before they fill memory
SIZES = {"large": 1200, "thumb": 400}
MAX_IMAGES_PER_PRODUCT = 8


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
    try:
        with warnings.catch_warnings():
            # Past its own limit Pillow warns, then refuses: either way, far too many pixels.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:  # reads the header, no pixels yet
                _refuse_too_many_pixels(probe)
                image_format = probe.format
                probe.verify()  # structure check, before decoding any pixels
            image = Image.open(io.BytesIO(data))
        if image_format not in ACCEPTED_FORMATS:
            raise ImageRejected(_("Only JPEG, PNG or WebP pictures are accepted."))
        image = ImageOps.exif_transpose(image)  # phones store rotation in metadata
        image.load()
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
        # Saving a fresh image with no exif/icc arguments leaves every metadata block behind.
        copy.save(folder / f"{name}-{size_name}.jpg", "JPEG", quality=85, optimize=True)
    return name


def _refuse_too_many_pixels(image: Image.Image) -> None:
    """A small file may claim 50,000 × 50,000 pixels (a decompression bomb): refused by its
    header, before a single pixel is decoded."""
    if image.width * image.height > MAX_PIXELS:
        raise ImageRejected(_too_many_pixels())


def _too_many_pixels() -> str:
    return _("The picture has too many pixels.")


def delete_product_image(name: str) -> None:
    for size_name in SIZES:
        (upload_folder() / f"{name}-{size_name}.jpg").unlink(missing_ok=True)
