"""Goods coming into a showroom and the shelf count: transfers producers sent, goods handed in
directly, and stock counts whose differences become adjustments. Staff act for their own
showroom only; every change goes through the inventory service (callers commit)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storefront.accounts.models import User
from storefront.catalog.models import Product, ReviewStatus
from storefront.extensions import db
from storefront.inventory import services as stock
from storefront.inventory.models import (
    StockLevel,
    StockTransfer,
    StockTransferLine,
    TransferStatus,
)
from storefront.numbers import OutOfRange, parse_int
from storefront.showrooms import transfers
from storefront.showrooms.errors import NotFound, ShowroomError
from storefront.showrooms.scans import read_scan
from storefront.showrooms.staff import own_showroom_id

MAX_UNITS = 100_000


def parse_count(raw: object, *, allow_zero: bool) -> int:
    """A whole number of units a person typed; negative, fractional or absurd counts refused."""
    try:
        return parse_int(raw, minimum=0 if allow_zero else 1, maximum=MAX_UNITS)
    except OutOfRange as error:
        if not error.too_small:
            message = _("That is more than %(n)d units; check the number.", n=MAX_UNITS)
        elif error.value < 0:
            message = _("A count cannot be negative.")
        else:
            message = _("The number of units must be above 0.")
        raise ShowroomError(message) from None
    except ValueError:
        raise ShowroomError(_("Enter a whole number of units.")) from None


# --- transfers from producers ----------------------------------------------------------------


def incoming_transfers(actor: User, *, limit: int = 50) -> list[StockTransfer]:
    """Transfers to this showroom, those still on the way first, then the latest closed."""
    location = stock.showroom_location(own_showroom_id(actor))
    transfers_here = db.session.scalars(
        select(StockTransfer)
        .where(StockTransfer.destination_id == location.id)
        .options(
            selectinload(StockTransfer.lines).selectinload(StockTransferLine.product),
            selectinload(StockTransfer.producer),
        )
        .order_by(StockTransfer.created_at.desc(), StockTransfer.id.desc())
        .limit(limit)
    ).all()
    return sorted(transfers_here, key=lambda t: t.status != TransferStatus.IN_TRANSIT)


def get_transfer(actor: User, transfer_id: int) -> StockTransfer:
    """A transfer to this showroom, else NotFound."""
    location = stock.showroom_location(own_showroom_id(actor))
    transfer = db.session.get(StockTransfer, transfer_id)
    if transfer is None or transfer.destination_id != location.id:
        raise NotFound(_("No such transfer."))
    return transfer


def receive_transfer(
    actor: User, transfer_id: int, counted: dict[int, object], reason: str = ""
) -> StockTransfer:
    """Count what arrived (``{product_id: units}``, missing lines count as sent). The units
    enter this showroom; a difference needs a reason. A transfer is received once."""
    transfer = get_transfer(actor, transfer_id)
    if transfer.status != TransferStatus.IN_TRANSIT:
        raise ShowroomError(
            _(
                "Transfer %(ref)s was received or cancelled already; nothing changed.",
                ref=transfer.reference,
            )
        )
    sent = {line.product_id: line.quantity for line in transfer.lines}
    counts = {}
    for product_id, raw in counted.items():
        if product_id not in sent:
            raise NotFound(_("This product is not in the transfer."))
        counts[product_id] = parse_count(raw, allow_zero=True)
    try:
        transfers.receive(transfer, counts, actor=actor, reason=(reason or "").strip() or None)
    except transfers.TransferError as error:
        if transfer.status != TransferStatus.IN_TRANSIT:
            raise ShowroomError(
                _(
                    "Transfer %(ref)s was received or cancelled already; nothing changed.",
                    ref=transfer.reference,
                )
            ) from error
        raise ShowroomError(
            _("Some counts differ from what was sent: say why (e.g. 2 jars broken).")
        ) from error
    return transfer


# --- goods handed in directly ----------------------------------------------------------------


def receive_direct(
    actor: User, scanned_code: str, quantity: object, note: str, own_hosts: set[str]
) -> Product:
    """Goods a producer brings to the counter: they enter this showroom's stock (receipt)."""
    location = stock.showroom_location(own_showroom_id(actor))
    key = read_scan(scanned_code, own_hosts)
    if key.kind == "pickup":
        raise ShowroomError(_("That is a pick-up order, not a product."))
    column = Product.ean if key.kind == "ean" else Product.code
    product = db.session.scalar(
        select(Product).where(column == key.value, Product.review_status == ReviewStatus.APPROVED)
    )
    if product is None:
        raise ShowroomError(_("No OCOP product has the code %(code)s.", code=key.value))
    units = parse_count(quantity, allow_zero=False)
    note = (note or "").strip()[:200]
    stock.receive(
        product.id,
        location.id,
        units,
        actor=actor,
        reason=f"Nhận hàng trực tiếp: {note}" if note else "Nhận hàng trực tiếp",
    )
    return product


# --- stock count -----------------------------------------------------------------------------


@dataclass
class ShelfRow:
    product: Product
    quantity: int
    reserved: int


def shelf(actor: User) -> list[ShelfRow]:
    """Every product this showroom has a stock row for, with units there and reserved."""
    location = stock.showroom_location(own_showroom_id(actor))
    rows = db.session.execute(
        select(Product, StockLevel.quantity, StockLevel.reserved)
        .join(StockLevel, StockLevel.product_id == Product.id)
        .where(StockLevel.location_id == location.id)
        .options(selectinload(Product.producer))
        .order_by(Product.name)
    ).all()
    return [ShelfRow(product, quantity, reserved) for product, quantity, reserved in rows]


def count_stock(actor: User, counted: dict[int, object], reason: str) -> int:
    """Set each product's count to what was counted; each difference is an adjustment with the
    reason. All or nothing; a count below what pick-up orders reserve is refused. Returns how
    many products changed."""
    location = stock.showroom_location(own_showroom_id(actor))
    levels = {row.product.id: row for row in shelf(actor)}
    changes = {}
    for product_id, raw in counted.items():
        row = levels.get(product_id)
        if row is None:
            raise NotFound(_("This product has no stock at this showroom."))
        value = parse_count(raw, allow_zero=True)
        if value < row.reserved:
            raise ShowroomError(
                _(
                    "%(name)s: %(n)d units are reserved for pick-up orders; the count cannot "
                    "be lower.",
                    name=row.product.name,
                    n=row.reserved,
                )
            )
        if value != row.quantity:
            changes[product_id] = value - row.quantity
    if changes and not (reason or "").strip():
        raise ShowroomError(_("Say why the counts change (e.g. counted again, broken)."))
    for product_id, delta in changes.items():
        stock.adjust(product_id, location.id, delta, actor=actor, reason=reason.strip()[:200])
    return len(changes)
