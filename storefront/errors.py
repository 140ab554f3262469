"""Error pages in the shop's style, or JSON for a client that asked for JSON."""

from flask import current_app, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from storefront.domain import DomainError
from storefront.extensions import db


def wants_json_response() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and (
        request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def _titles() -> dict[int, str]:
    return {
        400: _("The request could not be understood"),
        403: _("You may not see this page"),
        404: _("Page not found"),
        405: _("This action is not allowed here"),
        409: _("Someone changed this meanwhile"),
        413: _("The file or form is too large"),
        422: _("Some values are not valid"),
        429: _("Too many requests"),
        500: _("Something went wrong on our side"),
    }


def error_response(
    code: int, reason: str | None = None, errors: dict | None = None, title: str | None = None
):
    title = title or _titles().get(code, _("Error"))
    if wants_json_response():
        payload = {"status": code, "error": title, "reason": reason or title}
        if errors:
            payload["errors"] = errors
        return jsonify(payload), code
    template = f"errors/{code}.html" if code in (404, 429) else "errors/error.html"
    return render_template(template, code=code, title=title, reason=reason), code


def handle_http_exception(error: HTTPException):
    if error.code is None or error.code >= 500:
        return error_response(500)
    # Werkzeug's default descriptions are English boilerplate; show ours unless a reason was given.
    reason = error.description if error.description != type(error).description else None
    # webargs (the API's parameter parsing) says what was wrong with each parameter.
    messages = (getattr(error, "data", None) or {}).get("messages")
    if messages and reason is None:
        reason = _("Some parameters are not valid: %(names)s.", names=", ".join(_names(messages)))
    response = make_response(error_response(error.code, reason, messages))
    for header, value in error.get_headers():
        if header.lower() in ("allow", "retry-after"):  # say what is allowed, and when again
            response.headers[header] = value
    return response


def handle_csrf_error(_error: CSRFError):
    """A form without this site's token: an old tab, an expired session, or another site's
    forgery. Nothing was done; say how to try again."""
    return error_response(
        400,
        _(
            "This form has expired or did not come from this shop's page, so nothing was "
            "changed. Go back, reload the page and send it again."
        ),
        title=_("The form could not be accepted"),
    )


def _names(messages: dict) -> list[str]:
    """Parameter names from webargs's {location: {name: [messages]}}."""
    names = []
    for value in messages.values():
        names.extend(value if isinstance(value, dict) else [])
    return sorted(str(n) for n in names)


def handle_domain_error(error: DomainError):
    """A refusal no route turned into a form message: nothing was changed; say why, with the
    status of its kind (404 not found, 403 not allowed, 409 changed meanwhile, 400 refused)."""
    db.session.rollback()
    return error_response(error.status, error.message or None)


def handle_unexpected(error: Exception):
    if isinstance(error, HTTPException) and not isinstance(error, InternalServerError):
        return handle_http_exception(error)
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    db.session.rollback()  # leave no half-done change behind for the next request
    return error_response(500)


def register(app) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(Exception, handle_unexpected)
