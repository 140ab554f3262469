"""Schemathesis against the app's own OpenAPI document, in process (WSGI): every operation
answers as its schema says, refuses invalid input with a 4xx, and never answers 500."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

import config
from storefront import create_app
from storefront.extensions import db
from tests.factories import (
    make_producer,
    make_product,
    make_region,
    make_showroom,
    stock_at_showroom,
)


class _SessionApp:
    """The WSGI app schemathesis calls: the suite's app (with its database) once the fixture
    below has set it. The document itself needs no database, so an app without one serves
    it at import time, when the tests are generated."""

    def __init__(self):
        settings_ = config.TestingConfig()
        settings_.SQLALCHEMY_DATABASE_URI = "sqlite://"
        self.target = create_app(settings_)

    def __call__(self, environ, start_response):
        return self.target(environ, start_response)


session_app = _SessionApp()
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", session_app)


@pytest.fixture(autouse=True)
def _catalogue(app):
    session_app.target = app
    with app.app_context():
        _small_catalogue()


def _small_catalogue() -> None:
    """A few products in every state the answers describe, so lists have items to check."""
    region = make_region("KT-DG", "Huyện Đăk Glei", kind="district")
    producer = make_producer("DGTP", "Đăk Glei TP", region=region)
    showroom = make_showroom("SR-DG", "Điểm bán Đăk Glei", region=region)
    product = make_product("Sâm dây Ngọc Linh", producer=producer, stars=5, stock=5)
    stock_at_showroom(product, showroom, 2)
    make_product("Măng khô Đăk Glei", producer=producer, stars=3)
    make_product("Trà hết hạn", producer=producer, stars=None)
    db.session.commit()


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_operation_conforms_to_its_schema(case):
    case.call_and_validate()
