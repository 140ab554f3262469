"""Notices the law asks for by kind of product, set by the office on a product group (or one
subgroup of it) and shown on the product page, the cart and the receipt: alcohol is not sold to
people under 18 (checkout asks the buyer to confirm their age), a health supplement says it is
no medicine. The rules are few: one query reads them all, once per catalogue generation (a change
to a rule moves it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select

from storefront.catalog.models import Product, ProductNotice, ProductNoticeRule
from storefront.extensions import db
from storefront.folding import fold
from storefront.register import generation

# The order a page lists them in.
NOTICE_ORDER = (ProductNotice.ADULTS_ONLY, ProductNotice.NOT_A_MEDICINE)


class Classified(Protocol):
    """What a rule looks at: a product's group and subgroup."""

    @property
    def group(self) -> str: ...

    @property
    def subgroup(self) -> str | None: ...


def rules() -> list[ProductNoticeRule]:
    return list(
        db.session.scalars(
            select(ProductNoticeRule).order_by(
                ProductNoticeRule.group, ProductNoticeRule.subgroup, ProductNoticeRule.notice
            )
        )
    )


@dataclass(frozen=True)
class NoticeRule:
    """What a rule says, apart from its row."""

    group: str
    subgroup: str | None
    notice: str


def _known_rules() -> tuple[NoticeRule, ...]:
    return generation.remembered(
        "notice-rules", lambda: tuple(NoticeRule(r.group, r.subgroup, r.notice) for r in rules())
    )


def applies(rule: NoticeRule | ProductNoticeRule, group: str, subgroup: str | None) -> bool:
    """A rule on a whole group covers all its products; one on a subgroup covers the products
    whose subgroup reads the same (case, diacritics and spacing aside)."""
    if rule.group != group:
        return False
    return not rule.subgroup or fold(rule.subgroup) == fold(subgroup or "")


def notices_for(product: Classified, known: Iterable[NoticeRule] | None = None) -> list[str]:
    """The product's notices (ProductNotice values), in NOTICE_ORDER."""
    found = {
        r.notice
        for r in (_known_rules() if known is None else known)
        if applies(r, product.group, product.subgroup)
    }
    return [n for n in NOTICE_ORDER if n in found]


def notices_by_product(products: Iterable[Product]) -> dict[int, list[str]]:
    """{product id: its notices} for several products, with one query at most."""
    known = _known_rules()
    return {p.id: notices_for(p, known) for p in products}


def from_snapshot(value: str | None) -> list[str]:
    """An order line's notices as they were when it was sold."""
    return [n for n in (value or "").split() if n in set(ProductNotice)]
