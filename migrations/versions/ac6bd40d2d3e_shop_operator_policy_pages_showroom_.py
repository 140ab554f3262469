"""shop operator, policy pages, showroom zalo and coordinates

Who sells (one row the office fills in), the five policy pages once the office writes them (until
then they show their template text), and a showroom's Zalo link and map coordinates.

Revision ID: ac6bd40d2d3e
Revises: c17a0b3e5d21
Create Date: 2026-11-30 15:13:30.791892

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ac6bd40d2d3e'
down_revision = "c17a0b3e5d21"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('policy_pages',
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False, server_default=''),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('slug', name=op.f('pk_policy_pages'))
    )
    op.create_table('shop_operator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False, server_default=''),
    sa.Column('address', sa.String(length=500), nullable=False, server_default=''),
    sa.Column('tax_code', sa.String(length=20), nullable=False, server_default=''),
    sa.Column('phone', sa.String(length=32), nullable=False, server_default=''),
    sa.Column('email', sa.String(length=254), nullable=False, server_default=''),
    sa.Column('zalo_url', sa.String(length=300), nullable=False, server_default=''),
    sa.Column('moit_registration', sa.String(length=100), nullable=False, server_default=''),
    sa.Column('moit_badge_url', sa.String(length=300), nullable=False, server_default=''),
    sa.Column('is_demo', sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_operator'))
    )
    with op.batch_alter_table('showrooms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('zalo_url', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('latitude', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('longitude', sa.Float(), nullable=True))



def downgrade():
    with op.batch_alter_table('showrooms', schema=None) as batch_op:
        batch_op.drop_column('longitude')
        batch_op.drop_column('latitude')
        batch_op.drop_column('zalo_url')

    op.drop_table('shop_operator')
    op.drop_table('policy_pages')
