"""Language choice: Vietnamese first, English second, kept in a cookie."""

from flask import Blueprint, current_app, redirect, request, url_for
from flask_babel import lazy_gettext as _l

bp = Blueprint("i18n", __name__)

LANGUAGE_COOKIE = "lang"
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


def select_locale() -> str:
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _safe_next(target: str | None) -> str:
    # Only local paths: never an open redirect to another site.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("catalog.home")


@bp.get("/lang/<code>")
def switch(code: str):
    response = redirect(_safe_next(request.args.get("next")))
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
        )
    return response


LANGUAGE_LABEL = _l("Language")
