"""Batches: recorded with the stock they bring, sent on to showrooms, shown to shoppers by their
label's QR (/q/<product code>/<batch code>), suspended by the office while it looks into one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storefront import domain
from storefront.accounts.access import NotAllowed, require_producer
from storefront.accounts.models import Role, User
from storefront.audit.models import AuditArea
from storefront.audit.services import record
from storefront.catalog import product_pages
from storefront.catalog.models import Product
from storefront.clock import utcnow
from storefront.extensions import db
from storefront.register.codes import CODE_PATTERN, new_product_code
from storefront.register.models import Showroom
from storefront.traceability.models import BatchDelivery, ProductBatch

MAX_SHELF_LIFE_DAYS = 20 * 365  # a date further than this is a typing mistake


class BatchRefused(domain.Refused):
    """A batch change refused, with the reason for the person who asked; nothing changed."""


class BatchNotFound(domain.NotFound):
    pass


@dataclass(frozen=True)
class BatchCheck:
    """What a batch label's QR tells a shopper: the product's certificate check, and the batch."""

    verification: product_pages.Verification
    batch: ProductBatch
    expired: bool
    under_review: bool
    deliveries: list[BatchDelivery]


def new_batch(
    actor: User,
    product: Product,
    quantity: int,
    produced_on: date | None,
    expires_on: date | None,
    today: date,
    note: str | None = None,
) -> ProductBatch:
    """A batch of ``quantity`` units of ``product`` (which the caller has checked the actor may
    manage), with a fresh code. Refused: a production date in the future, an expiry before it."""
    produced_on = produced_on or today
    if produced_on > today:
        raise BatchRefused(_("The production date cannot be in the future."))
    if expires_on is not None and expires_on < produced_on:
        raise BatchRefused(_("The expiry date cannot be before the production date."))
    if expires_on is not None and (expires_on - produced_on).days > MAX_SHELF_LIFE_DAYS:
        raise BatchRefused(_("Check the expiry date: it is more than 20 years away."))
    taken = set(
        db.session.scalars(select(ProductBatch.code).where(ProductBatch.product_id == product.id))
    )
    batch = ProductBatch(
        product_id=product.id,
        code=new_product_code(taken=taken),
        produced_on=produced_on,
        expires_on=expires_on,
        quantity=quantity,
        note=(note or "").strip() or None,
        created_by_name=actor.display_name,
    )
    db.session.add(batch)
    db.session.flush()
    return batch


def producer_batches(actor: User, producer_id: int) -> list[ProductBatch]:
    """A producer's batches, newest first (the office may read any producer's)."""
    require_producer(actor, producer_id)
    return list(
        db.session.scalars(
            select(ProductBatch)
            .join(Product)
            .where(Product.producer_id == producer_id)
            .options(selectinload(ProductBatch.deliveries).joinedload(BatchDelivery.showroom))
            .order_by(ProductBatch.created_at.desc(), ProductBatch.id.desc())
        )
    )


def batch_for_labels(actor: User, batch_id: int) -> ProductBatch:
    """A batch whose labels ``actor`` may print: its producer's, a showroom's that received some
    of it, or the office. Anyone else is told there is no such batch."""
    batch = db.session.get(ProductBatch, batch_id)
    if batch is None or not _may_print(actor, batch):
        raise BatchNotFound(_("No such batch."))
    return batch


def _may_print(actor: User, batch: ProductBatch) -> bool:
    if actor.role == Role.OFFICE:
        return True
    if actor.role == Role.PRODUCER:
        return actor.producer_id == batch.product.producer_id
    if actor.role == Role.STAFF:
        return any(d.showroom_id == actor.showroom_id for d in batch.deliveries)
    return False


def showroom_batches(actor: User) -> list[ProductBatch]:
    """The batches some units of which this staff member's showroom received, newest first."""
    if actor.role != Role.STAFF or actor.showroom_id is None:
        raise NotAllowed()
    return list(
        db.session.scalars(
            select(ProductBatch)
            .join(BatchDelivery)
            .where(BatchDelivery.showroom_id == actor.showroom_id)
            .options(selectinload(ProductBatch.deliveries).joinedload(BatchDelivery.showroom))
            .distinct()
            .order_by(ProductBatch.produced_on.desc(), ProductBatch.id.desc())
        )
    )


def record_delivery(
    actor: User,
    batch_id: int,
    showroom_code: str,
    quantity: int,
    delivered_on: date | None,
    today: date,
) -> BatchDelivery:
    """That ``quantity`` units of the producer's batch reached a showroom on ``delivered_on``.
    Refused: more than the batch has left to place, a date before production or in the future,
    a showroom that is not open."""
    batch = db.session.get(ProductBatch, batch_id)
    if batch is None:
        raise BatchNotFound(_("No such batch."))
    try:
        require_producer(actor, batch.product.producer_id)
    except NotAllowed:
        raise BatchNotFound(_("No such batch.")) from None
    showroom = db.session.scalar(select(Showroom).where(Showroom.code == showroom_code))
    if showroom is None or not showroom.active:
        raise BatchRefused(_("Choose an open showroom."))
    delivered_on = delivered_on or today
    if delivered_on > today or delivered_on < batch.produced_on:
        raise BatchRefused(_("The delivery date must be between the production date and today."))
    left = batch.quantity - batch.delivered
    if quantity > left:
        raise BatchRefused(_("Only %(n)d units of this batch are left to place.", n=left))
    delivery = BatchDelivery(
        batch_id=batch.id,
        showroom_id=showroom.id,
        quantity=quantity,
        delivered_on=delivered_on,
        created_by_name=actor.display_name,
    )
    db.session.add(delivery)
    db.session.flush()
    db.session.refresh(batch)
    return delivery


def parse_batch_code(raw: str) -> str | None:
    """A batch code as printed (capitals); None for anything that cannot be one."""
    raw = (raw or "").strip()
    return raw.upper() if CODE_PATTERN.fullmatch(raw) else None


def check_batch(product_code: str, batch_code: str, today: date) -> BatchCheck:
    """What /q/<product code>/<batch code> shows. NotFound for an unknown product or a batch code
    not registered for that product (what a copied or invented label looks like)."""
    verification = product_pages.verify(product_code, today)
    wanted = parse_batch_code(batch_code)
    batch = None
    if wanted is not None:
        batch = db.session.scalar(
            select(ProductBatch)
            .where(ProductBatch.product_id == verification.product.id, ProductBatch.code == wanted)
            .options(selectinload(ProductBatch.deliveries).joinedload(BatchDelivery.showroom))
        )
    if batch is None:
        raise BatchNotFound(_("This batch code is not registered for this product."))
    return BatchCheck(
        verification=verification,
        batch=batch,
        expired=batch.expired_on(today),
        under_review=batch.suspended_at is not None,
        deliveries=list(batch.deliveries),
    )


def suspend_batch(actor: User, batch_id: int, reason: str) -> ProductBatch:
    """The office puts a batch under review: its /q/ page says so at once. Refused without a
    reason, or when it is already under review. Written to the audit log."""
    _office_only(actor)
    batch = _batch(batch_id)
    reason = (reason or "").strip()
    if not reason:
        raise BatchRefused(_("Say why the batch is put under review."))
    if batch.suspended_at is not None:
        raise BatchRefused(_("This batch is already under review."))
    batch.suspended_at, batch.suspended_reason = utcnow(), reason[:1000]
    record(
        actor,
        AuditArea.BATCH,
        "batch.suspended",
        _batch_subject(batch),
        before={"under_review": False},
        after={"under_review": True},
        note=reason,
    )
    return batch


def lift_suspension(actor: User, batch_id: int, note: str) -> ProductBatch:
    """The review is over: the batch's /q/ page no longer says it is under review. Audited."""
    _office_only(actor)
    batch = _batch(batch_id)
    if batch.suspended_at is None:
        raise BatchRefused(_("This batch is not under review."))
    batch.suspended_at = batch.suspended_reason = None
    record(
        actor,
        AuditArea.BATCH,
        "batch.review_lifted",
        _batch_subject(batch),
        before={"under_review": True},
        after={"under_review": False},
        note=(note or "").strip() or None,
    )
    return batch


def _office_only(actor: User) -> None:
    if actor is None or actor.role != Role.OFFICE:
        raise NotAllowed()


def _batch(batch_id: int) -> ProductBatch:
    batch = db.session.get(ProductBatch, batch_id)
    if batch is None:
        raise BatchNotFound(_("No such batch."))
    return batch


def _batch_subject(batch: ProductBatch) -> str:
    return f"{batch.product.name} ({batch.product.code}) / {batch.code}"
