"""The showroom tests' fixtures: the counter (tests/showrooms/helpers.py), messages in English."""

from __future__ import annotations

import pytest

from tests.showrooms.helpers import counter  # noqa: F401  (a fixture)


@pytest.fixture(autouse=True)
def _english(request):
    """Messages are matched in English (the shop's default language is Vietnamese)."""
    if "app_ctx" not in request.fixturenames and "counter" not in request.fixturenames:
        yield
        return
    from flask_babel import force_locale

    request.getfixturevalue("app_ctx")
    with force_locale("en"):
        yield
