"""Product content the producer keeps (net quantity, ingredients, shelf life, storage, directions,
origin), demo flags for invented stars and stand-in producers, a producer's legal form may be
unknown, notices by kind of product (office rules), and what an order line was sold with.

Revision ID: c4d8e2a6b1f3
Revises: ac6bd40d2d3e
"""

import sqlalchemy as sa
from alembic import op

revision = "c4d8e2a6b1f3"
down_revision = "ac6bd40d2d3e"
branch_labels = None
depends_on = None


def upgrade():
    # Added columns only: no batch "move and copy" of products, so the search triggers stay.
    op.add_column("products", sa.Column("net_quantity", sa.String(64), nullable=True))
    op.add_column("products", sa.Column("ingredients", sa.Text(), nullable=True))
    op.add_column("products", sa.Column("shelf_life", sa.String(200), nullable=True))
    op.add_column("products", sa.Column("storage", sa.Text(), nullable=True))
    op.add_column("products", sa.Column("directions", sa.Text(), nullable=True))
    op.add_column("products", sa.Column("origin", sa.String(200), nullable=True))
    op.add_column(
        "products",
        sa.Column("content_is_demo", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "certificates",
        sa.Column("stars_is_demo", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "producers",
        sa.Column("is_demo", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    with op.batch_alter_table("producers") as batch:
        batch.alter_column("legal_form", existing_type=sa.String(32), nullable=True)
    op.create_table(
        "product_notice_rules",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("group", sa.String(32), nullable=False),
        sa.Column("subgroup", sa.String(64), nullable=False, server_default=""),
        sa.Column("notice", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("group", "subgroup", "notice", name="uq_product_notice_rules"),
    )
    op.add_column(
        "orders",
        sa.Column("age_confirmed", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "order_lines",
        sa.Column("notices", sa.String(100), nullable=False, server_default=""),
    )


def downgrade():
    with op.batch_alter_table("order_lines") as batch:
        batch.drop_column("notices")
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("age_confirmed")
    op.drop_table("product_notice_rules")
    with op.batch_alter_table("producers") as batch:
        batch.alter_column("legal_form", existing_type=sa.String(32), nullable=False)
        batch.drop_column("is_demo")
    with op.batch_alter_table("certificates") as batch:
        batch.drop_column("stars_is_demo")
    with op.batch_alter_table("products") as batch:
        for name in (
            "content_is_demo", "origin", "directions", "storage", "shelf_life", "ingredients",
            "net_quantity",
        ):  # fmt: skip
            batch.drop_column(name)
    # The batch copy of products dropped the search triggers (README, PostgreSQL section).
    from storefront.catalog.search_index import install_sqlite

    if op.get_bind().dialect.name == "sqlite":
        install_sqlite(op.get_bind())
