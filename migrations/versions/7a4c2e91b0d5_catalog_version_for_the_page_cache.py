"""catalog version for the page cache

Revision ID: 7a4c2e91b0d5
Revises: 3b1f0c2d9a7e
Create Date: 2026-11-24 20:10:00

One row whose number every transaction that changes the public pages raises as it commits; cached
pages carry it in their key (storefront/page_cache.py).
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '7a4c2e91b0d5'
down_revision = '3b1f0c2d9a7e'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'catalog_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('generation', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_version')),
    )
    op.bulk_insert(table, [{'id': 1, 'generation': 0}])


def downgrade():
    op.drop_table('catalog_version')
