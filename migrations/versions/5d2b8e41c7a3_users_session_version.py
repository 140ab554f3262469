"""users.session_version: signing an account out everywhere

Revision ID: 5d2b8e41c7a3
Revises: 5d2e8c41a7b3
Create Date: 2026-11-25 09:00:00

Part of the user id kept in every session and remember-me cookie; raised by a password change or
reset, a deactivation and "sign out on every device", so cookies made before are refused.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '5d2b8e41c7a3'
down_revision = "5d2e8c41a7b3"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(
            sa.Column('session_version', sa.Integer(), server_default='0', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('session_version')
