"""Shoppers report a suspicious label from /q/; the office sees it in a queue with the scan
signals beside it, answers by e-mail through the outbox, puts a batch under review."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image

from storefront.audit.models import AuditEntry
from storefront.clock import today
from storefront.extensions import db
from storefront.outbox.models import OutboxMessage
from storefront.traceability.models import LabelReport, ProductBatch
from tests.factories import make_product, make_user
from tests.traceability.helpers import make_batch


def _jpeg_with_a_secret() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (10, 120, 40)).save(out, "JPEG", comment=b"GPS 14.35N 108.00E")
    return out.getvalue()


def _report(client, path, **fields):
    data = {"what_seen": "QR mở sản phẩm khác", "where_seen": "Chợ Kon Tum", **fields}
    return client.post(path, data=data, content_type="multipart/form-data")


def test_the_qr_page_links_to_the_report_form_which_crawlers_are_told_to_leave(client, app_ctx):
    product = make_product()
    batch = make_batch(product)
    page = client.get(f"/q/{product.code}/{batch.code}").text
    assert f'href="/bao-cao-nhan/{product.code}?batch={batch.code}"' in page
    assert 'rel="nofollow"' in page
    form = client.get(f"/bao-cao-nhan/{product.code}?batch={batch.code}")
    assert form.status_code == 200
    assert '<meta name="robots" content="noindex, nofollow">' in form.text
    assert "/bao-cao-nhan/FAKE12" in client.get("/q/FAKE12").text


def test_a_report_with_a_photo_and_contact_reaches_the_office_queue(client, auth, app_ctx):
    product = make_product("Trà dây Kon Tum")
    batch = make_batch(product)
    client.get(f"/q/{product.code}/{batch.code}")

    sent = _report(
        client,
        f"/bao-cao-nhan/{product.code}",
        batch=batch.code,
        contact="lan@example.vn",
        photo=(io.BytesIO(_jpeg_with_a_secret()), "label.jpg"),
    )

    assert sent.status_code == 302
    report = db.session.query(LabelReport).one()
    assert (report.product_id, report.batch_id, report.contact) == (
        product.id,
        batch.id,
        "lan@example.vn",
    )
    assert report.photo

    auth.login(make_user(role="office"))
    queue = client.get("/office/signals/reports")
    assert "Trà dây Kon Tum" in queue.text
    assert "QR mở sản phẩm khác" in queue.text
    assert "Chợ Kon Tum" in queue.text
    assert "scan-signals" in queue.text
    with client.get(f"/office/signals/reports/{report.id}/photo.jpg") as photo:
        assert photo.status_code == 200
        assert Image.open(io.BytesIO(photo.data)).format == "JPEG"
        assert b"GPS" not in photo.data  # re-encoded: nothing but pixels


def test_a_report_needs_what_and_where_and_a_usable_contact(client, app_ctx):
    product = make_product()
    assert _report(client, f"/bao-cao-nhan/{product.code}", what_seen="").status_code == 400
    assert (
        _report(client, f"/bao-cao-nhan/{product.code}", contact="not a contact").status_code == 400
    )
    bad_photo = _report(
        client, f"/bao-cao-nhan/{product.code}", photo=(io.BytesIO(b"%PDF-1.4 nope"), "x.jpg")
    )
    assert bad_photo.status_code == 400
    assert db.session.query(LabelReport).count() == 0


def test_a_report_of_a_code_not_in_the_register_is_kept_with_the_code(client, app_ctx):
    assert _report(client, "/bao-cao-nhan/FAKE99").status_code == 302
    report = db.session.query(LabelReport).one()
    assert report.product_id is None
    assert report.code_tried == "FAKE99"


def test_reports_are_rate_limited(client, app, app_ctx, monkeypatch):
    monkeypatch.setitem(app.config, "LABEL_REPORT_RATE_LIMIT", "2 per hour")
    product = make_product()
    answers = [_report(client, f"/bao-cao-nhan/{product.code}").status_code for _ in range(3)]
    assert answers == [302, 302, 429]
    assert db.session.query(LabelReport).count() == 2


def test_the_office_answers_by_email_through_the_outbox_and_the_log_says_so(client, auth, app_ctx):
    product = make_product()
    _report(client, f"/bao-cao-nhan/{product.code}", contact="lan@example.vn")
    report = db.session.query(LabelReport).one()
    auth.login(make_user(role="office"))

    client.post(
        f"/office/signals/reports/{report.id}/answer",
        data={"reason": "Cảm ơn, chúng tôi đã kiểm tra."},
    )

    message = db.session.query(OutboxMessage).filter_by(recipient="lan@example.vn").one()
    assert "Cảm ơn, chúng tôi đã kiểm tra." in message.body_text
    db.session.refresh(report)
    assert report.status == "answered"
    assert (
        db.session.query(AuditEntry)
        .filter_by(area="report", action="label_report.answered")
        .count()
        == 1
    )


def test_an_answer_to_a_mobile_number_goes_by_sms(client, auth, app_ctx):
    product = make_product()
    _report(client, f"/bao-cao-nhan/{product.code}", contact="0912 345 678")
    report = db.session.query(LabelReport).one()
    assert report.contact == "0912345678"
    auth.login(make_user(role="office"))
    client.post(f"/office/signals/reports/{report.id}/answer", data={"reason": "Xin chao"})
    db.session.refresh(report)
    assert report.status == "answered"
    message = db.session.query(OutboxMessage).filter_by(recipient="0912345678").one()
    assert message.body_text == "Xin chao"


def test_the_office_puts_a_batch_under_review_and_its_page_says_so(client, auth, app_ctx):
    product = make_product()
    batch = make_batch(product)
    before = client.get(f"/q/{product.code}/{batch.code}")  # cached for everybody
    assert "batch-alert" not in before.text
    auth.login(make_user(role="office"))

    client.post(f"/office/batches/{batch.id}/suspend", data={"reason": "Nhiều báo cáo nhãn giả"})

    auth.logout()
    after = client.get(f"/q/{product.code}/{batch.code}")
    assert "batch-alert" in after.text
    assert client.get(f"/api/v1/verify/{product.code}/{batch.code}").get_json()["batch"][
        "under_review"
    ]
    entry = db.session.query(AuditEntry).filter_by(area="batch", action="batch.suspended").one()
    assert batch.code in entry.subject
    assert entry.note == "Nhiều báo cáo nhãn giả"

    auth.login(make_user(role="office"))
    client.post(f"/office/batches/{batch.id}/lift", data={"reason": "Đã kiểm tra"})
    db.session.expire_all()
    assert db.session.get(ProductBatch, batch.id).suspended_at is None
    assert (
        db.session.query(AuditEntry).filter_by(area="batch", action="batch.review_lifted").count()
        == 1
    )


def test_a_suspension_needs_a_reason(client, auth, app_ctx):
    batch = make_batch(make_product())
    auth.login(make_user(role="office"))
    client.post(f"/office/batches/{batch.id}/suspend", data={"reason": " "})
    db.session.expire_all()
    assert db.session.get(ProductBatch, batch.id).suspended_at is None


def test_signals_page_charts_unknown_codes_and_past_date_batches(client, auth, app_ctx):
    product = make_product("Cà phê Đăk Hà")
    old = make_batch(product, 1, today() - timedelta(days=60), today() - timedelta(days=2))
    for _ in range(3):
        client.get(f"/q/{product.code}/{old.code}")  # 3 scans of 1 unit, past its date
    for _ in range(5):
        client.get("/q/FAKE55")
    auth.login(make_user(role="office"))

    page = client.get("/office/signals")

    assert page.status_code == 200
    assert 'data-chart-source="chart-unknown-by-day"' in page.text
    assert "FAKE55" in page.text
    assert f"Cà phê Đăk Hà ({product.code}) / {old.code}" in page.text
    csv = client.get("/office/signals/beyond-units.csv").text
    assert old.code in csv
    assert client.get("/office/signals/unknown-codes.xlsx").status_code == 200


def test_the_office_acts_on_a_signal_from_the_signals_page(client, auth, app_ctx):
    product = make_product()
    copied = make_batch(product, 1, today() - timedelta(days=10))
    quiet = make_batch(product, 100, today() - timedelta(days=10))
    for _ in range(2):
        client.get(f"/q/{product.code}/{copied.code}")  # 2 scans of its 1 unit
    client.get(f"/q/{product.code}/{quiet.code}")
    auth.login(make_user(role="office"))

    page = client.get("/office/signals").text
    assert f"/office/batches/{copied.id}/suspend" in page
    assert f"/office/batches/{quiet.id}/suspend" not in page

    done = client.post(
        f"/office/batches/{copied.id}/suspend",
        data={"reason": "Nhãn bị sao chép", "back": "signals"},
    )
    assert done.headers["Location"].endswith("/office/signals")
    db.session.expire_all()
    assert db.session.get(ProductBatch, copied.id).suspended_reason == "Nhãn bị sao chép"
