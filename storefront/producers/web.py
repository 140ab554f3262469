"""What the portal's route modules share: a one-button action carried out and flashed."""

from collections.abc import Callable
from typing import TypeVar

from flask import flash

from storefront.producers.forms import CsrfOnlyForm
from storefront.submissions import carry_out_flashed

T = TypeVar("T")


def button_pressed(action: Callable[[], T], saying: Callable[[T], str]) -> None:
    """A one-button action (its form carries only the CSRF token): carry out ``action`` and flash
    what ``saying`` says of its result, or the refusal, for the page the route redirects to."""
    if done := carry_out_flashed(CsrfOnlyForm(), action):
        flash(saying(done.value), "success")
