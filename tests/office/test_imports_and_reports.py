import io
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import func, select

from storefront import clock
from storefront.audit.models import AuditEntry
from storefront.catalog.models import Product
from storefront.extensions import db
from storefront.office import imports, programme, programme_reports
from storefront.office.csvfiles import MAX_ROWS
from storefront.office.models import ProgrammePlan
from storefront.register.models import Producer
from tests.factories import (
    make_certificate,
    make_producer,
    make_product,
    make_region,
    make_showroom,
)

PRODUCERS_CSV = (
    "code;name;legal_form;region;email\n"
    "HTX-A;HTX Sâm Ngọc Linh;HTX;KT-TMR;a@example.vn\n"
    "DN-B;Công ty Cà phê Đăk Hà;doanh nghiệp;KT-DH;\n"
)


def upload(client, kind, text, name="file.csv"):
    data = text.encode("utf-8-sig") if isinstance(text, str) else text
    return client.post(
        f"/office/import/{kind}",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def token_of(page: str) -> str:
    return page.split('name="token" type="hidden" value="')[1].split('"')[0]


def test_producers_are_checked_then_imported_with_progress(office_client):
    make_region("KT-TMR", kind="district")
    make_region("KT-DH", kind="district")
    checked = upload(office_client, "producers", PRODUCERS_CSV)
    assert checked.status_code == 200
    assert "2" in checked.text
    assert (
        db.session.scalar(select(func.count(Producer.id))) == 0
    )  # nothing before the confirmation

    done = office_client.post(
        "/office/import/producers/confirm", data={"token": token_of(checked.text)}
    )
    page = done.get_data(as_text=True)
    assert done.status_code == 200
    assert 'id="import-done"' in page
    assert "<progress" in page
    forms = dict(db.session.execute(select(Producer.code, Producer.legal_form)).all())
    assert forms == {"HTX-A": "cooperative", "DN-B": "enterprise"}
    assert (
        db.session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "producer.created")
        )
        == 2
    )
    # The same file again: the codes are taken now.
    again = office_client.post(
        "/office/import/producers/confirm", data={"token": token_of(checked.text)}
    )
    assert again.status_code == 400


def test_a_csv_with_broken_rows_reports_each_by_row_and_column_and_imports_nothing(office_client):
    make_region("KT-DH", kind="district")
    make_producer("KORA")
    text = (
        "name,producer,group,unit,price\n"
        "Cà phê Arabica,KORA,food,túi 500g,210000\n"
        "Sâm,NOBODY,medicine,,abc\n"
        "Mật ong,KORA,thực phẩm,chai,-5\n"
    )
    response = upload(office_client, "products", text)
    assert response.status_code == 400
    rows = {
        (int(r), c)
        for r, c in __import__("re").findall(
            r'<td class="num">(\d+)</td><td><code>(\w+)</code>', response.text
        )
    }
    assert rows == {
        (3, "producer"),
        (3, "group"),
        (3, "unit"),
        (3, "price"),
        (4, "price"),
    }
    assert db.session.scalar(select(func.count(Product.id))) == 0


def test_a_barcode_taken_or_repeated_in_the_file_is_reported(officer):
    make_product(ean="8938505974019")
    text = (
        "name,producer,group,unit,price,ean\n"
        "Cà phê,{p},food,túi,1000,8938505974019\n"
        "Trà,{p},food,hộp,1000,8938505974026\n"
        "Mật ong,{p},food,chai,1000,8938505974026\n"
    )
    code = make_producer().code
    checked = imports.check("products", text.format(p=code).encode())
    assert [(e.row, e.column) for e in checked.errors] == [(2, "ean"), (4, "ean")]


def test_a_barcode_with_a_wrong_check_digit_is_refused_and_a_upc_a_is_kept_as_its_ean13(officer):
    text = (
        "name,producer,group,unit,price,ean\n"
        "Cà phê,{p},food,túi,1000,8938505974018\n"  # one digit mistyped
        "Trà,{p},food,hộp,1000,036000291452\n"  # a UPC-A
        "Mật ong,{p},food,chai,1000,893850597\n"  # too short
    )
    checked = imports.check("products", text.format(p=make_producer().code).encode())
    assert [(e.row, e.column) for e in checked.errors] == [(2, "ean"), (4, "ean")]
    assert "check digit" in checked.errors[0].message


def test_products_import_all_or_nothing(officer):
    make_producer("KORA")
    text = "name,producer,group,unit,price,ean\n" + "".join(
        f"Sản phẩm {n},KORA,food,hộp,{10000 + n},\n" for n in range(250)
    )
    checked = imports.check("products", text.encode())
    assert checked.ok
    progress = list(imports.run(officer, checked))
    db.session.commit()
    assert progress == [100, 200, 250]
    assert db.session.scalar(select(func.count(Product.id))) == 250


def test_whole_file_problems_are_reported_plainly(office_client):
    assert "name, producer" in upload(office_client, "products", "nom,prix\nx,1\n").text
    assert "UTF-8" in upload(office_client, "products", "name,producer\n".encode("utf-16")).text
    many = "name,producer,group,unit,price\n" + "x,K,food,hộp,1\n" * (MAX_ROWS + 1)
    assert str(MAX_ROWS) in upload(office_client, "products", many).text
    assert office_client.get("/office/import/nothing").status_code == 404


def test_kpis_count_products_by_stars_and_producers_by_legal_form(app_ctx):
    district = make_region("KT-DH", "Huyện Đăk Hà", kind="district")
    ward = make_region("KT-DH-1", "Thị trấn Đăk Hà", kind="ward", parent=district)
    coop = make_producer(legal_form="cooperative", region=ward)
    firm = make_producer(legal_form="enterprise", region=district)
    make_producer(legal_form="household", region=district)
    make_product(producer=coop, stars=3)
    make_product(producer=coop, stars=5)
    make_product(producer=firm, stars=4, listed=False)
    revoked = make_product(producer=firm, stars=None)
    make_certificate(revoked, status="revoked")
    make_showroom(region=district)
    today = clock.today()

    # 3★+, 5★, cooperatives %, enterprises %, selling here % (only the cooperative is listed).
    now = [row[1] for row in programme.programme_kpis(today).rows]
    assert now == [3, 1, 33.3, 33.3, 33.3]
    assert programme_reports.products_by_stars(today).rows == [["3★", 1], ["4★", 1], ["5★", 1]]
    assert programme_reports.products_by_region(today).rows == [
        ["Huyện Đăk Hà", 3]
    ]  # the ward counts for its district
    history = programme_reports.history(today).rows
    assert history[-1][0] == today.year
    assert history[-1][2] == 3


def add_plan(number="908/KH-UBND", start=date(2021, 1, 1), **targets):
    plan = ProgrammePlan(
        number=number,
        title=f"Kế hoạch {number}",
        period_start=start,
        period_end=date(start.year + 4, 12, 31),
        **{
            "products_3_star_plus": 2,
            "products_5_star": 10,
            "cooperative_share_pct": 50,
            "sme_share_pct": 30,
            "modern_channels_low_pct": 20,
            "modern_channels_high_pct": 30,
            "showrooms_per_district": 1,
            **targets,
        },
    )
    db.session.add(plan)
    db.session.commit()
    return plan


def test_the_indicators_are_measured_against_the_plan_in_force(app_ctx):
    coop = make_producer(legal_form="cooperative")
    make_product(producer=coop, stars=3)
    make_product(producer=coop, stars=4)
    this_year = clock.today().year
    add_plan("1/KH-UBND", date(2016, 1, 1), products_3_star_plus=1)  # ended 2020
    add_plan("908/KH-UBND", date(this_year - 1, 1, 1))  # in force until next year's end
    add_plan("9/KH-UBND", date(this_year + 2, 1, 1), products_3_star_plus=99)  # not begun
    kpis = programme.programme_kpis(clock.today())
    assert kpis.note.startswith("Kế hoạch 908/KH-UBND, hiệu lực")
    assert kpis.rows[0][1:] == [2, "≥ 2", 0, "đạt"]
    assert kpis.rows[1][1:] == [0, "≥ 10", 10, "chưa đạt"]
    assert kpis.rows[2][1:] == [100.0, "≥ 50%", 0, "đạt"]
    assert kpis.rows[4][2] == "20%–30%"
    assert kpis.chart["datasets"][1]["data"] == [2, 10]


def test_without_a_plan_in_force_the_dashboard_says_so_and_still_measures(office_client):
    make_product("Sâm dây", stars=4)
    page = office_client.get("/office/")
    assert page.status_code == 200
    assert "Không có kế hoạch chương trình nào đang có hiệu lực" in page.text
    add_plan("908/KH-UBND", date(2021, 1, 1))  # 2021–2025: ended
    page = office_client.get("/office/").text
    assert "Không có kế hoạch nào có hiệu lực vào ngày" in page
    assert "908/KH-UBND" in page  # named as the last one, with its end
    reports_page = office_client.get("/office/reports")
    assert reports_page.status_code == 200
    assert "không có kế hoạch có hiệu lực" in reports_page.text
    add_plan("15/KH-UBND", date(clock.today().year, 1, 1))
    assert "Kế hoạch đang có hiệu lực: Kế hoạch 15/KH-UBND" in office_client.get("/office/").text


def test_every_report_exports_as_csv_and_xlsx(office_client):
    make_product("Sâm dây", stars=4)
    for name in programme_reports.REPORTS:
        csv = office_client.get(f"/office/reports/{name}.csv")
        assert csv.status_code == 200
        assert csv.data.startswith("\ufeff".encode())
        xlsx = office_client.get(f"/office/reports/{name}.xlsx")
        sheet = load_workbook(io.BytesIO(xlsx.data)).active
        assert sheet["A1"].value
        assert sheet.max_row >= 2
    stars = load_workbook(io.BytesIO(office_client.get("/office/reports/stars.xlsx").data)).active
    assert [c.value for c in stars[4]] == ["4★", 1]
    assert office_client.get("/office/reports/nothing.csv").status_code == 404


def test_reports_page_has_a_table_under_every_chart_and_a_print_view(office_client):
    make_product("Sâm dây", stars=4)
    page = office_client.get("/office/reports").text
    assert page.count("<canvas") == page.count('type="application/json"') >= 5
    assert page.count('class="table report-table"') == len(programme_reports.REPORTS)
    assert "vendor/chartjs/chart.umd.min.js" in page
    assert "<script>" not in page
    assert "print-view" in office_client.get("/office/reports?print=1").text


def test_the_audit_log_is_searchable_and_exports_csv(office_client, officer):
    product = make_product("Mật ong rừng", stars=4)
    office_client.post(
        f"/office/products/{product.code}/listing", data={"listed": "0", "reason": "Sai nhãn"}
    )
    other = make_product("Cà phê", stars=4)
    office_client.post(
        f"/office/products/{other.code}/listing", data={"listed": "0", "reason": "Hết hàng"}
    )
    page = office_client.get("/office/audit?q=mat ong").text.split("<tbody>")[1]
    assert "Mật ong rừng" in page
    assert "Cà phê" not in page
    csv = office_client.get("/office/audit?format=csv&area=listing").get_data(as_text=True)
    assert csv.count("product.unlisted") == 2
    assert "Chị Lan" in csv


def test_form_fields_carry_no_attribute_without_a_value(office_client):
    page = office_client.get("/office/import/producers").text
    assert 'type="file"' in page
    assert '="None"' not in page
