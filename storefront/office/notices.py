"""The office's rules for notices by kind of product (catalog.notices): which group, or which
subgroup of a group, carries which notice. Every change is in the audit log."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from storefront.accounts.models import User
from storefront.audit.models import AuditArea
from storefront.audit.services import record
from storefront.catalog.models import ProductNotice, ProductNoticeRule
from storefront.extensions import db
from storefront.folding import fold
from storefront.office import fields
from storefront.office.errors import NotFound, OfficeError


def add_rule(actor: User, group: str, subgroup: str, notice: str) -> ProductNoticeRule:
    """Every product of ``group`` (or only of ``subgroup`` in it, when given) carries ``notice``.
    Refused for an unknown group or notice, and for a rule that is there already."""
    group = fields.group(group)
    subgroup = fields.text(subgroup, "subgroup", _("Subgroup"), required=False, max_len=64) or ""
    if notice not in set(ProductNotice):
        raise OfficeError(_("Choose one of the notices."), "notice")
    existing = db.session.scalars(
        select(ProductNoticeRule).where(
            ProductNoticeRule.group == group, ProductNoticeRule.notice == notice
        )
    )
    if any(fold(r.subgroup) == fold(subgroup) for r in existing):
        raise OfficeError(_("This rule is there already."), "notice")
    rule = ProductNoticeRule(group=group, subgroup=subgroup, notice=notice)
    db.session.add(rule)
    db.session.flush()
    record(actor, AuditArea.LISTING, "notice_rule.added", _label(rule), after=_snapshot(rule))
    return rule


def remove_rule(actor: User, rule_id: int) -> ProductNoticeRule:
    rule = db.session.get(ProductNoticeRule, rule_id)
    if rule is None:
        raise NotFound(_("No such rule."))
    record(actor, AuditArea.LISTING, "notice_rule.removed", _label(rule), before=_snapshot(rule))
    db.session.delete(rule)
    db.session.flush()
    return rule


def _label(rule: ProductNoticeRule) -> str:
    where = f"{rule.group}/{rule.subgroup}" if rule.subgroup else rule.group
    return f"{rule.notice} — {where}"


def _snapshot(rule: ProductNoticeRule) -> dict:
    return {"group": rule.group, "subgroup": rule.subgroup, "notice": rule.notice}
