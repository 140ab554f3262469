"""Small things the staff pages share: which hosts are this shop's, dates from the query string,
and how a counter product is sent to the browser."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from flask import current_app, request, url_for

from storefront import clock
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
    return data
