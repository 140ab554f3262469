"""The synthetic catalogue used by the benchmarks: searchable, certified, clearly marked."""

from storefront.catalog import services
from storefront.catalog.models import Producer, Product
from storefront.clock import today
from storefront.extensions import db


def test_seed_synthetic_adds_searchable_certified_products_marked_as_such(runner, app_ctx):
    result = runner.invoke(args=["seed-synthetic", "--products", "300"])
    assert result.exit_code == 0, result.output
    assert "300 / 300 products" in result.output
    assert db.session.query(Product).filter(Product.code.like("SYN%")).count() == 300
    assert all("dữ liệu tổng hợp" in p.name for p in db.session.query(Producer))
    page = services.list_products(services.CatalogFilters(), today(), 10)
    assert page.total == 300  # every one certified and listed
    sam_day = services.list_products(services.CatalogFilters(q="sam day"), today(), 10)
    assert 0 < sam_day.total < 30
    runner.invoke(args=["seed-synthetic", "--products", "50"])  # adds more, new codes
    assert db.session.query(Product).count() == 350
