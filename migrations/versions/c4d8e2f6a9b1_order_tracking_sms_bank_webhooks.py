"""orders a customer can follow, SMS, transfers confirmed by themselves

Revision ID: c4d8e2f6a9b1
Revises: c4d8e2a6b1f3
Create Date: 2026-11-30 15:45:00

- carriers: the delivery companies whose tracking page a parcel's number opens (URL templates
  the office edits), seeded with GHN, GHTK, Viettel Post, VNPost and J&T Express;
- outbox_messages.channel (email | sms) and provider_id: text messages go through the outbox;
- reset_codes: six-digit password-reset codes sent by SMS (only a keyed hash is kept);
- bank_notifications: each transfer SePay or Casso reported, once per transaction id;
- payments.order_id may be empty: a transfer that names no order is kept for review.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c4d8e2f6a9b1'
down_revision = "c4d8e2a6b1f3"
branch_labels = None
depends_on = None

# Public tracking pages; {code} is the parcel's tracking number. The office may change them.
CARRIERS = [
    ("ghn", "GHN (Giao Hàng Nhanh)", "https://donhang.ghn.vn/?order_code={code}",
     "giao hang nhanh,ghn express"),
    ("ghtk", "GHTK (Giao Hàng Tiết Kiệm)", "https://i.ghtk.vn/{code}", "giao hang tiet kiem"),
    ("viettelpost", "Viettel Post",
     "https://viettelpost.com.vn/tra-cuu-hanh-trinh-don/?key={code}", "vtp,viettel"),
    ("vnpost", "VNPost (Bưu điện)", "https://vnpost.vn/tra-cuu-hanh-trinh/buu-pham?key={code}",
     "vietnam post,buu dien,ems"),
    ("jt", "J&T Express", "https://jtexpress.vn/vi/tracking?type=track&billcode={code}",
     "j&t,jt express,jnt"),
]


def upgrade():
    carriers = op.create_table(
        'carriers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=16), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('tracking_url', sa.String(length=500), nullable=False),
        sa.Column('aliases', sa.String(length=300), server_default='', nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_carriers')),
        sa.UniqueConstraint('code', name=op.f('uq_carriers_code')),
    )
    op.bulk_insert(
        carriers,
        [
            {"code": code, "name": name, "tracking_url": url, "aliases": aliases}
            for code, name, url, aliases in CARRIERS
        ],
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('channel', sa.String(length=8), server_default='email', nullable=False)
        )
        batch_op.add_column(sa.Column('provider_id', sa.String(length=100), nullable=True))
    op.create_table(
        'reset_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_digest', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('failed_tries', sa.Integer(), server_default='0', nullable=False),
        sa.Column('spent_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reset_codes_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reset_codes')),
    )
    with op.batch_alter_table('reset_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reset_codes_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.alter_column('order_id', existing_type=sa.Integer(), nullable=True)
    op.create_table(
        'bank_notifications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('provider', sa.String(length=16), nullable=False),
        sa.Column('transaction_id', sa.String(length=100), nullable=False),
        sa.Column('amount_vnd', sa.BigInteger(), nullable=False),
        sa.Column('content', sa.String(length=500), nullable=False),
        sa.Column('account_number', sa.String(length=64), nullable=True),
        sa.Column('bank_reference', sa.String(length=100), nullable=True),
        sa.Column('outcome', sa.String(length=16), nullable=False),
        sa.Column('payment_id', sa.Integer(), nullable=True),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_bank_notifications_payment_id_payments')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_notifications')),
        sa.UniqueConstraint('provider', 'transaction_id', name='uq_bank_notifications_transaction'),
    )


def downgrade():
    op.drop_table('bank_notifications')
    op.execute("DELETE FROM payments WHERE order_id IS NULL")
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.alter_column('order_id', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('reset_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reset_codes_user_id'))
    op.drop_table('reset_codes')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('provider_id')
        batch_op.drop_column('channel')
    op.drop_table('carriers')
