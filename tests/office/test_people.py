"""Showrooms, administrative units and accounts as the office manages them."""

import re

import pytest
from sqlalchemy import func, select

from storefront.accounts.models import User
from storefront.audit.models import AuditEntry
from storefront.catalog.regions import covered_region_ids
from storefront.extensions import db
from storefront.office import regions, showrooms, users
from storefront.office.errors import OfficeError
from storefront.outbox.models import OutboxMessage
from storefront.register.models import Region
from storefront.register.showrooms import list_showrooms
from tests.factories import make_producer, make_region, make_showroom, make_user

REGION_CSV = """code,name,kind,parent,valid_from,valid_to,successor
QNG,Quảng Ngãi,province,,2025-07-01,,
KT,Kon Tum,province,,,30/06/2025,QNG
KT-DH,Huyện Đăk Hà,district,KT,,2025-06-30,
KT-DH-DM,Xã Đăk Mar,commune,KT-DH,,,
"""


def test_a_showroom_is_opened_edited_and_closed_with_a_reason(officer):
    region = make_region("KT-DG", kind="district")
    showroom = showrooms.create_showroom(
        officer, showrooms.ShowroomFields(code="sr-dg", name="Điểm bán Đăk Glei", region="KT-DG")
    )
    assert showroom.code == "SR-DG"
    assert showroom.region_id == region.id
    with pytest.raises(OfficeError):
        showrooms.set_open(officer, "SR-DG", False, "")
    showrooms.set_open(officer, "SR-DG", False, "Hết hợp đồng thuê")
    db.session.commit()
    assert "SR-DG" not in {s.code for s in list_showrooms()}


def test_staff_are_assigned_to_a_showroom_by_their_login(officer):
    showroom = make_showroom("SR-KT")
    person = make_user("nhan.vien@example.vn")
    users.assign_staff(officer, "SR-KT", "nhan.vien@example.vn")
    db.session.commit()
    assert (person.role, person.showroom_id) == ("staff", showroom.id)
    with pytest.raises(OfficeError):
        users.assign_staff(officer, "SR-KT", "nobody@example.vn")


def test_a_reform_sets_valid_to_and_successor_without_code(officer):
    old = make_region("KT", "Kon Tum")
    district = make_region("KT-DH", "Huyện Đăk Hà", kind="district", parent=old)
    new = regions.add_region(
        officer,
        regions.RegionFields(
            code="QNG", name="Quảng Ngãi", kind="province", valid_from="2025-07-01"
        ),
    )
    regions.update_region(
        officer,
        "KT",
        regions.RegionFields(
            code="KT", name="Kon Tum", kind="province", valid_to="30/06/2025", successor="QNG"
        ),
    )
    db.session.commit()
    assert district.id in covered_region_ids(list(db.session.scalars(select(Region))), "QNG")
    assert new.id != old.id


@pytest.mark.parametrize(
    ("code", "changes", "field"),
    [
        ("KT", {"parent": "KT-DH"}, "parent"),  # the province inside its own district
        ("KT", {"successor": "KT", "valid_to": "2025-06-30"}, "successor"),
        ("QNG", {"successor": "KT", "valid_to": "2025-06-30"}, "successor"),  # QNG → KT → QNG
        ("KT", {"valid_from": "2025-07-01", "valid_to": "2025-06-30"}, "valid_to"),
        ("KT", {"successor": "QNG"}, "valid_to"),
    ],
)
def test_region_cycles_and_backward_dates_are_refused(officer, code, changes, field):
    qng = make_region("QNG", "Quảng Ngãi")
    kt = make_region("KT", "Kon Tum", valid_to=None)
    make_region("KT-DH", kind="district", parent=kt)
    if code == "QNG":
        kt.successor, kt.valid_to = qng, __import__("datetime").date(2025, 6, 30)
        db.session.commit()
    region = db.session.scalar(select(Region).where(Region.code == code))
    values = {
        "code": region.code,
        "name": region.name,
        "kind": region.kind,
        "parent": "",
        "successor": "",
    }
    values.update(changes)
    with pytest.raises(OfficeError) as refused:
        regions.update_region(officer, code, regions.RegionFields(**values))
    assert refused.value.field == field


def test_a_region_tree_is_imported_from_csv(officer):
    added, updated, errors = regions.import_regions(officer, REGION_CSV.encode())
    db.session.commit()
    assert (added, updated, errors) == (4, 0, [])
    commune = db.session.scalar(select(Region).where(Region.code == "KT-DH-DM"))
    assert commune.parent.parent.successor.code == "QNG"
    # A second import of the same file updates, adds nothing.
    assert regions.import_regions(officer, REGION_CSV.encode())[:2] == (0, 4)


@pytest.mark.parametrize(
    ("bad_line", "row", "column"),
    [
        ("KT-X,Huyện X,galaxy,KT,,,", 6, "kind"),
        ("KT-X,Huyện X,district,NOWHERE,,,", 6, "parent"),
        ("KT,Kon Tum lần 2,province,,,,", 6, "code"),
        ("KT-Y,Huyện Y,district,KT-Z,,,\nKT-Z,Huyện Z,district,KT-Y,,,", 6, "parent"),
    ],
)
def test_a_region_csv_with_a_broken_row_or_a_cycle_changes_nothing(officer, bad_line, row, column):
    added, updated, errors = regions.import_regions(
        officer, (REGION_CSV + bad_line + "\n").encode()
    )
    db.session.rollback()
    assert (added, updated) == (0, 0)
    assert (errors[0].row, errors[0].column) == (row, column)
    assert db.session.scalar(select(func.count(Region.id))) == 0


def test_an_invitation_link_lets_the_person_choose_a_password(client, officer):
    make_producer("KORA")
    user = users.invite_user(officer, "hoa@kora.vn", "Chị Hoa", "producer", producer_code="KORA")
    db.session.commit()
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "invitation"))
    assert mail.recipient == "hoa@kora.vn"
    link = re.search(r"http\S+", mail.body_text).group(0)
    path = link.split("shop.test", 1)[1]
    assert client.get(path).status_code == 200
    response = client.post(
        path, data={"password": "mật khẩu mới 123", "confirm": "mật khẩu mới 123"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert user.check_password("mật khẩu mới 123")
    assert (
        db.session.scalar(select(AuditEntry.action).where(AuditEntry.area == "role"))
        == "user.invited"
    )


def test_an_invitation_needs_the_binding_its_role_requires(officer):
    with pytest.raises(OfficeError) as refused:
        users.invite_user(officer, "x@example.vn", "", "producer")
    assert refused.value.field == "producer"
    with pytest.raises(OfficeError):
        users.invite_user(officer, "not-an-address", "", "office")


def test_roles_and_bindings_change_with_an_audit_entry_but_not_ones_own(officer):
    make_producer("KORA")
    person = make_user("p@example.vn")
    users.change_role(officer, person.id, "producer", producer_code="KORA")
    assert person.role == "producer"
    assert person.producer.code == "KORA"
    with pytest.raises(OfficeError):
        users.change_role(officer, person.id, "staff")  # staff need a showroom
    with pytest.raises(OfficeError):
        users.change_role(officer, officer.id, "customer")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.role_changed"))
    assert '"role": "customer"' in entry.before
    assert '"producer": "KORA"' in entry.after


def test_a_deactivated_account_cannot_sign_in(client, auth, officer):
    person = make_user("p@example.vn")
    users.set_active(officer, person.id, False)
    db.session.commit()
    response = client.post(
        "/login", data={"identifier": "p@example.vn", "password": "correct horse battery"}
    )
    assert response.status_code != 302
    with pytest.raises(OfficeError):
        users.set_active(officer, officer.id, False)
    assert db.session.scalar(select(User.active).where(User.id == person.id)) is False


def test_office_pages_for_regions_showrooms_and_accounts(office_client):
    region = make_region("KT", "Kon Tum")
    response = office_client.post(
        "/office/regions/new",
        data={
            "code": "KT-NH",
            "name": "Huyện Ngọc Hồi",
            "kind": "district",
            "parent": "KT",
            "successor": "",
        },
    )
    assert response.status_code == 302
    cycle = office_client.post(
        "/office/regions/KT",
        data={
            "code": "KT",
            "name": "Kon Tum",
            "kind": "province",
            "parent": "KT-NH",
            "successor": "",
        },
    )
    assert cycle.status_code == 400
    assert 'id="parent-errors"' in cycle.text
    upload = office_client.post(
        "/office/regions/import",
        data={"file": (__import__("io").BytesIO(b"code,name,kind\nKT-X,X,galaxy\n"), "r.csv")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 400
    assert "galaxy" in upload.text
    assert office_client.get("/office/regions").status_code == 200
    response = office_client.post(
        "/office/showrooms/new",
        data={"code": "SR-NH", "name": "Điểm bán Ngọc Hồi", "level": "district", "region": "KT-NH"},
    )
    assert response.status_code == 302
    response = office_client.post(
        "/office/users/invite",
        data={
            "email": "kt@example.vn",
            "name": "A",
            "role": "staff",
            "showroom": "SR-NH",
            "producer": "",
        },
    )
    assert response.status_code == 302
    assert "kt@example.vn" in office_client.get("/office/users?q=kt@").text
    assert region.id
