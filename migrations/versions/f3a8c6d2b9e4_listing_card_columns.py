"""The listing read model holds every column a product's card shows (code, unit, producer's code
and name, demo flag, certificate number and date, first picture): a page of cards is 24 rows of
it, read by index, with no join to products, certificates, producers or pictures.

Revision ID: f3a8c6d2b9e4
Revises: e5b1c9d3a7f2
Create Date: 2026-12-01 03:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "f3a8c6d2b9e4"
down_revision = "e5b1c9d3a7f2"
branch_labels = None
depends_on = None

_PRODUCT = "FROM products WHERE products.id = product_listings.product_id"
_FILL = {
    "code": f"SELECT products.code {_PRODUCT}",
    "unit": f"SELECT products.unit {_PRODUCT}",
    "is_demo": f"SELECT products.is_demo {_PRODUCT}",
    "producer_code": (
        "SELECT producers.code FROM producers JOIN products ON products.producer_id = producers.id"
        " WHERE products.id = product_listings.product_id"
    ),
    "producer_name": (
        "SELECT producers.name FROM producers JOIN products ON products.producer_id = producers.id"
        " WHERE products.id = product_listings.product_id"
    ),
    "certificate_number": (
        "SELECT certificates.decision_number FROM certificates"
        " WHERE certificates.product_id = product_listings.product_id"
        " AND certificates.status = 'active'"
    ),
    "certificate_issued_on": (
        "SELECT certificates.issued_on FROM certificates"
        " WHERE certificates.product_id = product_listings.product_id"
        " AND certificates.status = 'active'"
    ),
    "picture": (
        "SELECT product_images.filename FROM product_images"
        " WHERE product_images.product_id = product_listings.product_id"
        " AND product_images.position = 0"
    ),
}


def upgrade():
    with op.batch_alter_table("product_listings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code", sa.String(16), server_default="", nullable=False))
        batch_op.add_column(sa.Column("unit", sa.String(64), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("producer_code", sa.String(32), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("producer_name", sa.String(300), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("is_demo", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("certificate_number", sa.String(64), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("certificate_issued_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("picture", sa.String(200), nullable=True))
    assignments = ", ".join(f"{column} = ({query})" for column, query in _FILL.items())
    op.execute(f"UPDATE product_listings SET {assignments}")


def downgrade():
    with op.batch_alter_table("product_listings", schema=None) as batch_op:
        for column in reversed(_FILL):
            batch_op.drop_column(column)
