"""The office's plans: targets per unit of today (programme_unit_targets); a certificate keeps
the scan of its decision (PDF or picture).

Revision ID: c17a0b3e5d21
Revises: b5a98b3c6077
"""

import sqlalchemy as sa
from alembic import op

revision = "c17a0b3e5d21"
down_revision = "b5a98b3c6077"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "programme_unit_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(length=32), nullable=False),
        sa.Column("target", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["programme_plans.id"],
            name=op.f("fk_programme_unit_targets_plan_id_programme_plans"),
        ),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_programme_unit_targets_region_id_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_unit_targets")),
        sa.UniqueConstraint("plan_id", "region_id", "indicator", name="uq_programme_unit_target"),
    )
    op.create_index(
        op.f("ix_programme_unit_targets_plan_id"), "programme_unit_targets", ["plan_id"]
    )
    with op.batch_alter_table("certificates") as batch:
        batch.add_column(sa.Column("decision_scan", sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table("certificates") as batch:
        batch.drop_column("decision_scan")
    op.drop_index(op.f("ix_programme_unit_targets_plan_id"), table_name="programme_unit_targets")
    op.drop_table("programme_unit_targets")
