"""Issuing, re-evaluating, revoking and expiring OCOP certificates, and the expiry warnings.

The catalogue shows a product only while it holds an active, unexpired certificate, so each of
these changes takes effect in the shop at once. Every change is in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import cast

from flask_babel import gettext as _
from sqlalchemy import and_, not_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from storefront.accounts.models import Role, User
from storefront.audit.models import AuditArea
from storefront.audit.services import record
from storefront.catalog.certificates import (
    expiry_date,
    level_is_unusual,
    rules_on,
    stars_for_score,
    usual_level,
)
from storefront.catalog.images import decision_folder, store_decision_scan
from storefront.catalog.models import (
    Certificate,
    CertificateStatus,
    CertifyingLevel,
    Product,
    ReviewStatus,
)
from storefront.extensions import db
from storefront.folding import contains_pattern, search_words
from storefront.formatting import format_day
from storefront.labels import LEVEL_NAMES
from storefront.office import fields
from storefront.office.errors import NotFound, OfficeError
from storefront.office.models import ExpiryWarning
from storefront.office.products import get_product, label
from storefront.outbox.services import queue_email

WARNING_DAYS = (90, 30)
# The OCOP programme began in 2018; an older decision date is a typing mistake.
PROGRAMME_START = date(2018, 1, 1)


@dataclass
class Decision:
    """What a certifying decision (quyết định công nhận) says about one product."""

    decision_number: str = ""
    level: str = ""
    issued_on: object = None  # date or text
    score: object = None  # int or text
    stars: object = None  # int or text


def issue_certificate(
    actor: User, product_code: str, decision: Decision, today: date
) -> Certificate:
    """Record a certifying decision for a product, as the decision says: the stars must match the
    score's band; the level is recorded whatever it is (``level_warning`` says when it is unusual
    for the decision's date). A decision of any age since the programme began is recorded:
    - one already past its 36 months is history, stored as expired;
    - one older than the product's active certificate is history, stored as superseded by it;
    - otherwise it is the product's certificate, and if the product held an active one this is a
      re-evaluation: the old one is marked superseded by the new one, up- or downgrade alike."""
    product = get_product(product_code)
    if product.review_status != ReviewStatus.APPROVED:
        raise OfficeError(_("Approve the product before certifying it."))
    number = _new_decision_number(decision.decision_number)
    score, stars = _score_and_stars(decision)
    issued_on = _decision_day(decision.issued_on, today)
    _check_level(decision.level)
    expires_on = expiry_date(issued_on)

    previous = _current(product)
    if previous is not None and previous.state_on(today) == CertificateStatus.EXPIRED:
        _expire(previous)
        previous = None
    status, superseded_by = CertificateStatus.ACTIVE, None
    if expires_on < today:
        status, previous = CertificateStatus.EXPIRED, None
    elif previous is not None and issued_on < previous.issued_on:
        status, superseded_by, previous = CertificateStatus.SUPERSEDED, previous, None
    if previous is not None:
        previous.status = CertificateStatus.SUPERSEDED
        db.session.flush()  # one active certificate per product: the old one steps down first
    certificate = Certificate(
        product_id=product.id,
        stars=stars,
        score=score,
        level=decision.level,
        decision_number=number,
        issued_on=issued_on,
        expires_on=expires_on,
        status=status,
        superseded_by_id=superseded_by.id if superseded_by else None,
    )
    db.session.add(certificate)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise OfficeError(
            _("Decision number %(number)s is already recorded.", number=number), "decision_number"
        ) from None
    if previous is not None:
        previous.superseded_by_id = certificate.id
    if status != CertificateStatus.ACTIVE:
        action = "certificate.recorded_history"
    else:
        action = "certificate.reevaluated" if previous else "certificate.issued"
    record(
        actor,
        AuditArea.CERTIFICATE,
        action,
        label(product),
        before=snapshot(previous) if previous else None,
        after=snapshot(certificate),
        note=level_warning(certificate),
    )
    db.session.flush()
    return certificate


def level_warning(certificate: Certificate) -> str | None:
    """A sentence for the office when the certificate's level is not the one its period's rules
    name (the table in catalog.certificates), or None when it is the usual one."""
    if not level_is_unusual(certificate.level, certificate.stars, certificate.issued_on):
        return None
    rules = rules_on(certificate.issued_on)
    return _(
        "Unusual for its date: under Decision %(decision)s, %(stars)d★ was usually certified at "
        "%(usual)s level; this decision says %(level)s level. It is recorded as the decision says.",
        decision=rules.decision,
        stars=certificate.stars,
        usual=str(LEVEL_NAMES[usual_level(certificate.stars, certificate.issued_on)]).lower(),
        level=str(LEVEL_NAMES.get(certificate.level, certificate.level)).lower(),
    )


def _new_decision_number(value: object) -> str:
    """The decision number, refused when it is already recorded."""
    number = fields.text(value, "decision_number", _("Decision number"), max_len=64)
    if db.session.scalar(select(Certificate.id).where(Certificate.decision_number == number)):
        raise OfficeError(
            _("Decision number %(number)s is already recorded.", number=number), "decision_number"
        )
    return number


def _score_and_stars(decision: Decision) -> tuple[int, int]:
    """The score and the stars, refused unless the stars are the score's band."""
    score = fields.whole_number(decision.score, "score", _("Score"), 0, 100)
    stars = fields.whole_number(decision.stars, "stars", _("Stars"), 3, 5)
    earned = stars_for_score(score)
    if earned is None:
        raise OfficeError(_("A score below 50 is not certified."), "score")
    if earned != stars:
        raise OfficeError(
            _(
                "A score of %(score)d earns %(earned)d stars, not %(stars)d.",
                score=score,
                earned=earned,
                stars=stars,
            ),
            "stars",
        )
    return score, stars


def _decision_day(value: object, today: date) -> date:
    """The decision date: not in the future, not before the programme began. An old decision is
    history and is recorded as such."""
    issued_on = fields.day(value, "issued_on", _("Decision date"), required=True)
    if issued_on > today:
        raise OfficeError(_("The decision date cannot be in the future."), "issued_on")
    if issued_on < PROGRAMME_START:
        raise OfficeError(_("The decision date is before the OCOP programme began."), "issued_on")
    return issued_on


def _check_level(level: str) -> None:
    """The level must be one of the three; which one is the decision's to say."""
    if level not in set(CertifyingLevel):
        raise OfficeError(_("Choose the certifying level."), "level")


def revoke_certificate(
    actor: User, certificate_id: int, reason: str, revoked_on: object, today: date
) -> Certificate:
    """Revoke an active certificate, with the reason and the date of the decision. The product
    leaves the shop at once and its /q/ page says it was revoked, and why."""
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None:
        raise NotFound(_("No such certificate."))
    if certificate.status != CertificateStatus.ACTIVE:
        raise OfficeError(_("Only an active certificate can be revoked."))
    reason = fields.text(reason, "reason", _("Reason"), min_len=5, max_len=2000)
    revoked_on = fields.day(revoked_on, "revoked_on", _("Revocation date"), required=True)
    if revoked_on < certificate.issued_on:
        raise OfficeError(_("A certificate cannot be revoked before its own date."), "revoked_on")
    if revoked_on > today:
        raise OfficeError(_("The revocation date cannot be in the future."), "revoked_on")
    before = snapshot(certificate)
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_on, certificate.revoked_reason = revoked_on, reason
    record(
        actor,
        AuditArea.CERTIFICATE,
        "certificate.revoked",
        label(certificate.product),
        before=before,
        after=snapshot(certificate),
        note=reason,
    )
    db.session.flush()
    return certificate


def attach_decision_scan(actor: User, certificate_id: int, data: bytes) -> Certificate:
    """Keep the scanned decision (PDF or picture, checked like product pictures) with its
    certificate, replacing an earlier scan; shown to the office only."""
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None:
        raise NotFound(_("No such certificate."))
    if not data:
        raise OfficeError(_("Choose the scanned decision (PDF, JPEG, PNG or WebP)."), "file")
    stem = "".join(ch if ch.isalnum() else "-" for ch in certificate.product.code)
    name = store_decision_scan(data, stem)
    before = certificate.decision_scan
    certificate.decision_scan = name
    record(
        actor,
        AuditArea.CERTIFICATE,
        "certificate.scan_attached",
        label(certificate.product),
        before={"decision_scan": before} if before else None,
        after={"decision_scan": name, "decision_number": certificate.decision_number},
    )
    db.session.flush()
    return certificate


def decision_scan_path(certificate_id: int) -> Path:
    """Where a certificate's scanned decision is kept; NotFound when it has none."""
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or not certificate.decision_scan:
        raise NotFound(_("This certificate has no scanned decision."))
    path = decision_folder() / certificate.decision_scan
    if not path.is_file():
        raise NotFound(_("This certificate has no scanned decision."))
    return path


def expire_due(today: date) -> int:
    """Mark every active certificate past its date as expired. Safe to run any number of times
    (daily from cron: ``flask certificates expire``). Pages never wait for it: what they show
    is read from the dates (``Certificate.state_on``)."""
    due = db.session.scalars(
        select(Certificate)
        .where(Certificate.status == CertificateStatus.ACTIVE, Certificate.expires_on < today)
        .options(joinedload(Certificate.product))
    ).all()
    for certificate in due:
        _expire(certificate)
    db.session.flush()
    return len(due)


def _expire(certificate: Certificate) -> None:
    before = snapshot(certificate)
    certificate.status = CertificateStatus.EXPIRED
    record(
        None,
        AuditArea.CERTIFICATE,
        "certificate.expired",
        label(certificate.product),
        before=before,
        after=snapshot(certificate),
    )


def send_expiry_warnings(today: date) -> int:
    """E-mail the producer and the office when an active certificate comes within 90 and then
    30 days of its expiry: once per threshold (a certificate first seen at 20 days gets only the
    30-day warning). Returns how many certificates were warned about."""
    horizon = today + timedelta(days=max(WARNING_DAYS))
    candidates = db.session.scalars(
        select(Certificate)
        .where(
            Certificate.status == CertificateStatus.ACTIVE,
            Certificate.expires_on >= today,
            Certificate.expires_on <= horizon,
        )
        .options(joinedload(Certificate.product).joinedload(Product.producer))
        .order_by(Certificate.expires_on)
    ).all()
    if not candidates:
        return 0
    sent = {
        (w.certificate_id, w.days_before)
        for w in db.session.scalars(
            select(ExpiryWarning).where(
                ExpiryWarning.certificate_id.in_([c.id for c in candidates])
            )
        )
    }
    office = _office_addresses()
    warned = 0
    for certificate in candidates:
        days_left = (certificate.expires_on - today).days
        crossed = [d for d in WARNING_DAYS if days_left <= d]
        threshold = min(crossed)
        if (certificate.id, threshold) in sent:
            continue
        for recipient in _producer_addresses(certificate.product) + office:
            queue_email(
                recipient,
                _(
                    "OCOP certificate expires on %(date)s: %(product)s",
                    date=format_day(certificate.expires_on),
                    product=certificate.product.name,
                ),
                "certificate_expiry",
                kind="certificate_expiry",
                certificate=certificate,
                days_left=days_left,
            )
        for days in crossed:
            if (certificate.id, days) not in sent:
                db.session.add(ExpiryWarning(certificate_id=certificate.id, days_before=days))
        warned += 1
    db.session.flush()
    return warned


def run_expiry(today: date) -> tuple[int, int]:
    """Expire what is due and send the warnings that are due: (expired, warned)."""
    return expire_due(today), send_expiry_warnings(today)


def expiring(today: date, days: int = 90) -> list[Certificate]:
    """Active certificates that expire within ``days``, soonest first."""
    return list(
        db.session.scalars(
            select(Certificate)
            .where(
                Certificate.status == CertificateStatus.ACTIVE,
                Certificate.expires_on >= today,
                Certificate.expires_on <= today + timedelta(days=days),
            )
            .options(joinedload(Certificate.product).joinedload(Product.producer))
            .order_by(Certificate.expires_on, Certificate.id)
        )
    )


def list_certificates(
    today: date, status: str | None = None, limit: int = 500, q: str = ""
) -> list[Certificate]:
    """The latest certificates, or those in one state as of ``today``: an active certificate
    past its date counts as expired whether or not the expiry job has marked it yet. With ``q``:
    a decision number, a product's code or EAN, or words of its name ("%" and "_" literal); the
    certificates whose decision number or product code it is exactly come first."""
    query = (
        select(Certificate)
        .join(Product, Product.id == Certificate.product_id)
        .options(joinedload(Certificate.product).joinedload(Product.producer))
        .order_by(Certificate.issued_on.desc(), Certificate.id.desc())
    )
    q = (q or "").strip()[:200]
    if q:
        query = query.where(
            or_(
                Certificate.decision_number.ilike(contains_pattern(q), escape="\\"),
                Product.code == q.upper(),
                Product.ean == q,
                and_(
                    *(
                        Product.search_text.like(contains_pattern(word), escape="\\")
                        for word in search_words(q)[:10] or [q.lower()]
                    )
                ),
            )
        )
    past_date = and_(Certificate.status == CertificateStatus.ACTIVE, Certificate.expires_on < today)
    if status == CertificateStatus.ACTIVE:
        query = query.where(Certificate.status == status, not_(past_date))
    elif status == CertificateStatus.EXPIRED:
        query = query.where(or_(Certificate.status == status, past_date))
    elif status in set(CertificateStatus):
        query = query.where(Certificate.status == status)
    found = list(db.session.scalars(query.limit(limit)))
    exact = [
        c for c in found if c.decision_number.lower() == q.lower() or c.product.code == q.upper()
    ]
    return exact + [c for c in found if c not in exact]


def snapshot(certificate: Certificate) -> dict:
    return {
        "decision_number": certificate.decision_number,
        "stars": certificate.stars,
        "score": certificate.score,
        "level": certificate.level,
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat(),
        "status": certificate.status,
        "revoked_on": certificate.revoked_on.isoformat() if certificate.revoked_on else None,
        "revoked_reason": certificate.revoked_reason,
    }


def _current(product: Product) -> Certificate | None:
    """The certificate whose status is active (it may be past its date, not yet marked)."""
    return db.session.scalar(
        select(Certificate).where(
            Certificate.product_id == product.id, Certificate.status == CertificateStatus.ACTIVE
        )
    )


def _producer_addresses(product: Product) -> list[str]:
    emails = db.session.scalars(
        select(User.email).where(
            User.role == Role.PRODUCER,
            User.producer_id == product.producer_id,
            User.active.is_(True),
            User.email.is_not(None),
        )
    ).all()
    addresses = list(
        dict.fromkeys(
            [
                *cast("list[str]", emails),  # e-mails that are not NULL
                *([product.producer.email] if product.producer.email else []),
            ]
        )
    )
    return addresses


def _office_addresses() -> list[str]:
    return list(
        db.session.scalars(
            select(User.email)
            .where(User.role == Role.OFFICE, User.active.is_(True), User.email.is_not(None))
            .order_by(User.id)
        )
    )
