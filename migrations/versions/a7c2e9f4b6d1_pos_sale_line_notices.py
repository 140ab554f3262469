"""What a counter sale's line was sold with: the notices the law asks for by kind of product
(alcohol not for persons under 18, a health supplement is no medicine), printed on the receipt as
they were at the sale.

Revision ID: a7c2e9f4b6d1
Revises: f3a8c6d2b9e4
"""

import sqlalchemy as sa
from alembic import op

revision = "a7c2e9f4b6d1"
down_revision = "f3a8c6d2b9e4"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "pos_sale_lines",
        sa.Column("notices", sa.String(100), nullable=False, server_default=""),
    )


def downgrade():
    with op.batch_alter_table("pos_sale_lines") as batch:
        batch.drop_column("notices")
