"""Account operations shared by the CLI, the pages and the tests.

Each function takes what it needs explicitly and raises AccountError with a message a person can
read; nothing is changed when it raises.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta
from typing import TypeVar, cast

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, or_, select, update
from sqlalchemy.engine import CursorResult

from storefront.accounts.models import ResetCode, Role, SignIn, User
from storefront.clock import utcnow
from storefront.domain import Refused
from storefront.extensions import db
from storefront.ids import parse_id
from storefront.links import absolute_url_for
from storefront.outbox.services import queue_email, queue_sms
from storefront.register.models import Producer, Showroom

_Coded = TypeVar("_Coded", Producer, Showroom)

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Vietnamese mobile numbers: 10 digits, 03/05/07/08/09 prefixes; +84 or 84 for the leading 0.
MOBILE_RE = re.compile(r"^0[35789]\d{8}$")
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 200
RESET_SALT = "password-reset"
# An invitation is a set-password link that lives longer than a reset link.
INVITATION = "invitation"
INVITATION_MAX_AGE = 7 * 24 * 3600
# Password reset by SMS: six digits, 10 minutes, a few wrong tries (requests for codes and tries
# are also rate-limited per number and per client address: accounts/routes.py).
RESET_CODE_DIGITS = 6
RESET_CODE_LIFETIME = timedelta(minutes=10)
RESET_CODE_TRIES = 5
# Compared in constant time against a hash of a password nobody has, so a missing account costs
# the same as a wrong password and gives nothing away by timing.
_DUMMY_HASH = None


class AccountError(Refused):
    """An account change that was refused; nothing was changed."""


def normalise_email(value: str) -> str | None:
    value = (value or "").strip().lower()
    return value if EMAIL_RE.match(value) and len(value) <= 254 else None


def normalise_mobile(value: str) -> str | None:
    """'+84 912 345 678', '0912.345.678' → '0912345678'; None if it is not a VN mobile number."""
    digits = re.sub(r"[\s.\-()]", "", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits if MOBILE_RE.match(digits) else None


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            _("The password needs at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(_("The password is too long."))


def find_by_identifier(identifier: str) -> User | None:
    """The account for an e-mail address or a mobile number, whichever was typed."""
    email, phone = normalise_email(identifier), normalise_mobile(identifier)
    if not (email or phone):
        return None
    return db.session.scalar(select(User).where(or_(*_identity_clauses(email, phone))))


def create_user(
    email: str | None,
    role: str,
    password: str,
    *,
    name: str = "",
    phone: str | None = None,
    producer_code: str | None = None,
    showroom_code: str | None = None,
) -> User:
    """Make an account. A producer account is bound to one producer, staff to one showroom."""
    normalised_email = normalise_email(email) if email else None
    if email and not normalised_email:
        raise AccountError(_("This is not an e-mail address: %(value)s", value=email))
    normalised_phone = normalise_mobile(phone) if phone else None
    if phone and not normalised_phone:
        raise AccountError(_("This is not a Vietnamese mobile number: %(value)s", value=phone))
    if not (normalised_email or normalised_phone):
        raise AccountError(_("An account needs an e-mail address or a mobile number."))
    if role not in set(Role):
        raise AccountError(f"unknown role {role!r}; one of: {', '.join(Role)}")
    check_password_rules(password)
    _refuse_taken(normalised_email, normalised_phone)

    user = User(email=normalised_email, phone=normalised_phone, role=role, name=name.strip())
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


def register_customer(identifier: str, password: str, name: str = "") -> None:
    """A shopper signs up with an e-mail address or a Vietnamese mobile number.

    Whether the address or number has an account already is never said to whoever signs up
    (that would tell anyone which addresses have accounts): a new one gets its account (not
    signed in) and a welcome e-mail; a taken one gets no second account, and its owner an e-mail
    that someone tried, with the ways to sign in or reset the password. Both cost the same in
    the request: one password hash and one e-mail written to the outbox, sent after the response.
    Raises AccountError only for input that is wrong whoever owns it (format, password rules).
    """
    email, phone = normalise_email(identifier), normalise_mobile(identifier)
    if not (email or phone):
        raise AccountError(
            _("Enter an e-mail address or a Vietnamese mobile number (10 digits, e.g. 0912345678).")
        )
    check_password_rules(password)
    owner = db.session.scalar(select(User).where(or_(*_identity_clauses(email, phone))))
    if owner is None:
        user = create_user(email, Role.CUSTOMER, password, name=name, phone=phone)
        if user.email:
            queue_email(
                user.email,
                _("Welcome to OCOP Storefront"),
                "welcome",
                kind="welcome",
                user=user,
                sign_in=absolute_url_for("accounts.login"),
            )
        return
    _waste_time_like_a_new_password(password)
    if owner.active and owner.email:
        queue_email(
            owner.email,
            _("Someone tried to create an OCOP Storefront account with your address"),
            "signup_attempt",
            kind="signup_attempt",
            user=owner,
            sign_in=absolute_url_for("accounts.login"),
            reset=absolute_url_for("accounts.forgot_password"),
        )


def authenticate(identifier: str, password: str) -> User | None:
    """The active account these credentials open, or None (the same answer for every failure)."""
    user = find_by_identifier(identifier)
    if user is None or not user.active:
        _waste_time_like_a_check(password)
        return None
    if not user.check_password(password):
        return None
    user.last_login_at = utcnow()
    return user


def user_for_session(session_id: str) -> User | None:
    """The account a session or remember-me cookie names ("<user id>:<session version>:<sign-in
    token>"), or None: an id of another form, an inactive account, a version its sessions have
    been ended since (password changed or reset, deactivated, signed out on every device), or a
    sign-in that has ended (signed out on that device)."""
    user_part, _, token = str(session_id).rpartition(":")
    try:
        user_id = parse_id(user_part.partition(":")[0])
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or not token:
        return None
    user.sign_in_token = token
    if user.get_id() != session_id:
        user.sign_in_token = None
        return None
    open_sign_in = db.session.scalar(
        select(SignIn.id).where(
            SignIn.token == token, SignIn.user_id == user.id, SignIn.ended_at.is_(None)
        )
    )
    if open_sign_in is None:
        user.sign_in_token = None
        return None
    return user


def open_sign_in(user: User) -> None:
    """A new sign-in for ``user`` on this device (the caller commits); get_id() now names it."""
    token = secrets.token_urlsafe(24)
    db.session.add(SignIn(user_id=user.id, token=token))
    user.sign_in_token = token


def end_sign_in(user: User) -> None:
    """Sign out on this device: its session and remember-me cookie, and any copy, stop working."""
    if user.sign_in_token:
        db.session.execute(
            update(SignIn)
            .where(SignIn.token == user.sign_in_token, SignIn.ended_at.is_(None))
            .values(ended_at=utcnow())
        )


def sign_out_everywhere(user: User) -> None:
    """End every session of ``user`` on every device, this one included."""
    user.end_sessions()


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Set a new password; every session opened with the old one ends (this device signs in
    again)."""
    if not user.check_password(current_password):
        raise AccountError(_("The current password is not right."))
    check_password_rules(new_password)
    user.set_password(new_password)


def request_password_reset(identifier: str) -> None:
    """E-mail a time-limited reset link if the account exists and has an e-mail address. Says
    nothing either way, so nobody can learn which addresses have accounts; an e-mail address
    without an account is told so (the same work: one e-mail written to the outbox, sent after
    the response, never by SMTP while the page waits)."""
    user = find_by_identifier(identifier)
    if user is None and (email := normalise_email(identifier)):
        queue_email(
            email,
            _("Reset your OCOP Storefront password"),
            "password_reset_no_account",
            kind="password_reset_no_account",
            sign_up=absolute_url_for("accounts.register"),
        )
        return
    if user is None or not user.active or not user.email:
        return
    queue_email(
        user.email,
        _("Reset your OCOP Storefront password"),
        "password_reset",
        kind="password_reset",
        user=user,
        link=password_link(user),
        hours=current_app.config["PASSWORD_RESET_MAX_AGE"] // 3600,
    )


class WrongResetCode(AccountError):
    """A code that opens nothing; the try is counted (the caller commits it)."""


def request_reset_code(phone: str) -> None:
    """Text a six-digit reset code to the account with this mobile number, if there is one
    (said to nobody either way: the page that follows is the same). Any earlier code of the
    account stops working. The SMS goes through the outbox after the commit."""
    user = db.session.scalar(select(User).where(User.phone == phone))
    if user is None or not user.active:
        return
    now = utcnow()
    _spend_codes(user.id, now)
    code = f"{secrets.randbelow(10**RESET_CODE_DIGITS):0{RESET_CODE_DIGITS}d}"
    db.session.add(
        ResetCode(
            user_id=user.id,
            code_digest=_code_digest(user.id, code),
            created_at=now,
            expires_at=now + RESET_CODE_LIFETIME,
        )
    )
    minutes = int(RESET_CODE_LIFETIME.total_seconds() // 60)
    queue_sms(
        phone,
        _(
            "%(code)s is your OCOP Storefront code to set a new password. It works for "
            "%(minutes)d minutes. Never share it.",
            code=code,
            minutes=minutes,
        ),
        kind="password_reset_code",
    )


def reset_password_with_code(phone: str, code: str, new_password: str) -> User:
    """Set a new password with the code texted to ``phone``: the latest code of the account,
    unexpired, unused, fewer than RESET_CODE_TRIES wrong tries. The code is spent and every
    session of the account ends. A wrong code raises WrongResetCode after counting the try (the
    caller commits that); a number without an account is answered the same way."""
    check_password_rules(new_password)
    now = utcnow()
    user = db.session.scalar(select(User).where(User.phone == phone))
    wrong = WrongResetCode(_("This code is not right or no longer works. Ask for a new one."))
    if user is None or not user.active:
        raise wrong
    current = db.session.scalar(
        select(ResetCode)
        .where(ResetCode.user_id == user.id, ResetCode.spent_at.is_(None))
        .order_by(ResetCode.id.desc())
        .limit(1)
    )
    typed = re.sub(r"\s", "", code or "")
    if current is None or current.expires_at <= now:
        raise wrong
    if not hmac.compare_digest(current.code_digest, _code_digest(user.id, typed)):
        current.failed_tries += 1
        if current.failed_tries >= RESET_CODE_TRIES:
            current.spent_at = now
        raise wrong
    spent = db.session.execute(  # once: two submissions of one code cannot both succeed
        update(ResetCode)
        .where(ResetCode.id == current.id, ResetCode.spent_at.is_(None))
        .values(spent_at=now)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult, spent).rowcount != 1:
        raise wrong
    user.set_password(new_password)
    return user


def _spend_codes(user_id: int, now: datetime) -> None:
    db.session.execute(
        update(ResetCode)
        .where(ResetCode.user_id == user_id, ResetCode.spent_at.is_(None))
        .values(spent_at=now)
        .execution_options(synchronize_session=False)
    )


def _code_digest(user_id: int, code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"reset-code:{user_id}:{code}".encode(), hashlib.sha256).hexdigest()


def send_invitation(user: User, invited_by: str) -> None:
    """E-mail a new account its set-password link (the reset link, valid for 7 days)."""
    queue_email(
        cast(str, user.email),  # invitations go to accounts made with an e-mail address
        _("You are invited to OCOP Storefront"),
        "invitation",
        kind="invitation",
        user=user,
        invited_by=invited_by,
        link=password_link(user, purpose=INVITATION),
        days=INVITATION_MAX_AGE // 86400,
    )


def password_link(user: User, purpose: str = "reset") -> str:
    """The absolute set-password link for ``user``; it stops working once the password changes."""
    token = _serializer().dumps(
        {"user": user.id, "pw": _password_fingerprint(user), "for": purpose}
    )
    return absolute_url_for("accounts.reset_password", token=token)


def user_for_reset_token(token: str) -> User:
    """The account a reset (or invitation) link is for. Refused when expired, tampered with, or
    already used (the link is bound to the password it replaces)."""
    reset_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    try:
        data, signed_at = _serializer().loads(
            token, max_age=max(reset_age, INVITATION_MAX_AGE), return_timestamp=True
        )
    except SignatureExpired as error:
        raise AccountError(_("This reset link has expired. Ask for a new one.")) from error
    except BadSignature as error:
        raise AccountError(_("This reset link is not valid. Ask for a new one.")) from error
    if not isinstance(data, dict):
        raise AccountError(_("This reset link is not valid. Ask for a new one."))
    max_age = INVITATION_MAX_AGE if data.get("for") == INVITATION else reset_age
    if (utcnow() - signed_at).total_seconds() > max_age:
        raise AccountError(_("This reset link has expired. Ask for a new one."))
    user = db.session.get(User, data.get("user"))
    if user is None or not user.active or data.get("pw") != _password_fingerprint(user):
        raise AccountError(_("This reset link has been used already. Ask for a new one."))
    return user


def reset_password(token: str, new_password: str) -> User:
    """Set the password a valid reset link allows; every session of the account ends."""
    user = user_for_reset_token(token)
    check_password_rules(new_password)
    user.set_password(new_password)
    return user


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _password_fingerprint(user: User) -> str:
    return user.password_hash[-12:]


def _waste_time_like_a_new_password(password: str) -> None:
    from werkzeug.security import generate_password_hash

    generate_password_hash(password, method="scrypt")  # what set_password costs a new account


def _waste_time_like_a_check(password: str) -> None:
    global _DUMMY_HASH
    from werkzeug.security import check_password_hash, generate_password_hash

    method = current_app.config["PASSWORD_HASH_METHOD"]  # as costly as a real user's check
    if _DUMMY_HASH is None or not _DUMMY_HASH.startswith(method):
        _DUMMY_HASH = generate_password_hash("not-a-real-password", method=method)
    check_password_hash(_DUMMY_HASH, password)


def _identity_clauses(email: str | None, phone: str | None) -> list:
    clauses = []
    if email:
        clauses.append(func.lower(User.email) == email)
    if phone:
        clauses.append(User.phone == phone)
    return clauses


def _refuse_taken(email: str | None, phone: str | None) -> None:
    if db.session.scalar(select(User.id).where(or_(*_identity_clauses(email, phone)))):
        raise AccountError(_("An account with this e-mail address or number exists already."))


def _by_code(model: type[_Coded], code: str, what: str) -> _Coded:
    row = db.session.scalar(select(model).filter_by(code=code))
    if row is None:
        raise AccountError(f"no {what} with code {code!r}")
    return row
