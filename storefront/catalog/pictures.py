"""A product's pictures as pages show them: several widths in WebP and JPEG (the browser picks
with ``srcset`` and ``<picture>``), made with Pillow from the cleaned upload (catalog.images keeps
``<name>-large.jpg``, at most 1200 px) the first time one is asked for, then kept on disk beside
it. The group's drawing stands in for a product without a picture.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from pathlib import Path

from flask import url_for
from PIL import Image

from storefront.catalog.images import IMAGE_WORKERS, VARIANTS_FOLDER, upload_folder
from storefront.catalog.models import Product
from storefront.domain import NotFound
from storefront.links import absolute_url_for

WIDTHS = (320, 640, 960, 1200)
FORMATS = {"webp": ("WEBP", {"quality": 80, "method": 4}), "jpg": ("JPEG", {"quality": 82})}
# <stored name>-<width>.<format>; the stored name is a product code and 12 hex digits.
_VARIANT = re.compile(
    r"(?P<name>[a-z0-9_-]{1,40}-[0-9a-f]{12})-(?P<width>\d{3,4})\.(?P<fmt>webp|jpg)"
)
_make_one_at_a_time = threading.BoundedSemaphore(IMAGE_WORKERS)


def variant_url(name: str, width: int, fmt: str) -> str:
    return url_for("catalog.picture", filename=f"{name}-{width}.{fmt}")


def srcset(name: str, fmt: str) -> str:
    """The ``srcset`` of a stored picture in one format, every width."""
    return ", ".join(f"{variant_url(name, w, fmt)} {w}w" for w in WIDTHS)


def absolute_picture_url(name: str) -> str:
    """The absolute URL of a stored picture at its largest, as JPEG (for the API, link
    previews)."""
    return absolute_url_for("catalog.picture", filename=f"{name}-{WIDTHS[-1]}.jpg")


def primary_picture_url(product: Product) -> str:
    """The absolute URL of the product's first picture (1200 px JPEG, the size and format link
    previews read best), or of its group's drawing as a PNG when it has none (link previews show
    no SVG): for Open Graph tags and the JSON-LD."""
    if product.images:
        return absolute_picture_url(product.images[0].filename)
    return absolute_url_for("static", filename=f"img/share/{product.group}.png")


def variant_file(filename: str) -> Path:
    """The file of one width and format of a stored picture, made now if it was never asked
    for. NotFound for a name that is no such variant, or a picture that is gone."""
    match = _VARIANT.fullmatch(filename)
    if match is None or int(match["width"]) not in WIDTHS:
        raise NotFound("No such picture.")
    source = upload_folder() / f"{match['name']}-large.jpg"
    folder = upload_folder() / VARIANTS_FOLDER
    target = folder / filename
    if target.exists():
        return target
    if not source.exists():
        raise NotFound("No such picture.")
    folder.mkdir(exist_ok=True)
    with _make_one_at_a_time:
        if not target.exists():  # another request may have made it meanwhile
            _make(source, target, int(match["width"]), match["fmt"])
    return target


def _make(source: Path, target: Path, width: int, fmt: str) -> None:
    """Resize the cleaned picture (no metadata left in it) and write it whole or not at all: a
    half-written file is never served."""
    pillow_format, options = FORMATS[fmt]
    with Image.open(source) as image:
        image.thumbnail((width, 4 * width))  # no wider than asked, never enlarged
        image.info = {}
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                image.save(out, pillow_format, **options)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
