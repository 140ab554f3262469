"""national regions apart, delivery fee rules, saved addresses, each parcel's fee

Revision ID: d15a0c2e7b41
Revises: c4d8e2f6a9b1
Create Date: 2026-11-30 15:30:00

regions.source tells the country's units since 1 July 2025 (loaded by `flask regions sync`) from
the programme's own. delivery_rates: the office's fee per parcel by zone and weight band (set at
/office/giao-hang; none set: the flat SHIPPING_FEE_VND). saved_addresses: a signed-in
customer's delivery addresses. order_parts keep the fee and days quoted for each parcel.
"""

import sqlalchemy as sa
from alembic import op


revision = "d15a0c2e7b41"
down_revision = "c4d8e2f6a9b1"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=16), nullable=True))
        batch_op.create_index(batch_op.f("ix_regions_source"), ["source"], unique=False)

    op.create_table(
        "delivery_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("zone", sa.String(length=16), nullable=False),
        sa.Column("max_grams", sa.Integer(), nullable=False),
        sa.Column("fee_vnd", sa.Integer(), nullable=False),
        sa.Column("days_min", sa.Integer(), nullable=False),
        sa.Column("days_max", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "days_min >= 0 AND days_max >= days_min", name=op.f("ck_delivery_rates_days_in_order")
        ),
        sa.CheckConstraint("fee_vnd >= 0", name=op.f("ck_delivery_rates_fee_not_negative")),
        sa.CheckConstraint("max_grams > 0", name=op.f("ck_delivery_rates_band_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_rates")),
        sa.UniqueConstraint("zone", "max_grams", name="uq_delivery_rates_band"),
    )

    op.create_table(
        "saved_addresses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=False),
        sa.Column("contact_phone", sa.String(length=10), nullable=False),
        sa.Column("province_id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("address_line", sa.String(length=300), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["regions.id"], name=op.f("fk_saved_addresses_commune_id_regions")
        ),
        sa.ForeignKeyConstraint(
            ["province_id"], ["regions.id"], name=op.f("fk_saved_addresses_province_id_regions")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_saved_addresses_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_addresses")),
        sa.UniqueConstraint(
            "user_id", "commune_id", "address_line", name="uq_saved_addresses_place"
        ),
    )
    with op.batch_alter_table("saved_addresses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_saved_addresses_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("order_parts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("shipping_vnd", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("days_min", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("days_max", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("order_parts", schema=None) as batch_op:
        batch_op.drop_column("days_max")
        batch_op.drop_column("days_min")
        batch_op.drop_column("shipping_vnd")
    with op.batch_alter_table("saved_addresses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_saved_addresses_user_id"))
    op.drop_table("saved_addresses")
    op.drop_table("delivery_rates")
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_regions_source"))
        batch_op.drop_column("source")
