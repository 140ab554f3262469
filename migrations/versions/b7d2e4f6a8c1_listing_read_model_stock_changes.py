"""The listing read model (product_listings, one row per product the catalogue sells, with an
index per sort), stock_changes (per-product stock versions instead of the one generation row)
and, on PostgreSQL, a GIN index of the search text's words.

Revision ID: b7d2e4f6a8c1
Revises: a772e50a8178
"""

import sqlalchemy as sa
from alembic import op

from storefront.catalog import search_index
from storefront.extensions import UtcDateTime

revision = "b7d2e4f6a8c1"
down_revision = "a772e50a8178"
branch_labels = None
depends_on = None

FILL = """
INSERT INTO product_listings (product_id, name, search_name, stars, star_order, "group", region_id,
    producer_id, price_vnd, created_at, expires_on, in_stock_online)
SELECT p.id, p.name, p.search_name, c.stars, -c.stars, p."group", p.region_id, p.producer_id,
    p.price_vnd, p.created_at, c.expires_on,
    EXISTS (SELECT 1 FROM stock_levels l JOIN stock_locations s ON s.id = l.location_id
            WHERE l.product_id = p.id AND s.kind = 'warehouse' AND l.quantity - l.reserved > 0)
FROM products p JOIN certificates c ON c.product_id = p.id AND c.status = 'active'
WHERE p.listed = :yes AND p.review_status = 'approved'
"""


def upgrade():
    op.create_table(
        "product_listings",
        sa.Column("product_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("search_name", sa.Text(), nullable=False),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.Column("star_order", sa.Integer(), nullable=False),
        sa.Column("group", sa.String(length=32), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("producer_id", sa.Integer(), nullable=False),
        sa.Column("price_vnd", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("in_stock_online", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("product_id", name=op.f("pk_product_listings")),
    )
    indexes = {
        "ix_listings_featured": ["star_order", "name", "product_id"],
        "ix_listings_price": ["price_vnd", "product_id"],
        "ix_listings_newest": ["created_at", "product_id"],
        "ix_listings_name": ["name", "product_id"],
        "ix_listings_group_featured": ["group", "star_order", "name", "product_id", "expires_on"],
        "ix_listings_group_stars_price": [
            "group", "stars", "price_vnd", "product_id", "expires_on"
        ],
        "ix_listings_stars_price": ["stars", "price_vnd", "product_id", "expires_on"],
        "ix_listings_region": ["region_id", "star_order", "name", "product_id", "expires_on"],
        "ix_listings_expires": ["expires_on"],
        "ix_listings_producer": ["producer_id"],
    }
    for name, columns in indexes.items():
        op.create_index(name, "product_listings", columns)
    op.create_table(
        "stock_changes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_changes")),
    )
    op.create_index(op.f("ix_stock_changes_changed_at"), "stock_changes", ["changed_at"])
    op.get_bind().execute(sa.text(FILL), {"yes": True})
    if op.get_bind().dialect.name == "postgresql":  # words typed found by a prefix tsquery
        op.execute(search_index.POSTGRES_WORDS_INDEX)


def downgrade():
    op.execute("DROP INDEX IF EXISTS ix_products_search_words")
    op.drop_index(op.f("ix_stock_changes_changed_at"), table_name="stock_changes")
    op.drop_table("stock_changes")
    op.drop_table("product_listings")
