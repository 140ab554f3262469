"""Turn catalogue service results into the plain dicts the API schemas dump."""

from __future__ import annotations

from datetime import date

from storefront.catalog import cards, listing, product_pages
from storefront.catalog.models import CertificateStatus
from storefront.catalog.pictures import absolute_picture_url
from storefront.formatting import web_address
from storefront.links import absolute_url_for
from storefront.register import generation
from storefront.traceability.batches import BatchCheck


def product_summaries(products: list[cards.ProductCard]) -> list[dict]:
    """Cards as the API gives them, with their units available online (read in one query)."""
    stock = cards.online_stock(card.product_id for card in products)
    return [product_summary(card, stock[card.product_id]) for card in products]


def product_summary(card: cards.ProductCard, available: int) -> dict:
    """``available``: units available online (cards.online_stock), where a card says only
    whether there are any."""
    return {
        "code": card.code,
        "name": card.name,
        "stars": card.stars,
        "group": card.group,
        "unit": card.unit,
        "price_vnd": card.price_vnd,
        "producer": {"code": card.producer_code, "name": card.producer_name},
        "certificate": {
            "number": card.certificate_number,
            "issued_on": card.certificate_issued_on,
            "expires_on": card.certificate_expires_on,
            "status": CertificateStatus.ACTIVE.value,
        },
        "available": max(available, 0),
        "is_demo": card.is_demo,
        "url": absolute_url_for("catalog.product", code=card.code),
        "picture": absolute_picture_url(card.picture) if card.picture else None,
    }


def product_page(page: listing.Page, filters: listing.CatalogFilters) -> dict:
    generation.stock_shown(page.product_ids)  # "available" is a number: kept per product

    def link(number: int) -> str:
        return absolute_url_for(
            "api.products",
            **filters.query_args(page=None if number == 1 else number),
            **({"page_size": page.page_size} if page.page_size != 24 else {}),
        )

    outcome = page.search
    return {
        "items": product_summaries(page.items),
        "total": page.total,
        "page": page.page,
        "pages": page.pages,
        "page_size": page.page_size,
        "links": {
            "self": link(page.page),
            "first": link(1),
            "last": link(page.pages),
            "prev": link(page.page - 1) if 1 < page.page <= page.pages + 1 else None,
            "next": link(page.page + 1) if page.page < page.pages else None,
        },
        "corrected_query": outcome.corrected_query if outcome else None,
        "suggestions": outcome.suggestions if outcome else [],
    }


def certificate(cert, today: date) -> dict:
    return {
        "number": cert.decision_number,
        "issued_on": cert.issued_on,
        "expires_on": cert.expires_on,
        "status": cert.state_on(today),
        "stars": cert.stars,
        "score": cert.score,
        "level": cert.level,
        "revoked_on": cert.revoked_on,
        "revoked_reason": cert.revoked_reason,
        "is_demo": cert.is_demo,
        "stars_is_demo": cert.stars_is_demo,
    }


def product_detail(view: product_pages.ProductView, today: date) -> dict:
    product, active = view.product, view.certificate
    return {
        "code": product.code,
        "name": product.name,
        "stars": active.stars if active else None,
        "group": product.group,
        "unit": product.unit,
        "price_vnd": product.price_vnd,
        "producer": {"code": product.producer.code, "name": product.producer.name},
        "certificate": certificate(active, today) if active else None,
        "available": view.online_available,
        "is_demo": product.is_demo,
        "url": absolute_url_for("catalog.product", code=product.code),
        "picture": absolute_picture_url(product.images[0].filename) if product.images else None,
        "sellable": view.sellable,
        "description": product.description,
        "net_quantity": product.net_quantity,
        "ingredients": product.ingredients,
        "shelf_life": product.shelf_life,
        "storage": product.storage,
        "directions": product.directions,
        "origin": product.origin,
        "shipping_weight_grams": product.shipping_weight_grams,
        "content_is_demo": product.content_is_demo,
        "pictures": [
            {"url": absolute_picture_url(image.filename), "alt": image.alt}
            for image in product.images
        ],
        "notices": view.notices,
        "producer_is_demo": product.producer.is_demo,
        "region": {"code": product.region.code, "name": product.region.name},
        "certificates": [certificate(c, today) for c in view.history],
        "showrooms": [
            {"code": place.code, "name": place.name, "available": place.available}
            for place in view.showrooms
        ],
        "qr_png": absolute_url_for("qr.image", code=product.code, kind="png"),
    }


def verification(result: product_pages.Verification, today: date) -> dict:
    product = result.product
    return {
        "code": product.code,
        "state": result.state,
        "product": {"code": product.code, "name": product.name},
        "producer": {"code": product.producer.code, "name": product.producer.name},
        "stars": result.certificate.stars if result.state == "valid" else None,
        "certificate": certificate(result.certificate, today) if result.certificate else None,
        "successor": certificate(result.successor, today) if result.successor else None,
    }


def batch_verification(check: BatchCheck, today: date) -> dict:
    """/q/<product>/<batch> as data: the certificate check, and only what a shopper may see of
    the batch."""
    batch = check.batch
    return {
        **verification(check.verification, today),
        "batch": {
            "code": batch.code,
            "produced_on": batch.produced_on,
            "expires_on": batch.expires_on,
            "expired": check.expired,
            "quantity": batch.quantity,
            "under_review": check.under_review,
            "deliveries": [
                {
                    "showroom": {"code": d.showroom.code, "name": d.showroom.name},
                    "quantity": d.quantity,
                    "delivered_on": d.delivered_on,
                }
                for d in check.deliveries
            ],
        },
    }


def producer_summary(producer, products: int) -> dict:
    return {
        "code": producer.code,
        "name": producer.name,
        "legal_form": producer.legal_form,
        "is_demo": producer.is_demo,
        "region": {"code": producer.region.code, "name": producer.region.name},
        "address": producer.address,
        "website": web_address(producer.website),
        "products": products,
    }


def producer_detail(producer, products: list[cards.ProductCard]) -> dict:
    return {
        **producer_summary(producer, len(products)),
        "description": producer.description,
        "items": product_summaries(products),
    }


def showroom(found) -> dict:
    return {
        "code": found.code,
        "name": found.name,
        "level": found.level,
        "region": {"code": found.region.code, "name": found.region.name},
        "address": found.address,
        "opening_hours": found.opening_hours,
        "phone": found.phone,
        "is_demo": found.is_demo,
    }


def showroom_with_shelf(found, shelf: list[tuple[cards.ProductCard, int]]) -> dict:
    """A showroom and what is on its shelves (``shelf``: cards with the units there)."""
    summaries = product_summaries([card for card, _here in shelf])
    return {
        **showroom(found),
        "stock": [
            {**summary, "available_here": here}
            for summary, (_card, here) in zip(summaries, shelf, strict=True)
        ],
    }


def region(unit, codes: dict[int, str], today: date) -> dict:
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "parent": codes.get(unit.parent_id),
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
        "successor": codes.get(unit.successor_id),
        "current": unit.is_current(today),
    }
