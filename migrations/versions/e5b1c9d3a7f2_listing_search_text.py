"""The listing read model holds each product's folded search text; on PostgreSQL a GIN index of
its words, so the catalogue's search reads the read model alone (no join to the products, which
made PostgreSQL hash-join the whole listing for every search).

Revision ID: e5b1c9d3a7f2
Revises: d15a0c2e7b41
Create Date: 2026-11-30 19:15:00
"""

import sqlalchemy as sa
from alembic import op

revision = "e5b1c9d3a7f2"
down_revision = "d15a0c2e7b41"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("product_listings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), server_default="", nullable=False))
    op.execute(
        "UPDATE product_listings SET search_text = "
        "(SELECT products.search_text FROM products WHERE products.id = product_listings.product_id)"
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX IF NOT EXISTS ix_listings_search_words "
            "ON product_listings USING gin (to_tsvector('simple', search_text))"
        )


def downgrade():
    op.execute("DROP INDEX IF EXISTS ix_listings_search_words")
    with op.batch_alter_table("product_listings", schema=None) as batch_op:
        batch_op.drop_column("search_text")
