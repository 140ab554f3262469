"""Small things the staff pages share: which hosts are this shop's, dates from the query string,
and how a counter product is sent to the browser."""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from datetime import date
from functools import cache
from pathlib import Path

from flask import current_app, request, url_for

from storefront import clock
from storefront.folding import fold
from storefront.showrooms.counter_products import CounterProduct
from storefront.showrooms.scans import hosts_of


def own_hosts() -> set[str]:
    """A product QR holds BASE_URL (or, without one, this host): both are ours."""
    return hosts_of(current_app.config.get("BASE_URL"), request.host)


def date_arg(name: str, default: date | None = None) -> date:
    return clock.parse_day(request.args.get(name)) or default or clock.today()


def product_json(product: CounterProduct) -> dict:
    data = asdict(product)
    data["image_url"] = (
        url_for("catalog.media", filename=f"{product.image}-thumb.jpg")
        if product.image
        else url_for("static", filename=f"img/groups/{product.group}.svg")
    )
    del data["image"]
    # for finding it by name while the connection is down (the counter folds what is typed)
    data["folded"] = fold(f"{product.name} {product.producer_name}")
    return data


# What the counter's service worker keeps so that the till starts with the network down: the
# page's styles and scripts, the camera's barcode reader (ZXing in WebAssembly) and the pictures
# shown for products without one.
COUNTER_ASSETS = (
    "css/shop.css",
    "img/logo.svg",
    "vendor/htmx/htmx.min.js",
    "js/search.js",
    "js/pos/counter.js",
    "js/pos/outbox.js",
    "js/pos/scanner.js",
    "js/pos/camera.js",
    "js/pos/slip-page.js",
    "js/pos/receipt.js",
    "vendor/barcode-detector/ponyfill.js",
    "vendor/barcode-detector/zxing_reader.wasm",
    *(
        f"img/groups/{group}.svg"
        for group in ("food", "drinks", "herbal", "handicrafts", "plants", "tourism")
    ),
)


def counter_asset_urls() -> list[str]:
    return [url_for("static", filename=name) for name in COUNTER_ASSETS]


@cache
def counter_assets_version(static_folder: str) -> str:
    """Changes whenever one of the kept files changes, so the service worker renews its copy."""
    digest = hashlib.sha256()
    for name in COUNTER_ASSETS:
        path = Path(static_folder) / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"missing")
    return digest.hexdigest()[:16]
