"""Accounts as the office manages them: list, invite, change role and binding, deactivate.
Every change of role, binding or access is in the audit log."""

from __future__ import annotations

import secrets
from typing import TypeVar

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from storefront.accounts import services as accounts
from storefront.accounts.models import Role, User
from storefront.audit.models import AuditArea
from storefront.audit.services import actor_label, record
from storefront.extensions import db
from storefront.folding import contains_pattern, fold
from storefront.office import fields
from storefront.office.errors import NotFound, OfficeError
from storefront.register.models import Producer, Showroom

_Coded = TypeVar("_Coded", Producer, Showroom)
# The form field an account's binding is chosen in, by role.
_BINDING_FIELDS: dict[str, str] = {Role.PRODUCER: "producer", Role.STAFF: "showroom"}


def list_users(role: str | None = None, q: str = "") -> list[User]:
    query = (
        select(User)
        .options(joinedload(User.producer), joinedload(User.showroom))
        .order_by(User.active.desc(), User.role, User.email)
    )
    if role in set(Role):
        query = query.where(User.role == role)
    q = (q or "").strip()[:200]
    if q:
        pattern = contains_pattern(q.lower())
        query = query.where(
            or_(
                User.email.like(pattern, escape="\\"),
                User.phone.like(pattern, escape="\\"),
                User.name.ilike(pattern, escape="\\"),
            )
        )
    users = list(db.session.scalars(query.limit(500)))
    if q and not users:  # names typed without diacritics
        folded = fold(q)
        users = [u for u in list_users(role) if folded in fold(u.name or "")]
    return users


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such account."))
    return user


def invite_user(
    actor: User, email: str, name: str, role: str, producer_code: str = "", showroom_code: str = ""
) -> User:
    """Make an account with no usable password and e-mail it a set-password link."""
    address = fields.email(email, required=True)
    _check_role(role)
    try:
        user = accounts.create_user(
            address,
            role,
            secrets.token_urlsafe(32),  # nobody knows it; the invitation link replaces it
            name=(name or "").strip()[:200],
            producer_code=(producer_code or None) if role == Role.PRODUCER else None,
            showroom_code=(showroom_code or None) if role == Role.STAFF else None,
        )
    except accounts.AccountError as error:
        message = _binding_message(str(error), role)
        field = _BINDING_FIELDS.get(role, "email")
        raise OfficeError(message, field if message != str(error) else "email") from None
    accounts.send_invitation(user, invited_by=actor_label(actor))
    record(
        actor,
        AuditArea.ROLE,
        "user.invited",
        _label(user),
        after=_snapshot(user),
    )
    return user


def change_role(
    actor: User, user_id: int, role: str, producer_code: str = "", showroom_code: str = ""
) -> User:
    """Give an account another role and binding: a producer account is bound to one producer,
    staff to one showroom, the others to none. Nobody changes their own role."""
    user = get_user(user_id)
    if user.id == getattr(actor, "id", None):
        raise OfficeError(_("You cannot change your own role."), "role")
    _check_role(role)
    producer = (
        _by_code(
            Producer, producer_code, _("Choose the producer this account works for."), "producer"
        )
        if role == Role.PRODUCER
        else None
    )
    showroom = (
        _by_code(
            Showroom, showroom_code, _("Choose the showroom this person works at."), "showroom"
        )
        if role == Role.STAFF
        else None
    )
    before = _snapshot(user)
    user.role, user.producer, user.showroom = role, producer, showroom
    db.session.flush()
    after = _snapshot(user)
    if after != before:
        record(actor, AuditArea.ROLE, "user.role_changed", _label(user), before=before, after=after)
    return user


def set_active(actor: User, user_id: int, active: bool) -> User:
    """Deactivate an account (it can no longer sign in) or activate it again."""
    user = get_user(user_id)
    if user.id == getattr(actor, "id", None):
        raise OfficeError(_("You cannot deactivate your own account."))
    if user.active == active:
        return user
    user.active = active
    if not active:
        accounts.sign_out_everywhere(user)  # now, and reactivating does not bring them back
    record(
        actor,
        AuditArea.ROLE,
        "user.activated" if active else "user.deactivated",
        _label(user),
        before={"active": not active},
        after={"active": active},
    )
    db.session.flush()
    return user


def staff_of(showroom_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.STAFF, User.showroom_id == showroom_id)
            .order_by(User.active.desc(), User.email)
        )
    )


def assign_staff(actor: User, showroom_code: str, identifier: str) -> User:
    """Make an existing account staff of a showroom (found by e-mail or mobile number)."""
    user = accounts.find_by_identifier(identifier or "")
    if user is None:
        raise OfficeError(
            _("No account with this e-mail address or number; invite the person first."),
            "identifier",
        )
    return change_role(actor, user.id, Role.STAFF, showroom_code=showroom_code)


def _check_role(role: str) -> None:
    if role not in set(Role):
        raise OfficeError(_("Choose a role."), "role")


def _by_code(model: type[_Coded], code: str, message: str, field: str) -> _Coded:
    row = db.session.scalar(select(model).where(model.code == (code or "").strip()))
    if row is None:
        raise OfficeError(message, field)
    return row


def _binding_message(error: str, role: str) -> str:
    if "--producer" in error or "no producer" in error:
        return _("Choose the producer this account works for.")
    if "--showroom" in error or "no showroom" in error:
        return _("Choose the showroom this person works at.")
    return error


def _snapshot(user: User) -> dict:
    return {
        "role": user.role,
        "producer": user.producer.code if user.producer else None,
        "showroom": user.showroom.code if user.showroom else None,
        "active": user.active,
    }


def _label(user: User) -> str:
    return f"{user.display_name} <{user.email or user.phone}>"
