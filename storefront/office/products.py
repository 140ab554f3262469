"""The office's side of products: create and edit them, approve or reject what producers propose,
and list or unlist them (always with a reason). Only a listed, approved product with an active,
unexpired certificate is in the shop."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from storefront.accounts.models import User
from storefront.audit.models import AuditArea
from storefront.audit.services import record
from storefront.catalog import pricing
from storefront.catalog.models import Product, ReviewStatus
from storefront.catalog.pricing import ChangedMeanwhile
from storefront.domain import Refused
from storefront.extensions import db
from storefront.folding import contains_pattern, search_words
from storefront.office import fields
from storefront.office.errors import NotFound, OfficeError
from storefront.register.barcodes import InvalidBarcode, read_ean13
from storefront.register.codes import new_product_code
from storefront.register.models import Producer, Region


@dataclass
class ProductFields:
    name: str = ""
    producer: str = ""  # producer code
    group: str = ""
    subgroup: str = ""
    unit: str = ""
    price: str = ""
    description: str = ""
    ean: str = ""
    region: str = ""  # optional: the producer's unit when empty


def clean_product(
    data: ProductFields,
    known_producers: dict[str, Producer] | None = None,
    known_regions: dict[str, Region] | None = None,
) -> dict:
    """The product's columns from what was typed; Invalid names every refused field."""

    def producer() -> Producer:
        code = (data.producer or "").strip()
        found = (
            known_producers.get(code)
            if known_producers is not None
            else db.session.scalar(select(Producer).where(Producer.code == code))
        )
        if found is None:
            raise OfficeError(_("No producer with code %(code)s.", code=code), "producer")
        return found

    def price() -> int:
        try:
            return pricing.read_price(data.price)
        except Refused as error:
            raise OfficeError(str(error), "price") from None

    def ean() -> str | None:
        try:
            return read_ean13(data.ean)
        except InvalidBarcode as error:
            raise OfficeError(str(error), "ean") from None

    values = fields.clean(
        {
            "name": lambda: fields.text(
                data.name, "name", _("Product name"), min_len=3, max_len=300
            ),
            "producer": producer,
            "group": lambda: fields.group(data.group),
            "subgroup": lambda: fields.text(
                data.subgroup, "subgroup", _("Subgroup"), required=False, max_len=64
            ),
            "unit": lambda: fields.text(data.unit, "unit", _("Unit"), max_len=64),
            "price_vnd": price,
            "description": lambda: fields.text(
                data.description, "description", _("Description"), required=False, max_len=5000
            ),
            "ean": ean,
            "region": lambda: fields.region(data.region, required=False, known=known_regions),
        }
    )
    values["region"] = values["region"] or values["producer"].region
    return values


def get_product(code: str) -> Product:
    product = db.session.scalar(
        select(Product)
        .where(Product.code == (code or "").strip().upper())
        .options(
            joinedload(Product.producer),
            joinedload(Product.region),
            selectinload(Product.certificates),
        )
    )
    if product is None:
        raise NotFound(_("No such product."))
    return product


def list_products(review_status: str | None = None, q: str = "") -> list[Product]:
    """The office's product list, newest first; with ``q``, the products whose code, EAN or
    exact name it is come first, then those with every word of ``q`` in their name, producer,
    place or code. Punctuation in ``q`` ("%", "_") is taken literally and never empties the list
    by itself: a query of punctuation alone finds the names that hold it, or lists everything."""
    query = (
        select(Product)
        .options(joinedload(Product.producer), selectinload(Product.certificates))
        .order_by(Product.created_at.desc(), Product.id.desc())
    )
    if review_status in set(ReviewStatus):
        query = query.where(Product.review_status == review_status)
    q = (q or "").strip()[:200]
    if not q:
        return list(db.session.scalars(query.limit(500)))
    name = " ".join(search_words(q))
    exact = or_(Product.code == q.upper(), Product.ean == q, Product.search_name == name)
    words = search_words(q)[:10]
    if not words:  # punctuation alone: names holding it, else everything
        holding = query.where(Product.name.like(contains_pattern(q), escape="\\"))
        return list(db.session.scalars(holding.limit(500))) or list(
            db.session.scalars(query.limit(500))
        )
    matching = query.where(
        or_(
            exact,
            and_(
                *(
                    or_(
                        Product.search_text.like(contains_pattern(word), escape="\\"),
                        func.lower(Product.code).like(contains_pattern(word), escape="\\"),
                        Product.ean.like(contains_pattern(word), escape="\\"),
                    )
                    for word in words
                )
            ),
        )
    )
    found = list(db.session.scalars(matching.limit(500)))
    first = [p for p in found if p.code == q.upper() or p.ean == q or p.search_name == name]
    return first + [p for p in found if p not in first]


def subgroups_in_use() -> list[tuple[str, str]]:
    """(group, subgroup) pairs the register uses, for the office's choices."""
    return [
        (group, subgroup)
        for group, subgroup in db.session.execute(
            select(Product.group, Product.subgroup)
            .where(Product.subgroup.is_not(None), Product.subgroup != "")
            .distinct()
            .order_by(Product.group, Product.subgroup)
        ).tuples()
        if subgroup
    ]


def create_product(
    actor: User,
    data: ProductFields,
    known_producers: dict[str, Producer] | None = None,
    known_regions: dict[str, Region] | None = None,
) -> Product:
    """A product the office registers itself: approved and listed, but in the shop only once it
    holds an active certificate."""
    values = clean_product(data, known_producers, known_regions)
    _refuse_taken_ean(values["ean"], None)
    taken = set(db.session.scalars(select(Product.code)))
    product = Product(
        code=new_product_code(taken=taken),
        review_status=ReviewStatus.APPROVED,
        listed=True,
        **values,
    )
    db.session.add(product)
    db.session.flush()
    record(actor, AuditArea.REGISTER, "product.created", label(product), after=_snapshot(product))
    return product


def update_product(actor: User, code: str, data: ProductFields, expected_version: int) -> Product:
    """Edit every detail. A new price goes through the one price change (catalog.pricing): kept
    in the price history and the audit log."""
    product = get_product(code)
    if product.version != expected_version:
        raise ChangedMeanwhile(product, "name")
    values = clean_product(data)
    _refuse_taken_ean(values["ean"], product.id)
    before = _snapshot(product)
    new_price_vnd = values.pop("price_vnd")
    for name, value in values.items():
        setattr(product, name, value)
    # One versioned UPDATE saves the details with the new price.
    pricing.change_price(actor, product.id, new_price_vnd, expected_version)
    pricing.save_versioned(product, "name")
    after = _snapshot(product)
    if {k: v for k, v in after.items() if k != "price_vnd"} != {
        k: v for k, v in before.items() if k != "price_vnd"
    }:
        record(
            actor, AuditArea.REGISTER, "product.edited", label(product), before=before, after=after
        )
    return product


def review_product(actor: User, code: str, approve: bool, reason: str = "") -> Product:
    """Approve a producer's proposal (it is listed, and in the shop once certified) or reject it
    with a reason. Only a pending proposal can be reviewed."""
    product = get_product(code)
    if product.review_status != ReviewStatus.PENDING:
        raise OfficeError(_("This product is not waiting for review."))
    reason = (reason or "").strip()
    if not approve and not reason:
        raise OfficeError(_("Say why the proposal is rejected; the producer reads it."), "reason")
    before = {"review_status": product.review_status, "listed": product.listed}
    product.review_status = ReviewStatus.APPROVED if approve else ReviewStatus.REJECTED
    product.listed = approve
    record(
        actor,
        AuditArea.LISTING,
        "product.approved" if approve else "product.rejected",
        label(product),
        before=before,
        after={"review_status": product.review_status, "listed": product.listed},
        note=reason,
    )
    db.session.flush()
    return product


def set_listing(actor: User, code: str, listed: bool, reason: str) -> Product:
    """List or unlist a product, with the reason in the audit log. An unlisted product leaves the
    catalogue at once; listing brings it back only if it is approved and certified."""
    product = get_product(code)
    reason = (reason or "").strip()
    if not reason:
        raise OfficeError(_("Say why the product is listed or unlisted."), "reason")
    if listed and product.review_status != ReviewStatus.APPROVED:
        raise OfficeError(_("Approve the product before listing it."))
    if listed and not product.producer.active:
        raise OfficeError(_("The producer is deactivated; activate it first."))
    if product.listed == listed:
        return product
    product.listed = listed
    record(
        actor,
        AuditArea.LISTING,
        "product.listed" if listed else "product.unlisted",
        label(product),
        before={"listed": not listed},
        after={"listed": listed},
        note=reason,
    )
    db.session.flush()
    return product


def label(product: Product) -> str:
    return f"{product.name} ({product.code})"


def _refuse_taken_ean(ean: str | None, product_id: int | None) -> None:
    if not ean:
        return
    other = db.session.scalar(select(Product.id).where(Product.ean == ean))
    if other is not None and other != product_id:
        raise OfficeError(_("Another product has the barcode %(ean)s.", ean=ean), "ean")


def _snapshot(product: Product) -> dict:
    return {
        "name": product.name,
        "producer": product.producer.code,
        "group": product.group,
        "subgroup": product.subgroup,
        "unit": product.unit,
        "price_vnd": product.price_vnd,
        "description": product.description,
        "ean": product.ean,
        "region": product.region.code,
    }
