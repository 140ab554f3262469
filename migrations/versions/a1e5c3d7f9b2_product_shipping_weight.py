"""Products carry a shipping weight (grams, per packed unit) for delivery fees by weight band.

Revision ID: a1e5c3d7f9b2
Revises: 3f9a1c7e5b20
"""

import sqlalchemy as sa
from alembic import op

revision = "a1e5c3d7f9b2"
down_revision = "3f9a1c7e5b20"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("shipping_weight_grams", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("products") as batch:
        batch.drop_column("shipping_weight_grams")
