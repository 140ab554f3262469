"""One way to carry a submitted form through a service: call it, then commit — or roll back and
put the refusal's message beside its field (or on the form). Routes keep no try/except of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import abort, flash
from flask_wtf import FlaskForm

from storefront.domain import DomainError, NotAllowed, NotFound
from storefront.extensions import db

T = TypeVar("T")


class ButtonForm(FlaskForm):
    """A button that posts nothing but the CSRF token (forget an address, cancel an order,
    delete a band): what carry_out_flashed checks before the service is called."""


@dataclass(frozen=True)
class Done(Generic[T]):
    """The service's result, committed."""

    value: T


def carry_out(
    form,
    action: Callable[[], T],
    *,
    let_through: tuple[type[DomainError], ...] = (),
    on_field: str | None = None,
) -> Done[T] | None:
    """Run ``action`` (one service call) and commit: ``Done(result)``. A refusal rolls back, is put
    on ``form`` and gives None, so the route shows the form again. Not found and not allowed are no
    form's business: they go on to the app's handler (404, 403), as do the kinds in
    ``let_through`` (rolled back), for a route that answers them its own way (e.g. a conflict
    answered with the fresh value). ``on_field``: where a refusal that names no field is shown
    (the form's own errors by default)."""
    try:
        result = action()
    except (NotFound, NotAllowed, *let_through):
        db.session.rollback()
        raise
    except DomainError as error:
        db.session.rollback()
        show_on_form(form, error, on_field)
        return None
    db.session.commit()
    return Done(result)


def carry_out_flashed(
    form, action: Callable[[], T], *, let_through: tuple[type[DomainError], ...] = ()
) -> Done[T] | None:
    """A button that makes one change and redirects: the form must validate (no token, a reason
    too long: a bad request); then ``carry_out``, and a refusal's messages are flashed for the page
    the route redirects to. The route flashes what happened on ``Done``."""
    if not form.validate():
        abort(400)
    done = carry_out(form, action, let_through=let_through)
    for message in messages(form):
        flash(message, "error")
    return done


def refusal(form) -> str | None:
    """What the form was refused with, in one line, for a page that shows it above the form;
    None when nothing was."""
    return " ".join(messages(form)) or None


def messages(form) -> list[str]:
    """The form's own messages, then each field's."""
    return [*form.form_errors, *(message for field in form for message in field.errors)]


def show_on_form(form, error: DomainError, on_field: str | None = None) -> None:
    """Put each of the refusal's messages beside the field it names (or ``on_field``), or on the
    form."""
    for name, message in error.errors.items():
        name = name or on_field
        field = form._fields.get(name) if name else None
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)


def form_status(form) -> int:
    """200 for a fresh or good form, 400 when it shows errors."""
    return 400 if form.errors or form.form_errors else 200
