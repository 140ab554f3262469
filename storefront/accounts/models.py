"""User accounts and roles."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import cast

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from storefront.clock import utcnow
from storefront.extensions import UtcDateTime, db
from storefront.register.models import Producer, Showroom


class Role(enum.StrEnum):
    CUSTOMER = "customer"
    PRODUCER = "producer"
    STAFF = "staff"
    OFFICE = "office"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("(role = 'producer') = (producer_id IS NOT NULL)", name="producer_binding"),
        CheckConstraint("(role = 'staff') = (showroom_id IS NOT NULL)", name="showroom_binding"),
        CheckConstraint("email IS NOT NULL OR phone IS NOT NULL", name="has_identifier"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A customer signs up with an e-mail address or a Vietnamese mobile number (0xxxxxxxxx).
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))
    producer_id: Mapped[int | None] = mapped_column(ForeignKey("producers.id"), index=True)
    showroom_id: Mapped[int | None] = mapped_column(ForeignKey("showrooms.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Part of every session's and remember-me cookie's user id: raising it signs the account
    # out everywhere (a copied cookie names the old version and is refused).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    producer: Mapped[Producer | None] = relationship()
    showroom: Mapped[Showroom | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    # The device this request is signed in on (set at sign-in and when a session is read). Not a
    # column: an annotation would make the ORM map it, so the type checker learns it from cast().
    sign_in_token = cast("str | None", None)

    def get_id(self) -> str:  # Flask-Login: what sessions and remember-me cookies hold
        """``<user id>:<session version>:<sign-in token>``: refused once the version moves on (every
        device) or that sign-in ends (this device signed out)."""
        return f"{self.id}:{self.session_version or 0}:{self.sign_in_token or ''}"

    def end_sessions(self) -> None:
        """Sign this account out on every device: each session made before is refused."""
        self.session_version = (self.session_version or 0) + 1

    @property
    def display_name(self) -> str:
        return self.name or self.email or self.phone or f"#{self.id}"

    def set_password(self, password: str) -> None:
        """A new password also ends every session opened with the old one."""
        # scrypt in the shop; the tests' config picks a cheap method (the hash names its method).
        method = current_app.config["PASSWORD_HASH_METHOD"]
        self.password_hash = generate_password_hash(password, method=method)
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class SignIn(db.Model):
    """One signing-in of an account on one device. Its session and remember-me cookie name it, so
    signing out there ends it, and any copy of those cookies with it."""

    __tablename__ = "sign_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ResetCode(db.Model):
    """A six-digit password-reset code sent by SMS to an account's mobile number. Only a keyed
    hash is kept; the code works once, for 10 minutes, and for a few tries."""

    __tablename__ = "reset_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    failed_tries: Mapped[int] = mapped_column(default=0, server_default="0")
    # Used, replaced by a newer code, or too many wrong tries: it opens nothing any more.
    spent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
