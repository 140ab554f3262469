"""The scanned decision (PDF or picture) kept with its certificate, checked like pictures, shown
to the office only."""

import io

from PIL import Image
from sqlalchemy import select

from storefront.audit.models import AuditEntry
from storefront.catalog.models import Certificate
from storefront.extensions import db
from tests.factories import make_product

PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"


def jpeg_with_comment() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1600, 2200), "white").save(out, "JPEG", comment=b"scanned by someone")
    return out.getvalue()


def upload(client, certificate, data: bytes, name: str):
    return client.post(
        f"/office/certificates/{certificate.id}/scan",
        data={"scan-file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_a_pdf_decision_is_kept_and_shown_to_the_office(office_client):
    product = make_product(stars=4)
    certificate = product.certificates[0]
    assert upload(office_client, certificate, PDF, "qd.pdf").status_code == 302
    db.session.refresh(certificate)
    assert certificate.decision_scan.endswith(".pdf")
    page = office_client.get(f"/office/products/{product.code}").text
    assert f"/office/certificates/{certificate.id}/scan" in page
    scan = office_client.get(f"/office/certificates/{certificate.id}/scan")
    assert scan.mimetype == "application/pdf"
    assert scan.data == PDF
    assert scan.headers["Content-Security-Policy"] == "sandbox"
    assert db.session.scalar(
        select(AuditEntry.action).where(AuditEntry.action == "certificate.scan_attached")
    )


def test_a_picture_is_reencoded_without_its_metadata(office_client):
    certificate = make_product(stars=4).certificates[0]
    upload(office_client, certificate, jpeg_with_comment(), "qd.jpg")
    db.session.refresh(certificate)
    scan = office_client.get(f"/office/certificates/{certificate.id}/scan")
    assert scan.mimetype == "image/jpeg"
    assert b"scanned by someone" not in scan.data
    assert Image.open(io.BytesIO(scan.data)).size == (1600, 2200)  # readable, not a thumbnail


def test_a_file_that_is_neither_is_refused_and_nothing_is_kept(office_client):
    certificate = make_product(stars=4).certificates[0]
    for data in (
        b"MZ\x90\x00 not a scan",
        PDF.replace(b"/Catalog", b"/Catalog /OpenAction <</S /JavaScript>>"),
    ):
        response = upload(office_client, certificate, data, "x.pdf")
        assert response.status_code == 302
        assert db.session.get(Certificate, certificate.id).decision_scan is None
    page = office_client.get(response.headers["Location"]).text
    assert "PDF" in page or "ảnh" in page
