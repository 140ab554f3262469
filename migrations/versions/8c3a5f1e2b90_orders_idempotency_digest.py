"""orders: keep a session-bound hash of the checkout form's key, not the key

Revision ID: 8c3a5f1e2b90
Revises: 5d0e7b3a1c42
Create Date: 2026-11-25 09:30:00

The key alone must not lead to an order (storefront/orders/services.py, idempotency_digest).
Orders placed before keep a hash of their old key: no form will send it again.
"""
import hashlib

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '8c3a5f1e2b90'
down_revision = '5d0e7b3a1c42'
branch_labels = None
depends_on = None

orders = sa.table(
    'orders',
    sa.column('id', sa.Integer),
    sa.column('idempotency_key', sa.String),
    sa.column('idempotency_digest', sa.String),
)


def upgrade():
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('idempotency_digest', sa.String(length=64), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.select(orders.c.id, orders.c.idempotency_key)).all()
    for order_id, key in rows:
        digest = hashlib.sha256(f"before-binding:{key}".encode()).hexdigest()
        connection.execute(
            orders.update().where(orders.c.id == order_id).values(idempotency_digest=digest)
        )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.alter_column(
            'idempotency_digest', existing_type=sa.String(length=64), nullable=False
        )
        batch_op.drop_constraint('uq_orders_idempotency_key', type_='unique')
        batch_op.drop_column('idempotency_key')
        batch_op.create_unique_constraint(
            batch_op.f('uq_orders_idempotency_digest'), ['idempotency_digest']
        )


def downgrade():
    # The keys are gone for good: old orders get their digest in the old column.
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('idempotency_key', sa.String(length=64), nullable=True))
    op.execute(orders.update().values(idempotency_key=orders.c.idempotency_digest))
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.alter_column('idempotency_key', existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_constraint('uq_orders_idempotency_digest', type_='unique')
        batch_op.drop_column('idempotency_digest')
        batch_op.create_unique_constraint('uq_orders_idempotency_key', ['idempotency_key'])
