"""Who sells and on what terms: the operator's identity and the policy pages.

The footer of every page reads ``operator()`` (one query for a page made afresh; a change raises
the catalogue's generation, storefront/register/generation.py, so no cached page keeps the old
footer). The policy pages show their template text (marked "mẫu — cần rà soát") until the office
saves its own."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from flask import g, has_request_context
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError

from storefront.accounts.models import Role, User
from storefront.audit.models import AuditArea
from storefront.audit.services import record
from storefront.domain import NotFound, Refused
from storefront.extensions import db
from storefront.register import generation
from storefront.rich_text import plain_text, render_markdown
from storefront.shop.models import PolicyPage, ShopOperator
from storefront.shop.policy_texts import POLICY_TEXTS, template_text

OPERATOR_ID = 1
POLICY_SLUGS = tuple(POLICY_TEXTS)
_TAX_CODE = re.compile(r"\d{10}(-\d{3})?")  # MST: 10 digits, a branch's with "-001"
_PHONE = re.compile(r"\+?[0-9][0-9 .]{7,18}[0-9]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class ShopRefused(Refused):
    """A value the operator's identity or a policy page may not take; nothing was changed."""


@dataclass(frozen=True)
class OperatorFields:
    """The operator's identity as the office types it (and as the footer shows it)."""

    name: str = ""
    address: str = ""
    tax_code: str = ""
    phone: str = ""
    email: str = ""
    zalo_url: str = ""
    moit_registration: str = ""
    moit_badge_url: str = ""
    is_demo: bool = False

    @property
    def tel(self) -> str:
        """The phone as a tel: link wants it (digits and a leading +)."""
        return re.sub(r"[^0-9+]", "", self.phone)


@dataclass(frozen=True)
class PolicyView:
    slug: str
    title: str
    body: str  # Markdown
    is_template: bool  # the office has not written it yet

    @property
    def html(self) -> Markup:
        return render_markdown(self.body)

    @property
    def summary(self) -> str:
        return plain_text(self.body, limit=160)


def operator() -> OperatorFields:
    """The operator as the pages show it: read once per catalogue generation (a change to it
    moves the generation, so every instance shows it within a second) and kept for the request."""
    if has_request_context() and "shop_operator" in g:
        return g.shop_operator
    try:
        fields = generation.remembered("shop-operator", _read_operator)
    except SQLAlchemyError:  # an error page must still render when the database does not answer
        db.session.rollback()
        return OperatorFields()
    if has_request_context():
        g.shop_operator = fields
    return fields


def _read_operator() -> OperatorFields:
    row = db.session.get(ShopOperator, OPERATOR_ID)
    return _fields_of(row) if row else OperatorFields()


def update_operator(actor: User, data: OperatorFields) -> OperatorFields:
    """Save the operator's identity (office only); recorded in the audit log with what changed.
    Refuses an unreadable tax code, phone, e-mail address, or a link that is not https."""
    _office_only(actor)
    values = clean_operator(data)
    row = db.session.get(ShopOperator, OPERATOR_ID)
    before = asdict(_fields_of(row)) if row else None
    if row is None:
        row = ShopOperator(id=OPERATOR_ID)
        db.session.add(row)
    for name, value in asdict(values).items():
        setattr(row, name, value)
    row.is_demo = False  # whoever saves it vouches for it
    db.session.flush()
    after = asdict(_fields_of(row))
    if has_request_context():
        g.pop("shop_operator", None)  # this request's pages show the new one
    if after != before:
        record(actor, AuditArea.SHOP, "operator.edited", row.name, before=before, after=after)
    return _fields_of(row)


def clean_operator(data: OperatorFields) -> OperatorFields:
    name = _text(data.name, "name", 300)
    if not name:
        raise ShopRefused(_("Give the name of the operator."), "name")
    tax_code = _text(data.tax_code, "tax_code", 20)
    if tax_code and not _TAX_CODE.fullmatch(tax_code):
        raise ShopRefused(
            _("A tax code has 10 digits (a branch's: 10 digits, -, 3 digits)."), "tax_code"
        )
    phone = _text(data.phone, "phone", 32)
    if phone and not _PHONE.fullmatch(phone):
        raise ShopRefused(_("Write the phone number in digits, e.g. 0260 3862 123."), "phone")
    email = _text(data.email, "email", 254)
    if email and not _EMAIL.fullmatch(email):
        raise ShopRefused(_("This is not an e-mail address."), "email")
    return OperatorFields(
        name=name,
        address=_text(data.address, "address", 500),
        tax_code=tax_code,
        phone=phone,
        email=email,
        zalo_url=_https(data.zalo_url, "zalo_url"),
        moit_registration=_text(data.moit_registration, "moit_registration", 100),
        moit_badge_url=_https(data.moit_badge_url, "moit_badge_url"),
    )


def policy(slug: str) -> PolicyView:
    """One policy page: the office's text, or the template until it writes one. NotFound for a
    slug that is not one of the five."""
    if slug not in POLICY_TEXTS:
        raise NotFound(_("No such page."))
    row = db.session.get(PolicyPage, slug)
    if row is None:
        title, body = template_text(slug)
        return PolicyView(slug, title, body, is_template=True)
    return PolicyView(slug, row.title, row.body, is_template=False)


def update_policy(actor: User, slug: str, title: str, body: str) -> PolicyView:
    """Save a policy page's title and Markdown (office only), recorded in the audit log. The text
    is shown through storefront.rich_text, so no markup of its own reaches the page."""
    _office_only(actor)
    before = policy(slug)
    title = _text(title, "title", 200)
    if len(title) < 3:
        raise ShopRefused(_("Give the page a title."), "title")
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ShopRefused(_("Write the page's text."), "body")
    if len(body) > 50_000:
        raise ShopRefused(_("At most %(n)d characters.", n=50_000), "body")
    row = db.session.get(PolicyPage, slug) or PolicyPage(slug=slug)
    row.title, row.body = title, body
    db.session.add(row)
    db.session.flush()
    if (before.title, before.body) != (title, body) or before.is_template:
        record(
            actor,
            AuditArea.SHOP,
            "policy.edited",
            title,
            before={"title": before.title, "body": before.body, "template": before.is_template},
            after={"title": title, "body": body},
        )
    return policy(slug)


def _office_only(actor: User) -> None:
    if actor.role != Role.OFFICE:
        raise NotFound(_("No such page."))


def _fields_of(row: ShopOperator) -> OperatorFields:
    return OperatorFields(
        name=row.name or "",
        address=row.address or "",
        tax_code=row.tax_code or "",
        phone=row.phone or "",
        email=row.email or "",
        zalo_url=row.zalo_url or "",
        moit_registration=row.moit_registration or "",
        moit_badge_url=row.moit_badge_url or "",
        is_demo=bool(row.is_demo),
    )


def _text(value: str, field: str, max_len: int) -> str:
    value = " ".join((value or "").split())
    if len(value) > max_len:
        raise ShopRefused(_("At most %(n)d characters.", n=max_len), field)
    return value


def _https(value: str, field: str) -> str:
    value = _text(value, field, 300)
    if value and not re.fullmatch(r"https://[^\s\"'<>]+", value):
        raise ShopRefused(_("A link starting with https://"), field)
    return value


def policy_links() -> list[tuple[str, str]]:
    """(slug, short name) of the five policy pages, in the footer's order."""
    names = {
        "giao-hang": _("Delivery"),
        "doi-tra-hoan-tien": _("Returns and refunds"),
        "hinh-thuc-thanh-toan": _("Ways to pay"),
        "bao-mat": _("Privacy"),
        "dieu-khoan": _("Terms of use"),
    }
    return [(slug, names[slug]) for slug in POLICY_SLUGS]
