"""What a product looks like when its link is shared or found: the picture of the preview and the
schema.org ``Product`` description (JSON-LD) search engines read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storefront.catalog.pictures import primary_picture_url
from storefront.catalog.product_pages import ProductView
from storefront.links import absolute_url_for
from storefront.rich_text import plain_text


@dataclass(frozen=True)
class ProductPreview:
    url: str  # canonical
    image: str
    description: str
    json_ld: dict[str, Any]


def product_preview(view: ProductView) -> ProductPreview:
    product = view.product
    description = (
        plain_text(product.description, limit=200) or f"{product.name} — {product.producer.name}"
    )
    return ProductPreview(
        url=absolute_url_for("catalog.product", code=product.code),
        image=primary_picture_url(product),
        description=description,
        json_ld=product_json_ld(view, description),
    )


def product_json_ld(view: ProductView, description: str) -> dict[str, Any]:
    """schema.org Product: name, image, description, sku (the code), brand (the producer) and,
    when it is for sale, one offer in VND with its availability."""
    product = view.product
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "image": [primary_picture_url(product)],
        "description": description,
        "sku": product.code,
        "brand": {"@type": "Brand", "name": product.producer.name},
        "url": absolute_url_for("catalog.product", code=product.code),
    }
    if view.sellable:
        in_stock = view.online_available > 0 or bool(view.showrooms)
        data["offers"] = {
            "@type": "Offer",
            "price": str(product.price_vnd),
            "priceCurrency": "VND",
            "availability": "https://schema.org/" + ("InStock" if in_stock else "OutOfStock"),
            "url": data["url"],
            "seller": {"@type": "Organization", "name": product.producer.name},
        }
    if view.certificate:
        data["award"] = f"OCOP {view.certificate.stars}★"
    return data
