"""Language choice: Vietnamese first, English second, kept in a cookie."""

from flask import Blueprint, current_app, has_request_context, redirect, request
from flask_login import current_user

from storefront.extensions import db
from storefront.links import safe_next

bp = Blueprint("i18n", __name__)

LANGUAGE_COOKIE = "lang"
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


def select_locale() -> str:
    """The language chosen in this browser, else the signed-in user's, else the browser's own
    preference (Accept-Language, on a first visit), else Vietnamese."""
    if not has_request_context():  # CLI and background work speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    user_locale = getattr(current_user, "locale", None)
    if user_locale in current_app.config["LANGUAGES"]:
        return user_locale
    preferred = request.accept_languages.best_match(current_app.config["LANGUAGES"])
    return preferred or current_app.config["BABEL_DEFAULT_LOCALE"]


@bp.after_app_request
def _vary_by_language(response):
    # A page's language follows these headers: shared caches must not mix them up.
    if response.mimetype == "text/html":
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
    return response


@bp.get("/lang/<code>")
def switch(code: str):
    response = redirect(safe_next(request.args.get("next")))
    if code in current_app.config["LANGUAGES"]:
        if current_user.is_authenticated:
            current_user.locale = code
            db.session.commit()
        response.set_cookie(
            LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
        )
    return response
