"""A producer's own products: the price (as typed, then through the one price change in
catalog.pricing), the details the producer owns, and proposals of new products."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from storefront.accounts.models import User
from storefront.catalog import pricing
from storefront.catalog.models import PriceChange, Product, ProductGroup, ReviewStatus
from storefront.extensions import db
from storefront.producers.access import PortalError, own_product, producer_id_of
from storefront.register.codes import new_product_code
from storefront.register.models import Producer


def change_price(
    actor: User, product_id: int, typed_price: str | int | None, expected_version: int
) -> PriceChange | None:
    """The price as the producer typed it ('120.000'), through the one price change: kept in the
    history and the audit log; orders already placed keep their own price. Refused with
    pricing.ChangedMeanwhile when the product changed since the form was read."""
    price_vnd = pricing.read_price(typed_price)
    return pricing.change_price(actor, product_id, price_vnd, expected_version)


def price_history(actor: User, product_id: int) -> list[PriceChange]:
    product = own_product(actor, product_id)
    return list(
        db.session.scalars(
            select(PriceChange)
            .where(PriceChange.product_id == product.id)
            .order_by(PriceChange.changed_at.desc(), PriceChange.id.desc())
        )
    )


def update_details(
    actor: User, product_id: int, *, description: str, unit: str, expected_version: int
) -> Product:
    """The parts of a product the producer owns: description and unit. Stars, certificates
    and the group are the office's."""
    product = own_product(actor, product_id)
    if product.version != expected_version:
        raise pricing.ChangedMeanwhile(product)
    unit = (unit or "").strip()
    if not unit or len(unit) > 64:
        raise PortalError(
            _("Give the unit it is sold by, e.g. hộp 200g (at most 64 characters)."), "unit"
        )
    description = (description or "").strip()
    if len(description) > 5000:
        raise PortalError(_("The description can be at most 5000 characters."), "description")
    product.unit, product.description = unit, description or None
    pricing.save_versioned(product)
    return product


def propose_product(
    actor: User, *, name: str, group: str, unit: str, price: str | int | None, description: str = ""
) -> Product:
    """A new product the office must approve (and certify) before it is listed."""
    producer_id = producer_id_of(actor)
    name, unit = (name or "").strip(), (unit or "").strip()
    if not 3 <= len(name) <= 300:
        raise PortalError(_("Give the product's name (3 to 300 characters)."), "name")
    if group not in set(ProductGroup):
        raise PortalError(_("Choose one of the six OCOP groups."), "group")
    if not unit or len(unit) > 64:
        raise PortalError(
            _("Give the unit it is sold by, e.g. hộp 200g (at most 64 characters)."), "unit"
        )
    producer = db.session.get_one(Producer, producer_id)
    taken = set(db.session.scalars(select(Product.code)))
    product = Product(
        code=new_product_code(taken=taken),
        name=name,
        producer=producer,
        region_id=producer.region_id,
        group=group,
        unit=unit,
        price_vnd=pricing.read_price(price),
        description=(description or "").strip() or None,
        listed=False,
        review_status=ReviewStatus.PENDING,
    )
    db.session.add(product)
    db.session.flush()
    return product
