"""Stock at the producer's own warehouse: a new batch, a corrected count (one or many at once, with
a reason), and the movement ledger (on screen and as CSV). Changes go through inventory.services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from storefront import clock, spreadsheets
from storefront.accounts.models import User
from storefront.catalog.models import Product
from storefront.clock import start_of_day
from storefront.extensions import db
from storefront.inventory import services as inventory
from storefront.inventory.models import MovementKind, StockLevel, StockMovement
from storefront.numbers import OutOfRange, parse_int
from storefront.producers.access import PortalError, own_product, producer_id_of
from storefront.traceability import batches
from storefront.traceability.models import ProductBatch

MAX_BATCH = 1_000_000


def parse_quantity(raw: object, *, allow_zero: bool = False) -> int:
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


def receive_batch(
    actor: User,
    product_id: int,
    quantity: object,
    note: str = "",
    *,
    produced_on: object = None,
    expires_on: object = None,
    today: date | None = None,
) -> ProductBatch:
    """A new batch arrives at the producer's own warehouse: the stock goes up and the batch is
    recorded with a short code for its labels (production date: today unless given; expiry:
    optional). Refused: a date that cannot be read, production in the future, expiry before it."""
    product = own_product(actor, product_id)
    warehouse = inventory.warehouse_of(product.producer_id)
    units = parse_quantity(quantity)
    batch = batches.new_batch(
        actor,
        product,
        units,
        _batch_day(produced_on, _("Production date")),
        _batch_day(expires_on, _("Expiry date")),
        today or clock.today(),
        note,
    )
    inventory.receive(
        product.id,
        warehouse.id,
        units,
        actor=actor,
        reason=(note or "").strip() or _("New batch"),
        reference=batch.code,
    )
    return batch


def _batch_day(raw: object, label: str) -> date | None:
    if raw is None or str(raw).strip() == "":
        return None
    day = clock.parse_day(raw)
    if day is None:
        raise PortalError(_("%(label)s: choose a date.", label=label))
    return day


def correct_count(actor: User, product_id: int, counted: object, reason: str) -> int:
    """Set the warehouse count to what was counted; the difference is an adjustment with the
    reason. Refused below what open orders have reserved. Returns the change."""
    product = own_product(actor, product_id)
    counted = parse_quantity(counted, allow_zero=True)
    if not (reason or "").strip():
        raise PortalError(_("Say why the count changes (e.g. broken, counted again)."))
    warehouse = inventory.warehouse_of(product.producer_id)
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
    inventory.adjust(product.id, warehouse.id, delta, actor=actor, reason=reason.strip())
    return delta


def quick_update(actor: User, counts: dict[int, object], reason: str) -> int:
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


def ledger(actor: User, filters: LedgerFilters, limit: int | None = 500) -> list:
    """Movements at the producer's warehouse, newest first, with the product's name."""
    producer_id = producer_id_of(actor)
    warehouse = inventory.warehouse_of(producer_id)
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
    return list(db.session.execute(query).all())


def ledger_csv(rows: list) -> bytes:
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
