"""Pictures of a producer's own product: add one (checked and re-encoded by catalog.images), or
remove one."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from storefront.accounts.models import User
from storefront.catalog.images import ImageRejected, delete_product_image, store_product_image
from storefront.catalog.models import MAX_IMAGES_PER_PRODUCT, ProductImage
from storefront.extensions import db
from storefront.producers.access import NotFound, PortalError, own_product


def add_picture(actor: User, product_id: int, data: bytes, alt: str = "") -> ProductImage:
    """The picture, cleaned, at the product's first free place. Refused (beside the form's
    picture field) past MAX_IMAGES_PER_PRODUCT, which the database holds even for uploads at the
    same moment, or when the file is not a picture catalog.images accepts."""
    product = own_product(actor, product_id)
    if len(product.images) >= MAX_IMAGES_PER_PRODUCT:
        raise _too_many_pictures()
    try:
        name = store_product_image(data, product.code)
    except ImageRejected as error:
        raise PortalError(error.message, "picture") from error
    try:
        return _place_picture(product.id, name, (alt or "").strip()[:300] or None)
    except PortalError:
        delete_product_image(name)
        raise


def _place_picture(product_id: int, name: str, alt: str | None) -> ProductImage:
    # An upload that took the same place a moment earlier makes the insert fail (unique place):
    # look again and take the next one, until none is left.
    for _attempt in range(MAX_IMAGES_PER_PRODUCT):
        taken = set(
            db.session.scalars(
                select(ProductImage.position).where(ProductImage.product_id == product_id)
            )
        )
        free = [p for p in range(MAX_IMAGES_PER_PRODUCT) if p not in taken]
        if not free:
            break
        image = ProductImage(product_id=product_id, filename=name, alt=alt, position=free[0])
        try:
            with db.session.begin_nested():
                db.session.add(image)
        except IntegrityError:
            continue
        return image
    raise _too_many_pictures()


def _too_many_pictures() -> PortalError:
    return PortalError(
        _("A product can have at most %(n)d pictures.", n=MAX_IMAGES_PER_PRODUCT), "picture"
    )


def remove_picture(actor: User, product_id: int, image_id: int) -> None:
    """The picture goes; those after it move up one place, so a new one comes last."""
    product = own_product(actor, product_id)
    image = db.session.get(ProductImage, image_id)
    if image is None or image.product_id != product.id:
        raise NotFound(_("No such picture."))
    later = [i for i in product.images if i.position > image.position]
    db.session.delete(image)
    db.session.flush()
    for moved in sorted(later, key=lambda i: i.position):  # one by one: each place is free
        moved.position -= 1
        db.session.flush()
    delete_product_image(image.filename)
