"""Signing in on a fresh session. Nothing a visitor's session held before sign-in is trusted after
it (no session fixation), except what features declare as the visitor's own — the cart, the orders
placed as a guest — with ``keep_at_sign_in``. Features above accounts register their keys here, so
this module imports none of them; the cart merges itself through Flask-Login's signal."""

from __future__ import annotations

from flask import session
from flask_login import login_user

from storefront.accounts.services import open_sign_in

KEPT_AT_SIGN_IN: set[str] = set()


def keep_at_sign_in(key: str) -> str:
    """Declare a session key that survives signing in; returns it."""
    KEPT_AT_SIGN_IN.add(key)
    return key


def start_session(user, remember: bool = False) -> None:
    """Sign ``user`` in on a fresh session that keeps only the declared keys."""
    kept = {key: session[key] for key in KEPT_AT_SIGN_IN if key in session}
    session.clear()
    session.update(kept)
    open_sign_in(user)  # this device's sign-in, which signing out here ends
    login_user(user, remember=remember)
