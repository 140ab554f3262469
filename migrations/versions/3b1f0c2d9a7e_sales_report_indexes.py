"""sales report indexes: orders by when they were paid, order events by status and time

Revision ID: 3b1f0c2d9a7e
Revises: eceffa9e78d7
Create Date: 2026-11-24 18:32:00

The office's sales reports count online orders by paid_at and pick-ups by the time of their
"collected" event; without these, each report reads every order (bench/office_reports.py).
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '3b1f0c2d9a7e'
down_revision = 'eceffa9e78d7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_orders_paid_at'), ['paid_at'], unique=False)
    with op.batch_alter_table('order_events', schema=None) as batch_op:
        batch_op.create_index(
            'ix_order_events_to_status_created_at', ['to_status', 'created_at'], unique=False
        )


def downgrade():
    with op.batch_alter_table('order_events', schema=None) as batch_op:
        batch_op.drop_index('ix_order_events_to_status_created_at')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_orders_paid_at'))
