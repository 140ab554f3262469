"""The programme's plans as the office keeps them: recorded, edited with their history, targets
per unit of today, the plan in force on the dashboard, ended plans with their final figures, and
the KPI report a province hands in (print view and XLSX)."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from storefront import clock
from storefront.audit.models import AuditEntry
from storefront.extensions import db
from storefront.office import plans
from storefront.office.errors import OfficeError
from storefront.office.models import ProgrammePlan
from tests.factories import make_certificate, make_product, make_region, make_showroom


def plan_form(**changes):
    year = clock.today().year
    values = {
        "number": "15/KH-UBND",
        "title": "Kế hoạch OCOP 2026–2030",
        "period_start": f"{year}-01-01",
        "period_end": f"{year + 4}-12-31",
        "products_3_star_plus": "300",
        "products_5_star": "12",
        "cooperative_share_pct": "50",
        "sme_share_pct": "30",
        "modern_channels_low_pct": "20",
        "modern_channels_high_pct": "30",
    }
    values.update(changes)
    return values


def test_the_office_records_a_plan_and_the_dashboard_shows_it_in_force(office_client):
    assert "Không có kế hoạch" in office_client.get("/office/").text
    response = office_client.post("/office/plans", data=plan_form())
    assert response.status_code == 302
    plan = db.session.scalar(select(ProgrammePlan))
    assert (plan.number, plan.products_3_star_plus) == ("15/KH-UBND", 300)
    dashboard = office_client.get("/office/").text
    assert "Kế hoạch đang có hiệu lực: Kế hoạch OCOP 2026–2030" in dashboard
    assert f"/office/plans/{plan.id}" in dashboard


def test_an_edit_is_kept_in_the_plans_history(office_client):
    office_client.post("/office/plans", data=plan_form())
    plan = db.session.scalar(select(ProgrammePlan))
    office_client.post(f"/office/plans/{plan.id}", data=plan_form(products_5_star="15"))
    db.session.refresh(plan)
    assert plan.products_5_star == 15
    page = office_client.get(f"/office/plans/{plan.id}").text
    assert "Sửa kế hoạch" in page
    assert "Sản phẩm đạt 5 sao: 12 → 15" in page
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["plan.created", "plan.edited"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"period_end": "2020-01-01"}, "period_end"),
        ({"cooperative_share_pct": "120"}, "cooperative_share_pct"),
        ({"modern_channels_low_pct": "40"}, "modern_channels_high_pct"),
        ({"number": ""}, "number"),
    ],
)
def test_an_impossible_plan_is_refused_and_nothing_is_stored(office_client, changes, field):
    response = office_client.post("/office/plans", data=plan_form(**changes))
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(ProgrammePlan.id))) == 0


def test_targets_are_set_per_unit_of_today_never_per_abolished_district(officer):
    today = clock.today()
    province = make_region("QNG", "Tỉnh Quảng Ngãi")
    commune = make_region("XDG", "Xã Đăk Glei", kind="commune", parent=province)
    district = make_region(
        "HDG", "Huyện Đăk Glei", kind="district", valid_to=date(2025, 6, 30), successor=commune
    )
    plan = plans.save_plan(officer, None, plans.PlanFields(**plan_form()))
    with pytest.raises(OfficeError, match="không còn tồn tại") as refused:
        plans.set_unit_target(officer, plan.id, district.code, "showrooms", "1", today)
    assert refused.value.field == "region"
    plans.set_unit_target(officer, plan.id, commune.code, "showrooms", "2", today)
    make_showroom(region=commune)
    db.session.commit()
    [progress] = plans_progress(plan, today)
    assert (progress.unit, progress.target, progress.actual) == ("Xã Đăk Glei", 2, 1)


def plans_progress(plan, today):
    from storefront.office.programme import unit_progress

    return unit_progress(plan, today)


def test_an_ended_plan_keeps_its_final_figures(office_client, officer):
    old = plans.save_plan(
        officer,
        None,
        plans.PlanFields(
            **plan_form(
                number="908/KH-UBND",
                title="Kế hoạch 908/KH-UBND",
                period_start="2021-01-01",
                period_end="2025-12-31",
                products_3_star_plus="2",
            )
        ),
    )
    db.session.commit()
    during = make_product("Sâm dây", stars=None)
    make_certificate(during, stars=4, issued_on=date(2025, 3, 1))
    after = make_product("Cà phê", stars=None)
    make_certificate(after, stars=3, issued_on=date(2026, 2, 1))  # after the plan ended
    page = office_client.get(f"/office/plans/{old.id}").text
    assert "đã kết thúc ngày 31/12/2025; số liệu cuối kỳ" in page
    report = office_client.get(f"/office/plans/{old.id}/report").text
    assert "Sâm dây" in report
    assert "Cà phê" not in report  # certified after the plan's last day


def test_the_kpi_report_has_the_provinces_heading_targets_gaps_and_the_list(office_client, officer):
    plan = plans.save_plan(officer, None, plans.PlanFields(**plan_form(products_5_star="3")))
    db.session.commit()
    make_product("Sâm Ngọc Linh", stars=5, group="herbal")
    make_product("Trà dây", stars=3, group="food")
    page = office_client.get(f"/office/plans/{plan.id}/report").text
    assert "UBND TỈNH QUẢNG NGÃI" in page
    assert "Thời kỳ 01/01/" in page
    assert "Còn thiếu" in page
    assert "Sản phẩm được công nhận theo số sao và nhóm" in page
    workbook = load_workbook(
        io.BytesIO(office_client.get(f"/office/plans/{plan.id}/report.xlsx").data)
    )
    assert workbook.sheetnames == ["Chỉ tiêu", "Theo sao và nhóm", "Sản phẩm được công nhận"]
    targets = workbook["Chỉ tiêu"]
    assert targets["A1"].value == "UBND TỈNH QUẢNG NGÃI"
    rows = [[c.value for c in row] for row in targets.iter_rows(min_row=7)]
    five_star = next(r for r in rows if r[0] == "Sản phẩm đạt 5 sao")
    assert five_star[1:4] == [1, "≥ 3", 2]  # now, target, gap
    listed = [
        [c.value for c in row] for row in workbook["Sản phẩm được công nhận"].iter_rows(min_row=7)
    ]
    assert [r[1] for r in listed] == ["Sâm Ngọc Linh", "Trà dây"]  # by stars, then group
