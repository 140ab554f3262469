"""order line returns

Revision ID: 5d2e8c41a7b3
Revises: b7d41c9e2f60
Create Date: 2026-11-30 12:40:00

Units of a shipped order line that came back (the office's returns flow): counted on the line, so
each unit goes back to stock at most once. Order parts may now be "returned" (a String column:
no schema change for that).
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '5d2e8c41a7b3'
down_revision = "b7d41c9e2f60"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('returned_quantity', sa.Integer(), server_default='0', nullable=False)
        )
        batch_op.create_check_constraint(
            op.f('ck_order_lines_returned_within'),
            'returned_quantity >= 0 AND returned_quantity <= quantity',
        )


def downgrade():
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_order_lines_returned_within'), type_='check')
        batch_op.drop_column('returned_quantity')
