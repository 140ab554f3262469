"""Language choice: Vietnamese first, English second, kept in a cookie."""

from flask import Blueprint, current_app, g, has_app_context, has_request_context, redirect, request
from flask_babel import get_translations
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


def install_template_gettext(app) -> None:
    """The templates' _() and ngettext(): Flask-Babel's, with the request's translations looked
    up once per locale in force instead of at every call (a catalogue page says about eighty
    things; Flask-Babel finds its context, domain, locale and cache again for each)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )


def _translations():
    """flask_babel.get_translations(), kept for the locale object in force: force_locale and
    refresh() put another one in place, which is then looked up afresh."""
    state = g.get("_flask_babel") if has_app_context() else None
    locale = getattr(state, "babel_locale", None)
    if locale is None:  # the locale is not chosen yet: Flask-Babel chooses it
        return get_translations()
    held = getattr(state, "ocop_translations", None)
    if held is not None and held[0] is locale:
        return held[1]
    translations = get_translations()
    state.ocop_translations = (locale, translations)
    return translations


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
