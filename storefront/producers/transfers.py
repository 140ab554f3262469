"""Consignment: the producer sends goods from its warehouse to a showroom, sees its transfers, and
may cancel one that has not arrived (the goods come back)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storefront.accounts.models import User
from storefront.catalog.models import Product
from storefront.extensions import db
from storefront.inventory import services as inventory
from storefront.inventory.models import StockLocation, StockTransfer
from storefront.producers.access import PortalError, own_product, owned, producer_id_of
from storefront.producers.stock import parse_quantity
from storefront.register.models import Showroom
from storefront.showrooms import transfers as consignment


def send_transfer(
    actor: User, showroom_code: str, lines: dict[int, object], note: str = ""
) -> StockTransfer:
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
        return consignment.send_to_showroom(
            producer_id, showroom.id, quantities, actor=actor, note=note
        )
    except inventory.OutOfStock as error:
        product = db.session.get_one(Product, error.product_id)
        raise PortalError(
            _("Not enough %(name)s in the warehouse for this transfer.", name=product.name)
        ) from error


def list_transfers(actor: User) -> list[StockTransfer]:
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


def cancel_transfer(actor: User, transfer_id: int) -> StockTransfer:
    transfer = owned(actor, db.session.get(StockTransfer, transfer_id), _("No such transfer."))
    try:
        consignment.cancel(transfer, actor=actor)
    except consignment.TransferError as error:
        raise PortalError(_("This transfer has arrived or was cancelled already.")) from error
    return transfer
