"""The only code that changes stock.

Every function runs inside the caller's transaction (it flushes, it never commits). Each change
is one conditional UPDATE, so two buyers can never both take the last unit, and every change of
``quantity`` writes one ledger row (StockMovement) with who and why.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import CursorResult

from storefront.audit.models import AuditArea
from storefront.audit.services import AuditActor, actor_label, record
from storefront.domain import Refused
from storefront.extensions import db
from storefront.inventory.models import (
    LocationKind,
    MovementKind,
    StockLevel,
    StockLocation,
    StockMovement,
)
from storefront.register import generation


class StockError(Refused):
    """A stock change that was refused; nothing was changed."""


class OutOfStock(StockError):
    def __init__(self, product_id: int, location_id: int, wanted: int):
        super().__init__(f"only less than {wanted} available")
        self.product_id, self.location_id, self.wanted = product_id, location_id, wanted


class InvalidQuantity(StockError):
    pass


def warehouse_of(producer_id: int) -> StockLocation:
    """The producer's own warehouse location, made on first use."""
    return _location(LocationKind.WAREHOUSE, producer_id=producer_id)


def showroom_location(showroom_id: int) -> StockLocation:
    return _location(LocationKind.SHOWROOM, showroom_id=showroom_id)


def _location(kind: LocationKind, **owner: int) -> StockLocation:
    query = select(StockLocation).filter_by(kind=kind, **owner)
    location = db.session.scalar(query)
    if location is None:
        # Two first uses at once: the later INSERT waits for the first, does nothing, and both
        # read the same row (a plain INSERT would fail on the unique owner for the later one).
        dialect = db.session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        db.session.execute(
            insert(StockLocation).values(kind=kind, **owner).on_conflict_do_nothing()
        )
        location = db.session.scalar(query)
    return cast(StockLocation, location)  # there now: ours or the other's


def receive(
    product_id: int,
    location_id: int,
    quantity: int,
    *,
    actor: AuditActor,
    reason: str | None = None,
    reference: str | None = None,
) -> None:
    """Goods arrive at a location."""
    put_in(
        product_id,
        location_id,
        quantity,
        kind=MovementKind.RECEIPT,
        actor=actor,
        reason=reason,
        reference=reference,
    )


def adjust(
    product_id: int, location_id: int, delta: int, *, actor: AuditActor, reason: str
) -> None:
    """Correct the count by ``delta``. Refused without a reason or below what is reserved."""
    if not isinstance(delta, int) or isinstance(delta, bool) or delta == 0:
        raise InvalidQuantity("an adjustment changes the quantity by a whole number other than 0")
    if not (reason or "").strip():
        raise InvalidQuantity("an adjustment needs a reason")
    _ensure_level(product_id, location_id)
    before = _quantity(product_id, location_id)
    _change(product_id, location_id, delta, 0, MovementKind.ADJUSTMENT, actor, reason, None)
    _audit_correction(actor, product_id, location_id, before, before + delta, reason)


def _quantity(product_id: int, location_id: int) -> int:
    quantity = db.session.scalar(
        select(StockLevel.quantity).filter_by(product_id=product_id, location_id=location_id)
    )
    return quantity or 0


def _audit_correction(
    actor: AuditActor, product_id: int, location_id: int, before: int, after: int, reason: str
) -> None:
    """Stock corrections are in the office's audit log as well as in the ledger."""
    level = db.session.scalar(
        select(StockLevel).filter_by(product_id=product_id, location_id=location_id)
    )
    assert level is not None  # made by _ensure_level before the change
    product, location = level.product, level.location
    record(
        actor,
        AuditArea.STOCK,
        "stock.corrected",
        f"{product.name} ({product.code}) @ {location.name}",
        before={"quantity": before},
        after={"quantity": after},
        note=reason,
    )


def transfer(
    product_id: int,
    source_id: int,
    destination_id: int,
    quantity: int,
    *,
    actor: AuditActor,
    reason: str | None = None,
    reference: str | None = None,
) -> None:
    """Move available units from one location to another: two ledger rows."""
    _require_positive(quantity)
    if source_id == destination_id:
        raise InvalidQuantity("a transfer needs two different locations")
    _change(product_id, source_id, -quantity, 0, MovementKind.TRANSFER, actor, reason, reference)
    _ensure_level(product_id, destination_id)
    _change(
        product_id, destination_id, quantity, 0, MovementKind.TRANSFER, actor, reason, reference
    )


def reserve(
    product_id: int, location_id: int, quantity: int, *, reference: str | None = None
) -> None:
    """Promise available units to an order. Quantity is unchanged, so no ledger row."""
    _require_positive(quantity)
    _conditional_update(product_id, location_id, 0, quantity)


def release(
    product_id: int, location_id: int, quantity: int, *, reference: str | None = None
) -> None:
    """Give back a reservation (order cancelled or expired)."""
    _require_positive(quantity)
    level = StockLevel.__table__.c
    result = cast(
        CursorResult,
        db.session.execute(
            update(StockLevel)
            .where(
                level.product_id == product_id,
                level.location_id == location_id,
                level.reserved >= quantity,
            )
            .values(reserved=level.reserved - quantity)
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        raise InvalidQuantity("cannot release more than is reserved")
    generation.stock_changed(db.session, product_id, location_id)


def commit_sale(
    product_id: int,
    location_id: int,
    quantity: int,
    *,
    actor: AuditActor,
    reference: str | None = None,
    reserved: bool = False,
    reason: str | None = None,
) -> None:
    """Units leave with a buyer. ``reserved=True`` takes them out of an order's reservation."""
    _require_positive(quantity)
    level = StockLevel.__table__.c
    if reserved:
        result = cast(
            CursorResult,
            db.session.execute(
                update(StockLevel)
                .where(
                    level.product_id == product_id,
                    level.location_id == location_id,
                    level.reserved >= quantity,
                )
                .values(quantity=level.quantity - quantity, reserved=level.reserved - quantity)
                .execution_options(synchronize_session=False)
            ),
        )
        if result.rowcount != 1:
            raise InvalidQuantity("the sale is larger than its reservation")
        generation.stock_changed(db.session, product_id, location_id)
        _write_movement(
            product_id, location_id, -quantity, MovementKind.SALE, actor, reason, reference
        )
    else:
        _change(product_id, location_id, -quantity, 0, MovementKind.SALE, actor, reason, reference)


def return_goods(
    product_id: int,
    location_id: int,
    quantity: int,
    *,
    actor: AuditActor,
    reason: str | None,
    reference: str | None = None,
) -> None:
    """Sold units come back (a return or a voided sale)."""
    _require_positive(quantity)
    _ensure_level(product_id, location_id)
    _change(product_id, location_id, quantity, 0, MovementKind.RETURN, actor, reason, reference)


def available(product_id: int, location_id: int) -> int:
    # Read the columns, not a StockLevel object: the conditional UPDATEs above do not refresh
    # objects already loaded in the session, so an ORM read could return a stale count.
    value = db.session.scalar(
        select(StockLevel.quantity - StockLevel.reserved).filter_by(
            product_id=product_id, location_id=location_id
        )
    )
    return 0 if value is None else value


def ledger_sum(product_id: int, location_id: int) -> int:
    return db.session.scalar(  # type: ignore[return-value]  # coalesce: never NULL
        select(func.coalesce(func.sum(StockMovement.delta), 0)).filter_by(
            product_id=product_id, location_id=location_id
        )
    )


def _require_positive(quantity: int) -> None:
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
        raise InvalidQuantity("the quantity must be a whole number above 0")


def _change(
    product_id: int,
    location_id: int,
    delta: int,
    reserve_delta: int,
    kind: str,
    actor: AuditActor,
    reason: str | None,
    reference: str | None,
) -> None:
    _conditional_update(product_id, location_id, delta, reserve_delta)
    _write_movement(product_id, location_id, delta, kind, actor, reason, reference)


def _conditional_update(product_id: int, location_id: int, delta: int, reserve_delta: int) -> None:
    """quantity += delta, reserved += reserve_delta, only if available stays >= 0.

    ``available - (reserve_delta - delta) >= 0`` is checked in the same statement that changes
    the row, so a concurrent change can never slip in between a check and a write.
    """
    level = StockLevel.__table__.c
    taken = reserve_delta - delta  # how much the change takes away from available
    result = cast(
        CursorResult,
        db.session.execute(
            update(StockLevel)
            .where(
                level.product_id == product_id,
                level.location_id == location_id,
                level.quantity - level.reserved >= taken,
                level.quantity + delta >= 0,
            )
            .values(quantity=level.quantity + delta, reserved=level.reserved + reserve_delta)
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        raise OutOfStock(product_id, location_id, max(taken, 1))
    generation.stock_changed(db.session, product_id, location_id)


def _write_movement(
    product_id: int,
    location_id: int,
    delta: int,
    kind: str,
    actor: AuditActor,
    reason: str | None,
    reference: str | None,
) -> None:
    db.session.add(
        StockMovement(
            product_id=product_id,
            location_id=location_id,
            kind=kind,
            delta=delta,
            reason=reason,
            reference=reference,
            actor_id=getattr(actor, "id", None),
            actor_name=actor_label(actor),
        )
    )
    db.session.flush()


def _ensure_level(product_id: int, location_id: int) -> None:
    """Make the (product, location) row if it is missing, safely under concurrency."""
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(
        insert(StockLevel)
        .values(product_id=product_id, location_id=location_id, quantity=0, reserved=0)
        .on_conflict_do_nothing(index_elements=["product_id", "location_id"])
    )


def take_out(
    product_id: int,
    location_id: int,
    quantity: int,
    *,
    kind: str,
    actor: AuditActor,
    reason: str | None = None,
    reference: str | None = None,
) -> None:
    """Units leave a location for somewhere outside the ledger's locations (e.g. in transit)."""
    _require_positive(quantity)
    _change(product_id, location_id, -quantity, 0, kind, actor, reason, reference)


def put_in(
    product_id: int,
    location_id: int,
    quantity: int,
    *,
    kind: str,
    actor: AuditActor,
    reason: str | None = None,
    reference: str | None = None,
) -> None:
    """Units arrive at a location from outside the ledger's locations (e.g. from transit)."""
    _require_positive(quantity)
    _ensure_level(product_id, location_id)
    _change(product_id, location_id, quantity, 0, kind, actor, reason, reference)


def available_at_showrooms(product_ids: Iterable[int]) -> dict[tuple[int, int], int]:
    """{(showroom id, product id): units for sale} for these products at every showroom, read
    in one query (a showroom without a row has none)."""
    ids = list(product_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(
            StockLocation.showroom_id,
            StockLevel.product_id,
            StockLevel.quantity - StockLevel.reserved,
        )
        .join(StockLocation, StockLocation.id == StockLevel.location_id)
        .where(StockLocation.kind == LocationKind.SHOWROOM, StockLevel.product_id.in_(ids))
    ).tuples()
    return {
        (showroom_id, product_id): units
        for showroom_id, product_id, units in rows
        if showroom_id is not None
    }
