from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from storefront.catalog.search_index import is_index_object
from storefront.extensions import db


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_migrations_build_exactly_the_models(app_ctx):
    # The session's schema was made by running the migrations; nothing may differ from the models
    # but the search index's own tables and indexes, which no model describes (named one by one).
    def include_object(object_, name, type_, reflected, compare_to):
        return not (reflected and compare_to is None and is_index_object(name, type_))

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": include_object})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_every_page_sends_security_headers(client):
    response = client.get("/")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
