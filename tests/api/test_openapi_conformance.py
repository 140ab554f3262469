"""Schemathesis against the app's own OpenAPI document, in process (WSGI): every operation
answers as its schema says, refuses invalid input with a 4xx, and never answers 500."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import settings

from storefront.extensions import db
from tests.collection_app import collection_app
from tests.factories import (
    make_producer,
    make_product,
    make_region,
    make_showroom,
    stock_at_showroom,
)

# The document is read when the tests are generated, before the app fixture runs; every call goes
# to the suite's app (with its database), given to call_and_validate.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", collection_app())


@pytest.fixture(autouse=True)
def _catalogue(app):
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
@settings(max_examples=30)
def test_every_operation_conforms_to_its_schema(case, app):
    case.call_and_validate(app=app)
