"""The synthetic catalogue used by the benchmarks: searchable, certified, clearly marked."""

from sqlalchemy import func, select

from storefront.catalog import listing
from storefront.catalog.models import Certificate, Product
from storefront.clock import today
from storefront.extensions import db
from storefront.inventory.models import LocationKind, StockLevel, StockLocation, StockMovement
from storefront.register.models import Producer, Showroom


def test_seed_synthetic_adds_searchable_certified_products_marked_as_such(runner, app_ctx):
    result = runner.invoke(args=["seed-synthetic", "--products", "300"])
    assert result.exit_code == 0, result.output
    assert "300 / 300 products" in result.output
    assert db.session.query(Product).filter(Product.code.like("SYN%")).count() == 300
    assert all("dữ liệu tổng hợp" in p.name for p in db.session.query(Producer))
    page = listing.list_products(listing.CatalogFilters(), today(), 10)
    assert page.total == 300  # every one certified and listed
    sam_day = listing.list_products(listing.CatalogFilters(q="sam day"), today(), 10)
    assert 0 < sam_day.total < 30
    runner.invoke(args=["seed-synthetic", "--products", "50"])  # adds more, new codes
    assert db.session.query(Product).count() == 350


def test_synthetic_products_have_stock_shelves_and_certificate_history(runner, app_ctx):
    result = runner.invoke(args=["seed-synthetic", "--products", "600"])
    assert result.exit_code == 0, result.output
    showrooms = db.session.scalars(select(Showroom).where(Showroom.code.like("SYN%"))).all()
    assert len(showrooms) >= 3
    assert all("dữ liệu tổng hợp" in s.name for s in showrooms)
    in_warehouse = db.session.scalar(
        select(func.count(func.distinct(StockLevel.product_id)))
        .join(StockLocation)
        .where(StockLocation.kind == LocationKind.WAREHOUSE)
    )
    on_shelf = db.session.scalar(
        select(func.count(func.distinct(StockLevel.product_id)))
        .join(StockLocation)
        .where(StockLocation.kind == LocationKind.SHOWROOM)
    )
    assert 400 < in_warehouse < 600
    assert 100 < on_shelf < 350
    # The ledger explains every level: per (product, location) the deltas sum to the quantity.
    ledger = dict(
        db.session.execute(
            select(
                StockMovement.product_id * 100_000 + StockMovement.location_id,
                func.sum(StockMovement.delta),
            ).group_by(StockMovement.product_id, StockMovement.location_id)
        ).all()
    )
    levels = db.session.scalars(select(StockLevel)).all()
    assert {lv.product_id * 100_000 + lv.location_id: lv.quantity for lv in levels} == ledger
    superseded = db.session.scalar(
        select(func.count()).select_from(Certificate).where(Certificate.status == "superseded")
    )
    assert 40 < superseded < 200
    # A shelf filter finds products on that showroom's shelf.
    page = listing.list_products(listing.CatalogFilters(showroom=showrooms[0].code), today(), 10)
    assert page.total > 0
