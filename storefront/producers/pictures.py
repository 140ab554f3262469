"""Pictures of a producer's own product: add one (checked and re-encoded by catalog.images), or
remove one."""

from __future__ import annotations

from flask_babel import gettext as _

from storefront.catalog.images import (
    MAX_IMAGES_PER_PRODUCT,
    ImageRejected,
    delete_product_image,
    store_product_image,
)
from storefront.catalog.models import ProductImage
from storefront.extensions import db
from storefront.producers.access import NotFound, PortalError, own_product


def add_picture(actor, product_id: int, data: bytes, alt: str = "") -> ProductImage:
    """Add a picture after the others; refused (beside the form's picture field) when the product
    has the most it may have or the file is not a picture catalog.images accepts."""
    product = own_product(actor, product_id)
    if len(product.images) >= MAX_IMAGES_PER_PRODUCT:
        raise PortalError(
            _("A product can have at most %(n)d pictures.", n=MAX_IMAGES_PER_PRODUCT), "picture"
        )
    try:
        name = store_product_image(data, product.code)
    except ImageRejected as error:
        raise PortalError(error.message, "picture") from error
    image = ProductImage(
        product_id=product.id,
        filename=name,
        alt=(alt or "").strip()[:300] or None,
        position=len(product.images),
    )
    db.session.add(image)
    db.session.flush()
    return image


def remove_picture(actor, product_id: int, image_id: int) -> None:
    product = own_product(actor, product_id)
    image = db.session.get(ProductImage, image_id)
    if image is None or image.product_id != product.id:
        raise NotFound(_("No such picture."))
    db.session.delete(image)
    db.session.flush()
    delete_product_image(image.filename)

