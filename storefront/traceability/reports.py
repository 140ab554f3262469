"""Shoppers' reports of suspicious labels, sent from a /q/ page, and the office's answers.

A report keeps what the shopper wrote, the code scanned, an optional photo (checked, cleaned and
re-encoded like a product picture) and, only if they chose to leave one, an e-mail address or a
mobile number to answer. Nothing else about them (no address, no cookie) is kept; the rate limit
on sending counts per client address in the limiter's memory (or Redis) only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from storefront import domain
from storefront.accounts.access import NotAllowed
from storefront.accounts.models import Role, User
from storefront.accounts.services import normalise_email, normalise_mobile
from storefront.audit.models import AuditArea
from storefront.audit.services import record
from storefront.catalog.images import store_picture
from storefront.catalog.models import Product
from storefront.clock import utcnow
from storefront.extensions import db
from storefront.outbox.services import queue_email, queue_sms
from storefront.register.codes import CODE_PATTERN
from storefront.traceability.models import LabelReport, ProductBatch, ReportStatus
from storefront.traceability.scan_counts import shorten_code

PHOTO_FOLDER = "label-reports"
MAX_TEXT, MAX_PLACE, MAX_ANSWER = 2000, 300, 4000


class ReportRefused(domain.Refused):
    """A report or answer refused, with the reason and the field it is about."""


class ReportNotFound(domain.NotFound):
    pass


@dataclass(frozen=True)
class ReportDraft:
    code: str
    batch_code: str | None
    what_seen: str
    where_seen: str
    contact: str
    photo: bytes | None = None


def send_report(draft: ReportDraft) -> LabelReport:
    """Keep a shopper's report for the office's queue. The code may be one the register does not
    know (that is often the point). Refused: nothing said about what was seen or where, a contact
    that is neither an e-mail address nor a Vietnamese mobile number, a photo that is not a
    picture we can read."""
    what, where = (draft.what_seen or "").strip(), (draft.where_seen or "").strip()
    if not what:
        raise ReportRefused(_("Say what looked wrong."), "what_seen")
    if not where:
        raise ReportRefused(_("Say where you saw it (shop, market, town)."), "where_seen")
    contact = _contact(draft.contact)
    product, batch = _scanned(draft.code, draft.batch_code)
    tried = draft.code if not draft.batch_code else f"{draft.code}/{draft.batch_code}"
    photo = store_picture(draft.photo, "report", PHOTO_FOLDER) if draft.photo else None
    report = LabelReport(
        product_id=product.id if product else None,
        batch_id=batch.id if batch else None,
        code_tried=shorten_code(tried),
        what_seen=what[:MAX_TEXT],
        where_seen=where[:MAX_PLACE],
        contact=contact,
        photo=photo,
        status=ReportStatus.NEW,
    )
    db.session.add(report)
    db.session.flush()
    return report


def _contact(raw: str) -> str | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    contact = normalise_email(raw) or normalise_mobile(raw)
    if contact is None:
        raise ReportRefused(
            _("Leave an e-mail address or a Vietnamese mobile number, or nothing."), "contact"
        )
    return contact


def _scanned(code: str, batch_code: str | None) -> tuple[Product | None, ProductBatch | None]:
    code = (code or "").strip()
    if not CODE_PATTERN.fullmatch(code):
        return None, None
    product = db.session.scalar(select(Product).where(Product.code == code.upper()))
    if product is None or not batch_code or not CODE_PATTERN.fullmatch(batch_code.strip()):
        return product, None
    batch = db.session.scalar(
        select(ProductBatch).where(
            ProductBatch.product_id == product.id, ProductBatch.code == batch_code.strip().upper()
        )
    )
    return product, batch


def queue(actor: User, status: str | None) -> list[LabelReport]:
    """The office's queue: new reports first (oldest first), then the rest, newest first."""
    _office_only(actor)
    query = select(LabelReport)
    if status in set(ReportStatus):
        query = query.where(LabelReport.status == status)
    reports = list(db.session.scalars(query.order_by(LabelReport.created_at.desc()).limit(200)))
    return sorted(reports, key=lambda r: (r.status != ReportStatus.NEW,))


def open_count(actor: User) -> int:
    _office_only(actor)
    return (
        db.session.scalar(
            select(func.count())
            .select_from(LabelReport)
            .where(LabelReport.status == ReportStatus.NEW)
        )
        or 0
    )


def report(actor: User, report_id: int) -> LabelReport:
    _office_only(actor)
    found = db.session.get(LabelReport, report_id)
    if found is None:
        raise ReportNotFound(_("No such report."))
    return found


def answer(actor: User, report_id: int, text: str, today: date) -> LabelReport:
    """The office answers a report through the outbox: by e-mail when the shopper left an address,
    by SMS when they left a mobile number; the report is marked answered.
    Refused: an empty answer, or no contact to answer. Audited."""
    found = report(actor, report_id)
    text = (text or "").strip()
    if not text:
        raise ReportRefused(_("Write the answer."), "answer")
    if not found.contact:
        raise ReportRefused(_("The shopper left no contact: the report can only be closed."))
    if "@" in found.contact:
        queue_email(
            found.contact,
            _("Your report of a suspicious OCOP label"),
            "label_report_answer",
            kind="label_report_answer",
            report=found,
            answer=text[:MAX_ANSWER],
            today=today,
        )
    else:  # a mobile number: by SMS through the same outbox (short: SMS are 70 characters each)
        queue_sms(found.contact, text[:MAX_ANSWER], kind="label_report_answer")
    found.status, found.answer = ReportStatus.ANSWERED, text[:MAX_ANSWER]
    found.answered_at, found.answered_by_name = utcnow(), actor.display_name
    record(actor, AuditArea.REPORT, "label_report.answered", _subject(found), note=text[:400])
    return found


def close(actor: User, report_id: int, note: str) -> LabelReport:
    """The office closes a report without (another) answer, saying why. Audited."""
    found = report(actor, report_id)
    note = (note or "").strip()
    if not note:
        raise ReportRefused(_("Say why the report is closed."), "note")
    if found.status == ReportStatus.CLOSED:
        raise ReportRefused(_("This report is already closed."))
    before = found.status
    found.status = ReportStatus.CLOSED
    if not found.answer:
        found.answer, found.answered_at, found.answered_by_name = note, utcnow(), actor.display_name
    record(
        actor,
        AuditArea.REPORT,
        "label_report.closed",
        _subject(found),
        before={"status": str(before)},
        after={"status": "closed"},
        note=note,
    )
    return found


def _subject(found: LabelReport) -> str:
    what = f"{found.product.name} ({found.product.code})" if found.product else found.code_tried
    return _("Label report #%(id)d: %(what)s", id=found.id, what=what)


def _office_only(actor: User) -> None:
    if actor is None or actor.role != Role.OFFICE:
        raise NotAllowed()
