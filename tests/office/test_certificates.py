from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from storefront import clock
from storefront.audit.models import AuditEntry
from storefront.catalog import listing, product_pages
from storefront.catalog.models import Certificate
from storefront.extensions import db
from storefront.office import certificates as certification
from storefront.office.certificates import Decision
from storefront.office.errors import OfficeError
from storefront.office.models import ExpiryWarning
from storefront.outbox.models import OutboxMessage
from tests.factories import make_certificate, make_producer, make_product, make_user
from tests.hardening.snapshot import database_checksum

TODAY = date(2026, 3, 1)


def decision(**changes) -> Decision:
    values = dict(
        decision_number="123/QĐ-UBND", level="province", issued_on="2026-02-10", score=78, stars=4
    )
    values.update(changes)
    return Decision(**values)


def certified(stars=4, issued_on=date(2025, 9, 1), **fields):
    """A product holding an active certificate of a date that fits TODAY."""
    product = make_product(stars=None, **fields)
    make_certificate(product, stars=stars, issued_on=issued_on)
    return product


def catalogue_codes(today=TODAY) -> set[str]:
    page = listing.list_products(listing.CatalogFilters(), today, 100)
    return {card.code for card in page.items}


def test_issuing_a_certificate_puts_a_new_product_in_the_catalogue_with_its_stars(officer):
    product = make_product("Cà phê Đăk Hà", stars=None)
    assert product.code not in catalogue_codes()

    certificate = certification.issue_certificate(officer, product.code, decision(), TODAY)
    db.session.commit()

    assert certificate.expires_on == date(2029, 2, 10)  # 36 months after the decision
    cards = listing.list_products(listing.CatalogFilters(), TODAY, 100).items
    assert [(c.code, c.stars) for c in cards] == [(product.code, 4)]
    assert product_pages.verify(product.code, TODAY).state == "valid"


@pytest.mark.parametrize(
    ("score", "stars", "field"),
    [
        (85, 5, "stars"),
        (92, 4, "stars"),
        (49, 3, "score"),
        (101, 5, "score"),
        (-1, 3, "score"),
        ("x", 3, "score"),
    ],
)
def test_a_score_outside_its_star_band_is_refused(officer, score, stars, field):
    product = make_product(stars=None)
    with pytest.raises(OfficeError) as refused:
        certification.issue_certificate(
            officer,
            product.code,
            decision(score=score, stars=stars, level="national" if stars == 5 else "province"),
            TODAY,
        )
    assert refused.value.field == field
    db.session.rollback()
    assert db.session.scalar(select(func.count(Certificate.id))) == 0


@pytest.mark.parametrize(
    ("rules", "stars", "score", "level", "issued_on"),
    [
        # Decision 1048/QĐ-TTg (2019): the province certified 3★ and 4★ (KoRa, Đăk Glei 2023).
        ("1048", 3, 60, "province", "2023-01-10"),
        ("1048", 4, 80, "province", "2021-06-01"),
        # Decision 148/QĐ-TTg (24/02/2023): 3★ went to the district.
        ("148", 3, 60, "district", "2024-08-01"),
        ("148", 4, 80, "province", "2024-05-01"),
        # Decision 1489/QĐ-TTg (01/07/2025, districts abolished): the province again.
        ("1489", 3, 60, "province", "2025-07-01"),
        ("1489", 5, 95, "national", "2026-01-05"),
    ],
)
def test_each_rule_period_accepts_its_decisions_without_a_warning(
    officer, rules, stars, score, level, issued_on
):
    product = make_product(stars=None)
    attempt = decision(stars=stars, score=score, level=level, issued_on=issued_on)
    certificate = certification.issue_certificate(officer, product.code, attempt, TODAY)
    db.session.commit()
    assert (certificate.level, certificate.issued_on.isoformat()) == (level, issued_on)
    assert certification.level_warning(certificate) is None


@pytest.mark.parametrize(
    ("stars", "score", "level", "issued_on", "usual"),
    [
        # The programme's news: Đăk Glei's "3 sao cấp tỉnh" after 148 came into force.
        (3, 60, "province", "2024-08-01", "148/QĐ-TTg"),
        (3, 60, "district", "2025-07-01", "1489/QĐ-TTg"),
        (5, 95, "province", "2026-01-05", "1489/QĐ-TTg"),
    ],
)
def test_a_level_unusual_for_its_date_is_recorded_as_the_decision_says_with_a_warning(
    officer, stars, score, level, issued_on, usual
):
    product = make_product(stars=None)
    attempt = decision(stars=stars, score=score, level=level, issued_on=issued_on)
    certificate = certification.issue_certificate(officer, product.code, attempt, TODAY)
    db.session.commit()
    assert db.session.get(Certificate, certificate.id).level == level
    warning = certification.level_warning(certificate)
    assert usual in warning
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "certificate.issued"))
    assert entry.note == warning


def test_a_2021_decision_is_stored_as_expired_history(officer):
    product = certified(4)
    current = product.certificates[0]
    old = certification.issue_certificate(
        officer,
        product.code,
        decision(decision_number="08/QĐ-UBND", stars=3, score=62, issued_on="2021-05-12"),
        TODAY,
    )
    db.session.commit()
    assert (old.status, old.expires_on) == ("expired", date(2024, 5, 12))
    db.session.refresh(current)
    assert current.status == "active"  # history does not touch the certificate in force
    assert product_pages.verify(product.code, TODAY).certificate.id == current.id
    assert (
        db.session.scalar(
            select(AuditEntry.action).where(AuditEntry.subject.contains(product.code))
        )
        == "certificate.recorded_history"
    )


def test_a_decision_older_than_the_active_one_is_history_replaced_by_it(officer):
    product = certified(4, issued_on=date(2025, 9, 1))
    current = product.certificates[0]
    older = certification.issue_certificate(
        officer, product.code, decision(stars=3, score=60, issued_on="2024-03-01"), TODAY
    )
    db.session.commit()
    assert (older.status, older.superseded_by_id) == ("superseded", current.id)
    assert db.session.get(Certificate, current.id).status == "active"


def test_a_duplicate_decision_number_is_refused(officer):
    make_certificate(make_product(stars=None), decision_number="55/QĐ-UBND")
    product = make_product(stars=None)
    with pytest.raises(OfficeError, match="55/QĐ-UBND"):
        certification.issue_certificate(
            officer, product.code, decision(decision_number="55/QĐ-UBND"), TODAY
        )


@pytest.mark.parametrize("issued_on", ["2026-03-02", "2017-12-31", "31/02/2026", ""])
def test_impossible_decision_dates_are_refused(officer, issued_on):
    # In the future, before the programme, not a date, missing.
    product = make_product(stars=None)
    with pytest.raises(OfficeError) as refused:
        certification.issue_certificate(officer, product.code, decision(issued_on=issued_on), TODAY)
    assert refused.value.field == "issued_on"


def test_a_pending_proposal_is_approved_before_it_is_certified(officer):
    product = make_product(stars=None, review_status="pending", listed=False)
    with pytest.raises(OfficeError):
        certification.issue_certificate(officer, product.code, decision(), TODAY)
    assert product.certificates == []


@pytest.mark.parametrize(("stars", "score", "level"), [(5, 93, "national"), (3, 55, "province")])
def test_reevaluation_supersedes_the_old_certificate_up_or_down(officer, stars, score, level):
    product = certified(4)
    old = product.certificates[0]
    new = certification.issue_certificate(
        officer, product.code, decision(stars=stars, score=score, level=level), TODAY
    )
    db.session.commit()
    db.session.refresh(old)
    assert old.status == "superseded"
    assert old.superseded_by_id == new.id
    assert new.status == "active"
    assert [c.stars for c in listing.list_products(listing.CatalogFilters(), TODAY, 10).items] == [
        stars
    ]
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "certificate.reevaluated")
    )
    assert entry.actor_name == "Chị Lan"
    assert '"stars": 4' in entry.before


def test_revocation_takes_the_product_out_of_the_shop_and_the_qr_page_says_why(officer):
    product = certified(4)
    certificate = product.certificates[0]
    certification.revoke_certificate(
        officer, certificate.id, "Không đạt kiểm tra chất lượng", "2026-02-20", TODAY
    )
    db.session.commit()

    assert product.code not in catalogue_codes()
    verdict = product_pages.verify(product.code, TODAY)
    assert verdict.state == "revoked"
    assert verdict.certificate.revoked_reason == "Không đạt kiểm tra chất lượng"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "certificate.revoked"))
    assert entry.note == "Không đạt kiểm tra chất lượng"
    assert '"status": "revoked"' in entry.after


@pytest.mark.parametrize(
    ("reason", "revoked_on", "field"),
    [
        ("", "2026-02-20", "reason"),
        ("   ", "2026-02-20", "reason"),
        ("Vi phạm", "", "revoked_on"),
        ("Vi phạm", "2026-03-05", "revoked_on"),
        ("Vi phạm", "2010-01-01", "revoked_on"),
    ],
)
def test_a_revocation_without_reason_or_with_an_impossible_date_changes_nothing(
    officer, reason, revoked_on, field
):
    product = certified(4)
    certificate = product.certificates[0]
    with pytest.raises(OfficeError) as refused:
        certification.revoke_certificate(officer, certificate.id, reason, revoked_on, TODAY)
    assert refused.value.field == field
    db.session.rollback()
    assert db.session.get(Certificate, certificate.id).status == "active"


def test_only_an_active_certificate_can_be_revoked(officer):
    product = make_product(stars=None)
    old = make_certificate(product, status="expired")
    with pytest.raises(OfficeError):
        certification.revoke_certificate(officer, old.id, "Không đạt", "2026-02-20", TODAY)


def test_expiry_marks_certificates_past_their_date_once(officer):
    product = make_product(stars=None)
    make_certificate(product, issued_on=date(2023, 2, 1))  # expires 2026-02-01
    assert product.code not in catalogue_codes()  # the catalogue never showed it past its date
    assert certification.expire_due(TODAY) == 1
    assert certification.expire_due(TODAY) == 0
    db.session.commit()
    assert product.certificates[0].status == "expired"
    assert (
        db.session.scalar(
            select(AuditEntry.actor_name).where(AuditEntry.action == "certificate.expired")
        )
        == "system"
    )


def test_expiry_warnings_go_to_producer_and_office_once_per_threshold(officer):
    producer = make_producer("KORA")
    producer.email = "kora@example.vn"
    make_user("hoa@example.vn", role="producer", producer_code="KORA")
    product = make_product("Sâm dây", producer=producer, stars=None)
    make_certificate(product, issued_on=date(2023, 5, 15))  # expires 2026-05-15
    db.session.commit()

    def recipients():
        return sorted(db.session.scalars(select(OutboxMessage.recipient)))

    assert certification.send_expiry_warnings(date(2026, 2, 1)) == 0  # 103 days left
    assert certification.send_expiry_warnings(date(2026, 2, 15)) == 1  # 89 days: the 90-day warning
    assert recipients() == ["hoa@example.vn", "kora@example.vn", "office@example.vn"]
    assert certification.send_expiry_warnings(date(2026, 2, 16)) == 0  # not again
    assert certification.send_expiry_warnings(date(2026, 4, 15)) == 1  # 30 days: the second one
    assert certification.send_expiry_warnings(date(2026, 4, 20)) == 0
    assert len(recipients()) == 6
    body = db.session.scalars(select(OutboxMessage.body_text)).first()
    assert "Sâm dây" in body
    assert "15/05/2026" in body


def test_a_certificate_first_seen_within_30_days_gets_only_the_30_day_warning(officer):
    product = make_product(stars=None)
    make_certificate(product, issued_on=date(2023, 3, 20))  # expires 2026-03-20
    assert certification.send_expiry_warnings(TODAY) == 1
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1
    assert sorted(db.session.scalars(select(ExpiryWarning.days_before))) == [30, 90]


def test_the_cron_command_expires_and_warns(app, runner, officer):
    product = make_product(stars=None)
    make_certificate(product, issued_on=date(2023, 2, 1))
    make_certificate(make_product(stars=None), issued_on=date(2023, 4, 1))
    result = runner.invoke(args=["certificates", "expire", "--today", "2026-03-01"])
    assert result.exit_code == 0, result.output
    assert "1 certificates expired; expiry warnings sent for 1." in result.output
    again = runner.invoke(args=["certificates", "expire", "--today", "2026-03-01"])
    assert "0 certificates expired; expiry warnings sent for 0." in again.output


def test_the_office_pages_read_expiry_from_the_dates_and_change_nothing(office_client, runner):
    past = make_product("Trà dây", stars=None)
    make_certificate(past, issued_on=clock.today() - timedelta(days=365 * 3 + 5))
    soon = make_product("Mật ong rừng", stars=None)
    make_certificate(soon, issued_on=clock.today() - timedelta(days=365 * 3 - 40))
    db.session.commit()
    before = database_checksum()

    page = office_client.get("/office/").text
    assert "Mật ong rừng" in page
    assert "Trà dây" not in page
    expired = office_client.get("/office/certificates?status=expired").text
    active = office_client.get("/office/certificates?status=active").text
    assert "Trà dây" in expired
    assert "Mật ong rừng" not in expired
    assert "Mật ong rừng" in active
    assert "Trà dây" not in active
    assert database_checksum() == before  # reads never write: no expiry, no warning e-mail
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
    assert past.certificates[0].status == "active"

    result = runner.invoke(args=["certificates", "expire"])  # the daily job does that
    assert "1 certificates expired; expiry warnings sent for 1." in result.output
    db.session.expire_all()
    assert past.certificates[0].status == "expired"
    assert db.session.scalar(select(func.count(OutboxMessage.id))) > 0


def test_the_product_page_issues_and_revokes_and_shows_refusals_beside_the_field(office_client):
    product = make_product("Cà phê Đăk Hà", stars=None)
    today = clock.today()
    refused = office_client.post(
        f"/office/products/{product.code}/certificates",
        data={
            "cert-decision_number": "9/QĐ",
            "cert-issued_on": today.isoformat(),
            "cert-level": "province",
            "cert-score": "95",
            "cert-stars": "4",
        },
    )
    assert refused.status_code == 400
    assert 'id="cert-stars-errors"' in refused.text
    issued = office_client.post(
        f"/office/products/{product.code}/certificates",
        data={
            "cert-decision_number": "9/QĐ",
            "cert-issued_on": today.isoformat(),
            "cert-level": "province",
            "cert-score": "75",
            "cert-stars": "4",
        },
    )
    assert issued.status_code == 302
    assert product.code in office_client.get("/san-pham").text
    certificate_id = db.session.scalar(
        select(Certificate.id).where(Certificate.decision_number == "9/QĐ")
    )
    no_reason = office_client.post(
        f"/office/certificates/{certificate_id}/revoke",
        data={"revoke-reason": "", "revoke-revoked_on": today.isoformat()},
    )
    assert no_reason.status_code == 400
    assert 'id="revoke-reason-errors"' in no_reason.text
    revoked = office_client.post(
        f"/office/certificates/{certificate_id}/revoke",
        data={"revoke-reason": "Sai phạm về nhãn mác", "revoke-revoked_on": today.isoformat()},
    )
    assert revoked.status_code == 302
    assert product.code not in office_client.get("/san-pham").text
    assert "Sai phạm về nhãn mác" in office_client.get(f"/q/{product.code}").text


def test_the_qr_page_of_a_reevaluated_product_shows_the_change_of_stars(client, officer):
    product = certified(3, issued_on=date(2024, 11, 5))
    certification.issue_certificate(
        officer, product.code, decision(decision_number="412/QĐ-UBND"), TODAY
    )
    db.session.commit()
    page = client.get(f"/q/{product.code}").text
    assert "Đánh giá lại ngày 10/02/2026: 3★ → 4★ (QĐ 412/QĐ-UBND)" in page
    assert "verdict-valid" in page


def test_a_revoked_certificate_reads_revoked_on_its_date_in_every_history(
    client, office_client, officer
):
    product = certified(4, issued_on=date(2025, 9, 1))
    certificate = product.certificates[0]
    certification.revoke_certificate(officer, certificate.id, "Làm giả nhãn", "2026-02-20", TODAY)
    db.session.commit()
    for page in (
        office_client.get(f"/office/products/{product.code}").text,
        office_client.get("/office/certificates?status=revoked").text,
    ):
        assert "thu hồi ngày 20/02/2026" in page
        assert "01/09/2028" not in page  # the date it would have lasted to is not shown
