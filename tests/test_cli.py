from sqlalchemy import func, select

from storefront.accounts.models import User
from storefront.catalog.models import Certificate, Product
from storefront.delivery.models import DeliveryRate
from storefront.extensions import db
from storefront.inventory.models import StockLevel, StockMovement
from storefront.office.models import ProgrammePlan
from storefront.register.models import NATIONAL_SOURCE, Region
from tests.factories import make_producer, make_showroom


def test_seed_demo_loads_the_programme_data_once(runner, app_ctx):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "office@ocop.demo" in first.output  # demo accounts are printed
    products = db.session.scalar(select(func.count(Product.id)))
    assert products >= 24
    vingin = db.session.scalar(select(Product).where(Product.name.like("%Vingin%")))
    assert vingin.group == "herbal"
    assert vingin.certificates[0].stars == 4
    assert vingin.is_demo
    assert vingin.certificates[0].is_demo
    assert db.session.scalar(select(func.count()).where(Certificate.status == "revoked")) == 1
    plan = db.session.scalar(select(ProgrammePlan))  # the office's table, not the demo's file
    assert plan.number == "908/KH-UBND"
    assert plan.products_3_star_plus == 250
    assert plan.cooperative_share_pct == 50
    assert plan.modern_channels_high_pct == 30

    # Delivery: today's national units, a fee table, and a plausible weight for every product.
    national = select(func.count()).select_from(Region).where(Region.source == NATIONAL_SOURCE)
    assert db.session.scalar(national.where(Region.kind == "province")) == 34
    assert db.session.scalar(select(func.count()).select_from(DeliveryRate)) == 12
    weights = db.session.scalars(select(Product.shipping_weight_grams)).all()
    assert all(100 <= grams <= 5000 for grams in weights), weights

    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert "already" in second.output
    assert db.session.scalar(select(func.count(Product.id))) == products


def test_seeded_stock_agrees_with_its_ledger(runner, app_ctx):
    runner.invoke(args=["seed-demo"])
    ledger = dict(
        db.session.execute(
            select(
                StockMovement.product_id * 10000 + StockMovement.location_id,
                func.sum(StockMovement.delta),
            ).group_by(StockMovement.product_id, StockMovement.location_id)
        ).all()
    )
    levels = db.session.scalars(select(StockLevel)).all()
    assert levels
    for level in levels:
        assert ledger.get(level.product_id * 10000 + level.location_id, 0) == level.quantity


def test_create_user_binds_a_producer_account(runner, app_ctx):
    make_producer("KORA")
    result = runner.invoke(
        args=[
            "create-user",
            "Chu@Kora.vn",
            "--role",
            "producer",
            "--producer",
            "KORA",
            "--password",
            "mat-khau-dai",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).filter_by(email="chu@kora.vn"))
    assert user.producer.code == "KORA"
    assert user.check_password("mat-khau-dai")


def test_create_user_binds_staff_to_a_showroom(runner, app_ctx):
    make_showroom("SR-KT")
    result = runner.invoke(
        args=[
            "create-user",
            "nv@ocop.vn",
            "--role",
            "staff",
            "--showroom",
            "SR-KT",
            "--password",
            "mat-khau-dai",
        ]
    )
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    user = db.session.scalar(select(User).filter_by(email="nv@ocop.vn"))
    assert user.role == "staff"
    assert user.producer is None
    assert user.showroom.code == "SR-KT"
    assert user.check_password("mat-khau-dai")


def test_create_user_refuses_bad_input_and_changes_nothing(runner, app_ctx):
    cases = [
        ["not-an-email", "--role", "office", "--password", "mat-khau-dai"],
        ["a@b.vn", "--role", "producer", "--password", "mat-khau-dai"],
        ["a@b.vn", "--role", "producer", "--producer", "NOPE", "--password", "mat-khau-dai"],
        ["a@b.vn", "--role", "staff", "--password", "mat-khau-dai"],
        ["a@b.vn", "--role", "office", "--producer", "X", "--password", "mat-khau-dai"],
        ["a@b.vn", "--role", "office", "--password", "short"],
        ["a@b.vn", "--role", "king", "--password", "mat-khau-dai"],
    ]
    for args in cases:
        result = runner.invoke(args=["create-user", *args])
        assert result.exit_code != 0, args
    assert db.session.scalar(select(func.count(User.id))) == 0

    runner.invoke(args=["create-user", "a@b.vn", "--role", "office", "--password", "mat-khau-dai"])
    again = runner.invoke(
        args=["create-user", "A@B.vn", "--role", "office", "--password", "mat-khau-dai"]
    )
    assert again.exit_code != 0
    assert db.session.scalar(select(func.count(User.id))) == 1
