"""Addresses a signed-in customer had goods delivered to, offered again at checkout."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from storefront.clock import utcnow
from storefront.delivery.models import SavedAddress
from storefront.domain import NotFound
from storefront.extensions import db

SHOWN = 5  # the most recently used addresses offered at checkout


def saved_for(user_id: int | None, limit: int | None = SHOWN) -> list[SavedAddress]:
    """The customer's saved addresses, the most recently used first (``limit=None``: all), with
    their communes and provinces. One query."""
    if user_id is None:
        return []
    return list(
        db.session.scalars(
            select(SavedAddress)
            .where(SavedAddress.user_id == user_id)
            # Each is shown with its commune and province: read with it, not one by one.
            .options(joinedload(SavedAddress.province), joinedload(SavedAddress.commune))
            .order_by(SavedAddress.last_used_at.desc(), SavedAddress.id.desc())
            .limit(limit)
        )
    )


def get_saved(user_id: int | None, address_id: int | None) -> SavedAddress | None:
    """The customer's own saved address (someone else's reads as none)."""
    if user_id is None or address_id is None:
        return None
    return db.session.scalar(
        select(SavedAddress).where(SavedAddress.id == address_id, SavedAddress.user_id == user_id)
    )


def remember(
    user_id: int,
    *,
    contact_name: str,
    contact_phone: str,
    province_id: int,
    commune_id: int,
    address_line: str,
) -> SavedAddress:
    """Keep (or refresh) the address of a delivery order, in the order's transaction."""
    saved = db.session.scalar(
        select(SavedAddress).where(
            SavedAddress.user_id == user_id,
            SavedAddress.commune_id == commune_id,
            SavedAddress.address_line == address_line,
        )
    )
    if saved is None:
        saved = SavedAddress(
            user_id=user_id,
            province_id=province_id,
            commune_id=commune_id,
            address_line=address_line,
            contact_name=contact_name,
            contact_phone=contact_phone,
        )
        db.session.add(saved)
    saved.contact_name, saved.contact_phone = contact_name, contact_phone
    saved.last_used_at = utcnow()
    db.session.flush()
    return saved


def forget(user_id: int, address_id: int) -> None:
    """The customer no longer wants the address kept: it is deleted (orders keep their own copy
    of where they went). Someone else's address, or one already gone, is not found."""
    saved = get_saved(user_id, address_id)
    if saved is None:
        raise NotFound(_("That address is not among your saved addresses."))
    db.session.delete(saved)
    db.session.flush()
