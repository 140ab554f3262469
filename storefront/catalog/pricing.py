"""A product's price: the one way it changes, from the producer portal and the office alike. Every
change is kept in the price history and the audit log; orders already placed keep their own price.
Saves of a product are versioned, so a form read before someone else's save is refused.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from storefront import domain
from storefront.accounts.access import NotAllowed, require_producer
from storefront.accounts.models import User
from storefront.audit.models import AuditArea
from storefront.audit.services import actor_label, record
from storefront.catalog.models import PriceChange, Product
from storefront.extensions import db
from storefront.numbers import OutOfRange, parse_vnd

MAX_PRICE_VND = 1_000_000_000


class ChangedMeanwhile(domain.Conflict):
    """Someone saved the product after this form was opened; ``product`` is the fresh one."""

    def __init__(self, product: Product | None, field: str | None = None):
        super().__init__(
            _(
                "Someone changed this product meanwhile. Here is the new value; "
                "check it and save again."
            ),
            field,
        )
        self.product = product


def read_price(typed: str | int | None) -> int:
    """Whole đồng from what a person typed ('120000', '120.000', '120 000 ₫'), within the price
    rule (more than 0, at most MAX_PRICE_VND); refused with the message beside the field
    ``price``."""
    try:
        return parse_vnd(typed, minimum=1, maximum=MAX_PRICE_VND)
    except OutOfRange as error:
        if error.too_small:
            raise domain.Refused(_("The price must be more than 0 ₫."), "price") from None
        raise domain.Refused(_("The price cannot be over 1.000.000.000 ₫."), "price") from None
    except ValueError:
        raise domain.Refused(
            _("Enter the price as a whole number of đồng, e.g. 120000."), "price"
        ) from None


def change_price(
    actor: User,
    product_id: int,
    new_price_vnd: int,
    expected_version: int,
    reason: str | None = None,
) -> PriceChange | None:
    """Set a new price (whole đồng, already read from what was typed) and keep the old one in the
    history and the audit log (with ``reason`` as its note). A producer may change only its own
    products (another's is not found), the office any. Refused with ChangedMeanwhile when the
    product was saved since ``expected_version`` was read. None when the price is the same."""
    # Nothing is written before the one versioned save below: reading an expired actor or
    # product would otherwise flush the caller's edits early, outside the race check.
    with db.session.no_autoflush:
        product = db.session.get(Product, product_id)
        if product is None:
            raise domain.NotFound(_("No such product."))
        try:
            require_producer(actor, product.producer_id)
        except NotAllowed:
            raise domain.NotFound(_("No such product.")) from None
        if product.version != expected_version:
            raise ChangedMeanwhile(product)
        if new_price_vnd == product.price_vnd:
            return None
        old_price_vnd = product.price_vnd
        change = PriceChange(
            product_id=product.id,
            old_price_vnd=old_price_vnd,
            new_price_vnd=new_price_vnd,
            actor_id=getattr(actor, "id", None),
            actor_name=actor_label(actor),
        )
        product.price_vnd = new_price_vnd
        product.is_demo = False  # a price someone set is real, whatever the demo said
        db.session.add(change)
    save_versioned(product)  # before the audit entry, whose flush would otherwise meet the race
    record(
        actor,
        AuditArea.PRICE,
        "price.changed",
        f"{product.name} ({product.code})",
        before={"price_vnd": old_price_vnd},
        after={"price_vnd": new_price_vnd},
        note=reason,
    )
    return change


def save_versioned(product: Product, field: str | None = None) -> None:
    """Flush the product's versioned UPDATE; if another save won the race in between, roll back
    and refuse with ChangedMeanwhile (its message beside ``field``)."""
    product_id = product.id
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise ChangedMeanwhile(db.session.get(Product, product_id), field) from None
