"""product pictures: at most eight, each at its own place (0..7), held by the database

Revision ID: b7d41c9e2f60
Revises: b6f2d8e4a1c7
Create Date: 2026-11-30 12:45:00

Uploads at the same moment each counted fewer than eight pictures and all were stored (12 of 16,
some at the same place). Existing pictures are first numbered 0, 1, 2… per product in their
shown order; pictures past the eighth (only a race could store them) are removed from the
product, their files left on disk.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b7d41c9e2f60'
down_revision = "b6f2d8e4a1c7"
branch_labels = None
depends_on = None

MAX_IMAGES = 8


def upgrade():
    connection = op.get_bind()
    images = sa.table(
        'product_images',
        sa.column('id', sa.Integer),
        sa.column('product_id', sa.Integer),
        sa.column('position', sa.Integer),
    )
    rows = connection.execute(
        sa.select(images.c.id, images.c.product_id).order_by(
            images.c.product_id, images.c.position, images.c.id
        )
    ).all()
    place: dict[int, int] = {}
    for image_id, product_id in rows:
        position = place.get(product_id, 0)
        place[product_id] = position + 1
        if position >= MAX_IMAGES:
            connection.execute(sa.delete(images).where(images.c.id == image_id))
        else:
            connection.execute(
                sa.update(images).where(images.c.id == image_id).values(position=position)
            )
    with op.batch_alter_table('product_images', schema=None) as batch_op:
        batch_op.create_unique_constraint(
            'uq_product_images_position', ['product_id', 'position']
        )
        batch_op.create_check_constraint('position_range', 'position BETWEEN 0 AND 7')


def downgrade():
    with op.batch_alter_table('product_images', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_product_images_position_range'), type_='check')
        batch_op.drop_constraint('uq_product_images_position', type_='unique')
