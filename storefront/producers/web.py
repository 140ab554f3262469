"""What the portal's route modules share: a one-button action carried out and flashed."""

from collections.abc import Callable
from typing import TypeVar

from flask import abort, flash

from storefront.producers.forms import CsrfOnlyForm
from storefront.submissions import carry_out

T = TypeVar("T")


def button_pressed(action: Callable[[], T], saying: Callable[[T], str]) -> None:
    """A one-button action (its form carries only the CSRF token): carry out ``action`` and flash
    what ``saying`` says of its result, or the refusal, for the page the route redirects to."""
    form = CsrfOnlyForm()
    if not form.validate():
        abort(400)
    if done := carry_out(form, action):
        flash(saying(done.value), "success")
    for messages in form.errors.values():
        for message in messages:
            flash(message, "error")
