import json

import pytest
from sqlalchemy import select

from storefront.audit.models import AuditEntry
from storefront.catalog import pricing
from storefront.catalog.models import PriceChange, Product
from storefront.domain import NotFound
from storefront.extensions import db
from storefront.office import products as office_products
from storefront.producers import products as portal
from tests.factories import make_producer, make_product, make_user


def _written(product: Product) -> tuple[dict, dict]:
    """The price history row and the audit entry a price change of ``product`` left behind."""
    change = db.session.scalar(select(PriceChange).where(PriceChange.product_id == product.id))
    entry = db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "price.changed", AuditEntry.subject.contains(product.code)
        )
    )
    return (
        {
            "old": change.old_price_vnd,
            "new": change.new_price_vnd,
            "actor_id": change.actor_id,
            "actor_name": change.actor_name,
        },
        {
            "area": entry.area,
            "subject": entry.subject,
            "before": json.loads(entry.before),
            "after": json.loads(entry.after),
            "note": entry.note,
            "actor_name": entry.actor_name,
        },
    )


def test_the_portal_and_the_office_write_the_same_price_history_and_audit(app_ctx):
    producer = make_producer("KORA")
    owner = make_user("kora@example.vn", role="producer", producer_code="KORA", name="Chị Hoa")
    officer = make_user("lan@ocop.gov.vn", role="office", name="Chị Lan")
    by_portal = make_product(name="Rượu sim", producer=producer, price_vnd=450000, is_demo=True)
    by_office = make_product(name="Rượu sim", producer=producer, price_vnd=450000, is_demo=True)

    portal.change_price(owner, by_portal.id, "480.000", by_portal.version)
    office_products.update_product(
        officer,
        by_office.code,
        office_products.ProductFields(
            name=by_office.name,
            producer="KORA",
            group=by_office.group,
            unit=by_office.unit,
            price="480000",
            description=by_office.description or "",
        ),
        by_office.version,
    )
    db.session.commit()

    portal_change, portal_entry = _written(by_portal)
    office_change, office_entry = _written(by_office)
    assert portal_change == {
        "old": 450000,
        "new": 480000,
        "actor_id": owner.id,
        "actor_name": "Chị Hoa",
    }
    assert office_change == {**portal_change, "actor_id": officer.id, "actor_name": "Chị Lan"}
    assert portal_entry == {
        "area": "price",
        "subject": f"Rượu sim ({by_portal.code})",
        "before": {"price_vnd": 450000},
        "after": {"price_vnd": 480000},
        "note": None,
        "actor_name": "Chị Hoa",
    }
    assert office_entry == {
        **portal_entry,
        "subject": f"Rượu sim ({by_office.code})",
        "actor_name": "Chị Lan",
    }
    # A price someone set is real, whichever portal set it; the shop shows it.
    assert (by_portal.is_demo, by_office.is_demo) == (False, False)
    assert (by_portal.price_vnd, by_office.price_vnd) == (480000, 480000)


def test_a_producer_cannot_change_another_producers_price(app_ctx):
    make_producer("KORA")
    owner = make_user("kora@example.vn", role="producer", producer_code="KORA")
    other = make_product(price_vnd=450000)
    with pytest.raises(NotFound):
        pricing.change_price(owner, other.id, 1000, other.version)
    db.session.rollback()
    assert db.session.get(Product, other.id).price_vnd == 450000
    assert db.session.scalar(select(PriceChange)) is None
