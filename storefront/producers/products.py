"""A producer's own products: the price (as typed, then through the one price change in
catalog.pricing), the details the producer owns, and proposals of new products."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from storefront.accounts.models import User
from storefront.audit.models import AuditArea
from storefront.audit.services import record
from storefront.catalog import pricing
from storefront.catalog.models import PriceChange, Product, ProductGroup, ReviewStatus
from storefront.extensions import db
from storefront.numbers import parse_int
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


@dataclass(frozen=True)
class ProductContent:
    """What the producer tells a buyer about a product, as typed in the portal's form."""

    unit: str
    description: str = ""  # Markdown
    net_quantity: str = ""
    ingredients: str = ""
    shelf_life: str = ""
    storage: str = ""
    directions: str = ""
    origin: str = ""
    shipping_weight: str = ""  # grams, as typed


# (column, longest text, message when longer): the texts of ProductContent besides the unit.
CONTENT_TEXTS = (
    ("description", 5000, _l("The description can be at most 5000 characters.")),
    ("net_quantity", 64, _l("The net weight or volume can be at most 64 characters.")),
    ("ingredients", 2000, _l("The ingredients can be at most 2000 characters.")),
    ("shelf_life", 200, _l("The shelf life can be at most 200 characters.")),
    ("storage", 1000, _l("How to store it can be at most 1000 characters.")),
    ("directions", 2000, _l("How to use it can be at most 2000 characters.")),
    ("origin", 200, _l("The place of origin can be at most 200 characters.")),
)
MAX_SHIPPING_WEIGHT_GRAMS = 100_000


def update_details(
    actor: User, product_id: int, content: ProductContent, expected_version: int
) -> Product:
    """The parts of a product the producer owns: unit, description (Markdown), net weight or
    volume, ingredients, shelf life, storage, directions, origin and shipping weight. Stars,
    certificates and the group are the office's. Every change is in the audit log; texts the demo
    wrote stop being marked demo once the producer saves them."""
    product = own_product(actor, product_id)
    if product.version != expected_version:
        raise pricing.ChangedMeanwhile(product)
    values = _clean_content(content)
    before = content_snapshot(product)
    for name, value in values.items():
        setattr(product, name, value)
    product.content_is_demo = False
    pricing.save_versioned(product)
    after = content_snapshot(product)
    if after != before:
        changed = sorted(k for k in after if after[k] != before[k])
        record(
            actor,
            AuditArea.REGISTER,
            "product.details_changed",
            f"{product.name} ({product.code})",
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return product


def _clean_content(content: ProductContent) -> dict[str, str | int | None]:
    unit = (content.unit or "").strip()
    if not unit or len(unit) > 64:
        raise PortalError(
            _("Give the unit it is sold by, e.g. hộp 200g (at most 64 characters)."), "unit"
        )
    values: dict[str, str | int | None] = {"unit": unit}
    for name, longest, message in CONTENT_TEXTS:
        text = (getattr(content, name) or "").strip()
        if len(text) > longest:
            raise PortalError(str(message), name)
        values[name] = text or None
    weight = (content.shipping_weight or "").strip()
    try:
        values["shipping_weight_grams"] = (
            parse_int(weight, minimum=1, maximum=MAX_SHIPPING_WEIGHT_GRAMS) if weight else None
        )
    except ValueError:
        raise PortalError(
            _("Give the packed weight in whole grams, from 1 to 100000."), "shipping_weight"
        ) from None
    return values


def content_snapshot(product: Product) -> dict[str, str | int | None]:
    """The producer's texts of a product, as the audit log keeps them."""
    names = ["unit", *(name for name, _longest, _message in CONTENT_TEXTS)]
    return {
        **{name: getattr(product, name) for name in names},
        "shipping_weight_grams": product.shipping_weight_grams,
    }


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
