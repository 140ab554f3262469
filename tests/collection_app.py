"""The shop's app as the tests see it while they are collected, before any fixture runs: on an
in-memory database it never opens, for what is known without one — its routes (the CSRF and fuzz
tests' parameters) and its OpenAPI document (the schemathesis tests). Made once per process; its
instance folder is the run's temporary one (tests/conftest.py), so collecting writes nothing into
the checkout. Tests themselves use the ``app`` fixture."""

from __future__ import annotations

from functools import cache

from flask import Flask

from config import TestingConfig
from storefront import create_app


@cache
def collection_app() -> Flask:
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = "sqlite://"
    return create_app(config)
