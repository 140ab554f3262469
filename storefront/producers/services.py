"""What a producer may do with its own products. Every function takes the acting user and checks
that the product is theirs (the office may act for any producer); someone else's product is
answered as if it did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from storefront import domain, spreadsheets
from storefront.accounts.access import NotAllowed, require_producer
from storefront.audit.models import AuditArea
from storefront.audit.services import record
from storefront.catalog.images import delete_product_image, store_product_image
from storefront.catalog.models import (
    MAX_IMAGES_PER_PRODUCT,
    Certificate,
    CertificateStatus,
    PriceChange,
    Product,
    ProductGroup,
    ProductImage,
    ReviewStatus,
)
from storefront.clock import start_of_day
from storefront.domain import Refused
from storefront.extensions import db
from storefront.inventory import services as stock
from storefront.inventory.models import (
    LocationKind,
    MovementKind,
    StockLevel,
    StockLocation,
    StockMovement,
    StockTransfer,
    TransferStatus,
)
from storefront.numbers import OutOfRange, parse_int, parse_vnd
from storefront.orders import services as orders
from storefront.orders.models import Order, OrderPart, PartStatus
from storefront.orders.transitions import PARTS_WORKABLE
from storefront.register.codes import new_product_code
from storefront.register.models import Producer, Showroom
from storefront.showrooms import transfers

MAX_PRICE_VND = 1_000_000_000
LOW_STOCK = 5
EXPIRY_WARNING_DAYS = 90
MAX_BATCH = 1_000_000


class PortalError(Refused):
    """A refused change, with a message for the producer; nothing was changed."""


class NotFound(PortalError, domain.NotFound):
    """No such product — or not this producer's, which looks the same from outside."""


class ChangedMeanwhile(PortalError, domain.Conflict):
    """Someone saved the product after this form was opened."""

    def __init__(self, product: Product):
        super().__init__(
            _(
                "Someone changed this product meanwhile. Here is the new value; "
                "check it and save again."
            )
        )
        self.product = product


def own_product(actor, code_or_id) -> Product:
    """The product if the actor may manage it, else NotFound."""
    column = Product.id if isinstance(code_or_id, int) else Product.code
    product = db.session.scalar(select(Product).where(column == code_or_id))
    if product is None:
        raise NotFound(_("No such product."))
    try:
        require_producer(actor, product.producer_id)
    except NotAllowed:
        raise NotFound(_("No such product.")) from None
    return product


def producer_id_of(actor) -> int:
    if actor.producer_id is None:
        raise NotAllowed()
    return actor.producer_id


# --- dashboard -------------------------------------------------------------------------------


@dataclass
class ProductRow:
    product: Product
    warehouse: int = 0  # units physically in the own warehouse
    reserved: int = 0
    showrooms: list[tuple[str, int]] = field(default_factory=list)  # (showroom name, available)
    certificate: Certificate | None = None

    @property
    def available(self) -> int:
        return self.warehouse - self.reserved

    @property
    def low(self) -> bool:
        return self.available <= LOW_STOCK


@dataclass
class Dashboard:
    rows: list[ProductRow]
    expiring: list[Certificate]
    in_transit: int
    orders_to_fulfil: int


def dashboard(actor, today: date) -> Dashboard:
    """The producer's products with price, stock per location, low-stock flags, and the
    certificates that expire within 90 days. A fixed number of queries."""
    producer_id = producer_id_of(actor)
    products = db.session.scalars(
        select(Product)
        .where(Product.producer_id == producer_id)
        .options(selectinload(Product.certificates))
        .order_by(Product.name)
    ).all()
    rows = {p.id: ProductRow(p, certificate=_active(p, today)) for p in products}
    levels = db.session.execute(
        select(
            StockLevel.product_id,
            StockLevel.quantity,
            StockLevel.reserved,
            StockLocation.kind,
            Showroom.name,
        )
        .join(StockLocation, StockLocation.id == StockLevel.location_id)
        .outerjoin(Showroom, Showroom.id == StockLocation.showroom_id)
        .where(StockLevel.product_id.in_(rows))
        .order_by(Showroom.name)
    ).all()
    for product_id, quantity, reserved, kind, showroom_name in levels:
        row = rows[product_id]
        if kind == LocationKind.WAREHOUSE:
            row.warehouse, row.reserved = quantity, reserved
        elif quantity:
            row.showrooms.append((showroom_name, quantity - reserved))
    horizon = today + timedelta(days=EXPIRY_WARNING_DAYS)
    expiring = sorted(
        (
            r.certificate
            for r in rows.values()
            if r.certificate and r.certificate.expires_on <= horizon
        ),
        key=lambda c: c.expires_on,
    )
    in_transit = db.session.scalar(
        select(func.count(StockTransfer.id)).where(
            StockTransfer.producer_id == producer_id,
            StockTransfer.status == TransferStatus.IN_TRANSIT,
        )
    )
    orders_to_fulfil = db.session.scalar(
        select(func.count(OrderPart.id))
        .join(Order, Order.id == OrderPart.order_id)
        .where(OrderPart.producer_id == producer_id, Order.status.in_(PARTS_WORKABLE),
               OrderPart.status.in_([PartStatus.PENDING, PartStatus.PACKED]))
    )
    return Dashboard(list(rows.values()), expiring, in_transit, orders_to_fulfil)


def _active(product: Product, today: date) -> Certificate | None:
    for certificate in product.certificates:
        if certificate.state_on(today) == CertificateStatus.ACTIVE:
            return certificate
    return None


# --- prices ----------------------------------------------------------------------------------


def parse_price(raw: str | int | None) -> int:
    """Whole đồng from what a person typed ('120000', '120.000', '120 000 ₫')."""
    try:
        return parse_vnd(raw, minimum=1, maximum=MAX_PRICE_VND)
    except OutOfRange as error:
        if error.too_small:
            raise PortalError(_("The price must be more than 0 ₫.")) from None
        raise PortalError(_("The price cannot be over 1.000.000.000 ₫.")) from None
    except ValueError:
        raise PortalError(_("Enter the price as a whole number of đồng, e.g. 120000.")) from None


def change_price(actor, product_id: int, new_price, expected_version: int) -> PriceChange | None:
    """Set a new price and keep the old one in the history. Orders already placed keep their
    own price. Refused with ChangedMeanwhile when the product changed since the form was read."""
    price = parse_price(new_price)
    product = own_product(actor, product_id)
    if product.version != expected_version:
        raise ChangedMeanwhile(product)
    if price == product.price_vnd:
        return None
    change = PriceChange(
        product_id=product.id,
        old_price_vnd=product.price_vnd,
        new_price_vnd=price,
        actor_id=getattr(actor, "id", None),
        actor_name=stock.actor_label(actor),
    )
    record(
        actor,
        AuditArea.PRICE,
        "price.changed",
        f"{product.name} ({product.code})",
        before={"price_vnd": product.price_vnd},
        after={"price_vnd": price},
    )
    product.price_vnd = price
    product.is_demo = False  # a price a producer set is real, whatever the demo said
    db.session.add(change)
    _save_versioned(product)
    return change


def price_history(actor, product_id: int) -> list[PriceChange]:
    product = own_product(actor, product_id)
    return list(
        db.session.scalars(
            select(PriceChange)
            .where(PriceChange.product_id == product.id)
            .order_by(PriceChange.changed_at.desc(), PriceChange.id.desc())
        )
    )


def update_details(
    actor, product_id: int, *, description: str, unit: str, expected_version: int
) -> Product:
    """The parts of a product the producer owns: description and unit. Stars, certificates
    and the group are the office's."""
    product = own_product(actor, product_id)
    if product.version != expected_version:
        raise ChangedMeanwhile(product)
    unit = (unit or "").strip()
    if not unit or len(unit) > 64:
        raise PortalError(_("Give the unit it is sold by, e.g. hộp 200g (at most 64 characters)."))
    description = (description or "").strip()
    if len(description) > 5000:
        raise PortalError(_("The description can be at most 5000 characters."))
    product.unit, product.description = unit, description or None
    _save_versioned(product)
    return product


def _save_versioned(product: Product) -> None:
    """Flush the versioned UPDATE; if another save won the race in between, say so."""
    product_id = product.id
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise ChangedMeanwhile(db.session.get(Product, product_id)) from None


def propose_product(actor, *, name: str, group: str, unit: str, price, description: str = ""):
    """A new product the office must approve (and certify) before it is listed."""
    producer_id = producer_id_of(actor)
    name, unit = (name or "").strip(), (unit or "").strip()
    if not 3 <= len(name) <= 300:
        raise PortalError(_("Give the product's name (3 to 300 characters)."))
    if group not in set(ProductGroup):
        raise PortalError(_("Choose one of the six OCOP groups."))
    if not unit or len(unit) > 64:
        raise PortalError(_("Give the unit it is sold by, e.g. hộp 200g (at most 64 characters)."))
    producer = db.session.get(Producer, producer_id)
    taken = set(db.session.scalars(select(Product.code)))
    product = Product(
        code=new_product_code(taken=taken),
        name=name,
        producer=producer,
        region_id=producer.region_id,
        group=group,
        unit=unit,
        price_vnd=parse_price(price),
        description=(description or "").strip() or None,
        listed=False,
        review_status=ReviewStatus.PENDING,
    )
    db.session.add(product)
    db.session.flush()
    return product


# --- stock -----------------------------------------------------------------------------------


def parse_quantity(raw, *, allow_zero=False) -> int:
    try:
        return parse_int(raw, minimum=0 if allow_zero else 1, maximum=MAX_BATCH)
    except OutOfRange as error:
        if not error.too_small:
            message = _("That is more than %(n)d units; check the number.", n=MAX_BATCH)
        elif allow_zero:
            message = _("A count cannot be negative.")
        else:
            message = _("The number of units must be above 0.")
        raise PortalError(message) from None
    except ValueError:
        raise PortalError(_("Enter a whole number of units.")) from None


def receive_batch(actor, product_id: int, quantity, note: str = "") -> None:
    """A new batch arrives at the producer's own warehouse."""
    product = own_product(actor, product_id)
    warehouse = stock.warehouse_of(product.producer_id)
    stock.receive(
        product.id,
        warehouse.id,
        parse_quantity(quantity),
        actor=actor,
        reason=(note or "").strip() or _("New batch"),
    )


def correct_count(actor, product_id: int, counted, reason: str) -> int:
    """Set the warehouse count to what was counted; the difference is an adjustment with the
    reason. Refused below what open orders have reserved. Returns the change."""
    product = own_product(actor, product_id)
    counted = parse_quantity(counted, allow_zero=True)
    if not (reason or "").strip():
        raise PortalError(_("Say why the count changes (e.g. broken, counted again)."))
    warehouse = stock.warehouse_of(product.producer_id)
    level = _level(product.id, warehouse.id)
    delta = counted - level[0]
    if delta == 0:
        return 0
    if counted < level[1]:
        raise PortalError(
            _(
                "%(name)s: %(n)d units are reserved for open orders; the count cannot be lower.",
                name=product.name,
                n=level[1],
            )
        )
    stock.adjust(product.id, warehouse.id, delta, actor=actor, reason=reason.strip())
    return delta


def quick_update(actor, counts: dict[int, object], reason: str) -> int:
    """Save many counts at once, in one transaction: all or nothing. Returns how many changed."""
    changed = 0
    for product_id, counted in counts.items():
        if correct_count(actor, product_id, counted, reason):
            changed += 1
    return changed


def _level(product_id: int, location_id: int) -> tuple[int, int]:
    row = db.session.execute(
        select(StockLevel.quantity, StockLevel.reserved).filter_by(
            product_id=product_id, location_id=location_id
        )
    ).first()
    return (row[0], row[1]) if row else (0, 0)


@dataclass
class LedgerFilters:
    product_id: int | None = None
    kind: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def ledger(actor, filters: LedgerFilters, limit: int | None = 500) -> list:
    """Movements at the producer's warehouse, newest first, with the product's name."""
    producer_id = producer_id_of(actor)
    warehouse = stock.warehouse_of(producer_id)
    query = (
        select(StockMovement, Product.name, Product.code)
        .join(Product, Product.id == StockMovement.product_id)
        .where(StockMovement.location_id == warehouse.id)
        .order_by(StockMovement.created_at.desc(), StockMovement.id.desc())
    )
    if filters.product_id:
        query = query.where(StockMovement.product_id == filters.product_id)
    if filters.kind in set(MovementKind):
        query = query.where(StockMovement.kind == filters.kind)
    if filters.date_from:
        query = query.where(StockMovement.created_at >= start_of_day(filters.date_from))
    if filters.date_to:
        query = query.where(StockMovement.created_at < start_of_day(filters.date_to + timedelta(1)))
    if limit:
        query = query.limit(limit)
    return db.session.execute(query).all()


def ledger_csv(rows) -> bytes:
    return spreadsheets.csv_file(
        [
            "time (Asia/Ho_Chi_Minh)",
            "product_code",
            "product",
            "kind",
            "change",
            "reason",
            "reference",
            "by",
        ],
        (
            [m.created_at, code, name, m.kind, m.delta, m.reason, m.reference, m.actor_name]
            for m, name, code in rows
        ),
    )


# --- consignment transfers -------------------------------------------------------------------


def send_transfer(actor, showroom_code: str, lines: dict[int, object], note: str = ""):
    producer_id = producer_id_of(actor)
    showroom = db.session.scalar(
        select(Showroom).where(Showroom.code == showroom_code, Showroom.active.is_(True))
    )
    if showroom is None:
        raise PortalError(_("Choose a showroom."))
    quantities = {}
    for product_id, raw in lines.items():
        if str(raw).strip() in ("", "0"):
            continue
        quantities[own_product(actor, product_id).id] = parse_quantity(raw)
    if not quantities:
        raise PortalError(_("Enter how many units of at least one product to send."))
    try:
        return transfers.send_to_showroom(
            producer_id, showroom.id, quantities, actor=actor, note=note
        )
    except stock.OutOfStock as error:
        product = db.session.get(Product, error.product_id)
        raise PortalError(
            _("Not enough %(name)s in the warehouse for this transfer.", name=product.name)
        ) from error


def list_transfers(actor) -> list[StockTransfer]:
    producer_id = producer_id_of(actor)
    return list(
        db.session.scalars(
            select(StockTransfer)
            .where(StockTransfer.producer_id == producer_id)
            .options(
                selectinload(StockTransfer.lines),
                selectinload(StockTransfer.destination).selectinload(StockLocation.showroom),
            )
            .order_by(StockTransfer.created_at.desc(), StockTransfer.id.desc())
        )
    )


def cancel_transfer(actor, transfer_id: int) -> StockTransfer:
    transfer = db.session.get(StockTransfer, transfer_id)
    if transfer is None:
        raise NotFound(_("No such transfer."))
    try:
        require_producer(actor, transfer.producer_id)
    except NotAllowed:
        raise NotFound(_("No such transfer.")) from None
    try:
        transfers.cancel(transfer, actor=actor)
    except transfers.TransferError as error:
        raise PortalError(_("This transfer has arrived or was cancelled already.")) from error
    return transfer


# --- pictures --------------------------------------------------------------------------------


def add_picture(actor, product_id: int, data: bytes, alt: str = ""):
    """The picture, cleaned, at the product's first free place. Refused past
    MAX_IMAGES_PER_PRODUCT, which the database holds even for uploads at the same moment."""
    product = own_product(actor, product_id)
    if len(product.images) >= MAX_IMAGES_PER_PRODUCT:
        raise _too_many_pictures()
    name = store_product_image(data, product.code)
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
    return PortalError(_("A product can have at most %(n)d pictures.", n=MAX_IMAGES_PER_PRODUCT))


def remove_picture(actor, product_id: int, image_id: int) -> None:
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


# --- orders ----------------------------------------------------------------------------------


def order_parts(actor, *, open_only: bool = True) -> list:
    """This producer's parts of orders that can be worked on (paid, or cash on delivery), newest
    first, with their lines and the buyer's delivery details."""
    producer_id = producer_id_of(actor)
    query = (
        select(OrderPart)
        .join(Order, Order.id == OrderPart.order_id)
        .where(OrderPart.producer_id == producer_id, Order.fulfilment == "delivery")
        .options(selectinload(OrderPart.lines), selectinload(OrderPart.order))
        .order_by(Order.created_at.desc())
    )
    if open_only:
        query = query.where(
            Order.status.in_(PARTS_WORKABLE),
            OrderPart.status.in_([PartStatus.PENDING, PartStatus.PACKED, PartStatus.SHIPPED]),
        )
    return list(db.session.scalars(query.limit(200)))


def move_order_part(
    actor, part_id: int, to_status: str, *, carrier: str = "", tracking_number: str = ""
) -> None:
    part = db.session.get(OrderPart, part_id)
    if part is None:
        raise NotFound(_("No such order."))
    try:
        require_producer(actor, part.producer_id)
    except NotAllowed:
        raise NotFound(_("No such order.")) from None
    try:
        orders.change_part(
            part,
            to_status,
            orders.Actor.of(actor, "producer"),
            carrier=carrier,
            tracking_number=tracking_number,
        )
    except orders.InvalidTransition as error:
        raise PortalError(str(error)) from error
