"""Vietnam's units since 1 July 2025 from the vietnam-provinces package: loaded apart from the
programme's own, kept in step by `flask regions sync`, and every province deliverable to."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from storefront.extensions import db
from storefront.folding import fold
from storefront.orders.models import Order
from storefront.register import national
from storefront.register.models import NATIONAL_SOURCE, Region
from tests.checkout_helpers import add_to_cart, checkout
from tests.factories import make_product, make_region

TODAY = date(2026, 11, 30)


def national_count(kind_in: tuple[str, ...]) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Region)
        .where(Region.source == NATIONAL_SOURCE, Region.kind.in_(kind_in))
    )


def test_sync_loads_34_provinces_and_3321_communes_once_and_leaves_the_programme_alone(
    app_ctx, runner
):
    kon_tum = make_region("KT", "Kon Tum", valid_to=date(2025, 6, 30))
    quang_ngai = make_region("QNG", "Quảng Ngãi", valid_from=date(2025, 7, 1))
    kon_tum.successor = quang_ngai
    db.session.commit()

    first = runner.invoke(args=["regions", "sync"])
    assert first.exit_code == 0, first.output
    assert "3355 added" in first.output
    assert national_count(("province",)) == 34
    assert national_count(("commune", "ward", "special_zone")) == 3321
    hanoi = db.session.scalar(select(Region).where(Region.code == "VN-01"))
    assert hanoi.name == "Thành phố Hà Nội"
    assert hanoi.valid_from == date(2025, 7, 1)
    hoan_kiem = db.session.scalar(select(Region).where(Region.code == "VN-00070"))
    assert (hoan_kiem.name, hoan_kiem.kind, hoan_kiem.parent) == ("Phường Hoàn Kiếm", "ward", hanoi)
    assert (
        db.session.scalar(
            select(func.count()).select_from(Region).where(Region.parent_id == hanoi.id)
        )
        == 126
    )

    second = runner.invoke(args=["regions", "sync"])
    assert second.exit_code == 0, second.output
    assert "already up to date" in second.output
    assert "3355 unchanged" in second.output
    assert db.session.scalar(select(func.count()).select_from(Region)) == 2 + 3355
    db.session.expire_all()
    assert kon_tum.successor.code == "QNG"
    assert kon_tum.source is None


def test_a_new_decree_renames_moves_and_closes_units_without_deleting_them(app_ctx):
    units = [
        national.Unit("VN-01", "Thành phố Hà Nội", "province", None),
        national.Unit("VN-04", "Cao Bằng", "province", None),
        national.Unit("VN-00070", "Phường Hoàn Kiếm", "ward", "VN-01"),
        national.Unit("VN-00100", "Xã Thử", "commune", "VN-01"),
    ]
    national.sync(TODAY, units)
    db.session.commit()
    changed = [
        units[0],
        units[1],
        national.Unit("VN-00070", "Phường Hoàn Kiếm Mới", "ward", "VN-01"),
        national.Unit("VN-00100", "Xã Thử", "commune", "VN-04"),
        national.Unit("VN-00200", "Xã Mới", "commune", "VN-04"),
    ]
    report = national.sync(TODAY, changed[:2] + changed[2:4] + changed[4:])
    assert report.added == ["VN-00200"]
    assert report.renamed == ["VN-00070: Phường Hoàn Kiếm → Phường Hoàn Kiếm Mới"]
    assert report.moved == ["VN-00100"]
    report = national.sync(TODAY, [u for u in changed if u.code != "VN-00200"])
    db.session.commit()
    assert report.closed == ["VN-00200: Xã Mới"]
    closed = db.session.scalar(select(Region).where(Region.code == "VN-00200"))
    assert closed.valid_to == date(2026, 11, 29)  # kept: orders may point at it


def test_every_province_and_a_sample_of_its_communes_can_be_chosen_and_stored(
    app_ctx, client, runner
):
    assert runner.invoke(args=["regions", "sync"]).exit_code == 0
    product = make_product(name="Cà phê Arabica", price_vnd=90_000, stock=100)
    provinces = db.session.scalars(
        select(Region).where(Region.source == NATIONAL_SOURCE, Region.kind == "province")
    ).all()
    assert len(provinces) == 34
    for province in provinces:
        communes = db.session.scalars(
            select(Region).where(Region.parent_id == province.id).order_by(Region.code)
        ).all()
        # The first commune by its id (the list), the last by its name as typed on a phone:
        # without accents, unless that would also be another commune's name.
        last = communes[-1]
        same_unaccented = [c for c in communes if fold(c.name) == fold(last.name)]
        typed = fold(last.name) if len(same_unaccented) == 1 else last.name.lower()
        for commune, value in ((communes[0], str(communes[0].id)), (last, typed)):
            add_to_cart(client, product)
            response = checkout(
                client,
                province=province.id,
                commune=value,
                address="Số 5, thôn Một",
            )
            assert response.status_code == 302, (province.name, commune.name)
            order = db.session.scalar(select(Order).order_by(Order.id.desc()))
            assert (order.province_id, order.commune_id) == (province.id, commune.id)
    assert db.session.scalar(select(func.count()).select_from(Order)) == 68
