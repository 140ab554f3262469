"""search: folded product name and search text, FTS5 (SQLite) or pg_trgm (PostgreSQL) index

The search text now holds name, producer, group, places and description.

Revision ID: 225f9b065ba6
Revises: 5ece18112984
Create Date: 2026-11-24 17:07:58.087046

"""
from types import SimpleNamespace

from alembic import op
import sqlalchemy as sa

from storefront.catalog import search_index
from storefront.catalog.search_document import place_names, search_fields


# revision identifiers, used by Alembic.
revision = '225f9b065ba6'
down_revision = '5ece18112984'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_name', sa.Text(), server_default='', nullable=False))

    _refill_search_fields(op.get_bind())
    # Dialect-specific DDL (FTS5 table, vocabulary and triggers / pg_trgm GIN index).
    search_index.install(op.get_bind())


def downgrade():
    search_index.uninstall(op.get_bind())
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('search_name')


def _refill_search_fields(bind):
    """Existing products get the search text the models now keep (with group and places)."""
    regions = {
        row.id: SimpleNamespace(name=row.name, parent_id=row.parent_id, successor_id=row.successor_id)
        for row in bind.execute(sa.text("SELECT id, name, parent_id, successor_id FROM regions"))
    }
    for unit in regions.values():
        unit.parent = regions.get(unit.parent_id)
        unit.successor = regions.get(unit.successor_id)
    rows = bind.execute(
        sa.text(
            "SELECT p.id, p.name, p.description, p.\"group\", p.region_id, pr.name AS producer "
            "FROM products p JOIN producers pr ON pr.id = p.producer_id"
        )
    ).all()
    for row in rows:
        name, text_ = search_fields(
            row.name, row.description, row.producer, row.group, place_names(regions.get(row.region_id))
        )
        bind.execute(
            sa.text("UPDATE products SET search_name = :name, search_text = :text WHERE id = :id"),
            {"name": name, "text": text_, "id": row.id},
        )
