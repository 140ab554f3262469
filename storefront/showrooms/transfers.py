"""Consignment transfers from a producer's warehouse to a showroom.

Sending takes the units out of the warehouse (ledger rows, reference CK-xxxxxx); until the
showroom receives them the producer may cancel, and they come back to the warehouse.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult

from storefront.accounts.models import User
from storefront.catalog.models import Product
from storefront.clock import utcnow
from storefront.extensions import db
from storefront.inventory import services as stock
from storefront.inventory.models import (
    MovementKind,
    StockTransfer,
    StockTransferLine,
    TransferStatus,
)


class TransferError(stock.StockError):
    pass


def send_to_showroom(
    producer_id: int,
    showroom_id: int,
    lines: dict[int, int],
    *,
    actor: User,
    note: str | None = None,
) -> StockTransfer:
    """Send ``{product_id: quantity}`` from the producer's warehouse to a showroom. Every product
    must be the producer's own; any line over what is available refuses the whole transfer."""
    lines = {pid: qty for pid, qty in lines.items() if qty}
    if not lines:
        raise TransferError("a transfer needs at least one product with a quantity")
    for quantity in lines.values():
        stock._require_positive(quantity)
    owned = set(
        db.session.scalars(
            select(Product.id).where(Product.id.in_(lines), Product.producer_id == producer_id)
        )
    )
    if owned != set(lines):
        raise TransferError("a transfer may hold only the producer's own products")
    source = stock.warehouse_of(producer_id)
    destination = stock.showroom_location(showroom_id)
    transfer = StockTransfer(
        producer_id=producer_id,
        source_id=source.id,
        destination_id=destination.id,
        note=(note or "").strip() or None,
        created_by_id=getattr(actor, "id", None),
        created_by_name=stock.actor_label(actor),
        lines=[
            StockTransferLine(product_id=pid, quantity=qty) for pid, qty in sorted(lines.items())
        ],
    )
    db.session.add(transfer)
    db.session.flush()
    for line in transfer.lines:
        stock.take_out(
            line.product_id,
            source.id,
            line.quantity,
            kind=MovementKind.TRANSFER,
            actor=actor,
            reason="Gửi ký gửi, đang vận chuyển",
            reference=transfer.reference,
        )
    return transfer


def cancel(transfer: StockTransfer, *, actor: User) -> None:
    """Call back a transfer still in transit: its units return to the warehouse, once."""
    _close(transfer, TransferStatus.CANCELLED)
    for line in transfer.lines:
        stock.put_in(
            line.product_id,
            transfer.source_id,
            line.quantity,
            kind=MovementKind.TRANSFER,
            actor=actor,
            reason="Huỷ chuyển ký gửi, hàng về kho",
            reference=transfer.reference,
        )


def receive(
    transfer: StockTransfer, counted: dict[int, int], *, actor: User, reason: str | None = None
) -> None:
    """The showroom counts what arrived. Each line's counted units enter the showroom; a
    difference from what was sent needs a reason and is kept on the line."""
    differs = any(
        counted.get(line.product_id, line.quantity) != line.quantity for line in transfer.lines
    )
    if differs and not (reason or "").strip():
        raise TransferError("a difference between sent and counted needs a reason")
    _close(transfer, TransferStatus.RECEIVED)
    for line in transfer.lines:
        got = counted.get(line.product_id, line.quantity)
        if got < 0:
            raise TransferError("a count cannot be negative")
        line.received_quantity = got
        if got:
            stock.put_in(
                line.product_id,
                transfer.destination_id,
                got,
                kind=MovementKind.TRANSFER,
                actor=actor,
                reason=reason or "Nhận hàng ký gửi",
                reference=transfer.reference,
            )


def _close(transfer: StockTransfer, status: TransferStatus) -> None:
    """Move a transfer out of in-transit exactly once, even if two requests race."""
    result = cast(
        CursorResult,
        db.session.execute(
            update(StockTransfer)
            .where(
                StockTransfer.id == transfer.id, StockTransfer.status == TransferStatus.IN_TRANSIT
            )
            .values(status=status, closed_at=utcnow())
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        raise TransferError("this transfer is not in transit any more")
    db.session.refresh(transfer, ["status", "closed_at"])
