"""payments: why a payment waits for the office's review

Revision ID: b6f2d8e4a1c7
Revises: 8c3a5f1e2b90
Create Date: 2026-11-25 10:00:00

A late bank transfer for a cancelled or expired order, or a card payment whose Stripe session,
mode, currency or amount does not match its order, is kept as a payment to review, with why.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b6f2d8e4a1c7'
down_revision = '8c3a5f1e2b90'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_reason', sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_column('review_reason')
