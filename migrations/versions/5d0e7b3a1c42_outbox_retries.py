"""outbox: pending messages, attempts and the next attempt's time

Revision ID: 5d0e7b3a1c42
Revises: 7a4c2e91b0d5
Create Date: 2026-11-25 09:00:00

E-mails are written as pending rows in the transaction of the change they announce and sent after
it commits (storefront/outbox/services.py); a failed delivery is tried again later.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '5d0e7b3a1c42'
down_revision = '7a4c2e91b0d5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('attempts', sa.Integer(), server_default='0', nullable=False)
        )
        batch_op.add_column(
            sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_index('ix_outbox_messages_due', ['status', 'next_attempt_at'], unique=False)


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_due')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('attempts')
