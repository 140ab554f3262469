"""Account operations shared by the CLI, the pages and the tests."""

from __future__ import annotations

import re

from sqlalchemy import select

from storefront.accounts.models import Role, User
from storefront.catalog.models import Producer
from storefront.extensions import db
from storefront.showrooms.models import Showroom

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 8


class AccountError(Exception):
    """An account change that was refused; nothing was changed."""


def create_user(
    email: str,
    role: str,
    password: str,
    *,
    name: str = "",
    producer_code: str | None = None,
    showroom_code: str | None = None,
) -> User:
    """Make an account. A producer account is bound to one producer, staff to one showroom."""
    email = email.strip().lower()
    if not EMAIL_RE.match(email):
        raise AccountError(f"not an e-mail address: {email!r}")
    if role not in set(Role):
        raise AccountError(f"unknown role {role!r}; one of: {', '.join(Role)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    if db.session.scalar(select(User.id).filter_by(email=email)) is not None:
        raise AccountError(f"an account for {email} exists already")

    user = User(email=email, role=role, name=name)
    if role == Role.PRODUCER:
        if not producer_code:
            raise AccountError("a producer account needs --producer CODE")
        user.producer = _by_code(Producer, producer_code, "producer")
    elif producer_code:
        raise AccountError("--producer goes only with --role producer")
    if role == Role.STAFF:
        if not showroom_code:
            raise AccountError("a staff account needs --showroom CODE")
        user.showroom = _by_code(Showroom, showroom_code, "showroom")
    elif showroom_code:
        raise AccountError("--showroom goes only with --role staff")
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def _by_code(model, code: str, what: str):
    row = db.session.scalar(select(model).filter_by(code=code))
    if row is None:
        raise AccountError(f"no {what} with code {code!r}")
    return row
