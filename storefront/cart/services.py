"""The cart: in the session for visitors, in the database for signed-in customers (merged at
sign-in). It holds product ids and quantities only; prices and availability are read fresh."""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, cast

from flask_babel import gettext as _
from sqlalchemy import Date, Select, bindparam, func, select
from sqlalchemy.orm import joinedload, selectinload

from storefront import clock
from storefront.accounts.models import User
from storefront.accounts.sessions import keep_at_sign_in
from storefront.cart.models import CartItem
from storefront.catalog.cards import active_certificate_join, sellable_ids
from storefront.catalog.models import Certificate, Product, ProductNotice
from storefront.catalog.notices import notices_by_product
from storefront.domain import Refused
from storefront.extensions import db
from storefront.inventory.models import LocationKind, StockLevel, StockLocation
from storefront.page_cache import personal_session_key

MAX_QUANTITY = 99  # per line: more is a wholesale order, by phone
MAX_LINES = 50
# A visitor with a cart sees their own pages, and keeps the cart when signing in.
SESSION_KEY = keep_at_sign_in(personal_session_key("cart"))


class CartError(Refused):
    pass


class NoLongerSold(CartError):
    """The product is not one the catalogue sells today (a proposal, rejected, unlisted, or its
    certificate revoked or expired): it cannot go into a cart."""

    def __init__(self) -> None:
        super().__init__(_("Sorry, this product can no longer be bought."))


class Cart:
    """A cart bound to a session (visitor) or a user (signed in). It takes only what the
    catalogue sells on ``today`` (storefront.catalog.cards.sellable_ids)."""

    def __init__(
        self, session: MutableMapping[str, Any], user: object = None, today: date | None = None
    ):
        """``user``: the current user, signed in or not (only a signed-in one keeps a cart)."""
        self._session = session
        signed_in = user is not None and getattr(user, "is_authenticated", False)
        self._user = cast("User | None", user if signed_in else None)
        self._today = today or clock.today()

    # reading
    def items(self) -> dict[int, int]:
        if self._user is not None:
            rows = (
                db.session.execute(
                    select(CartItem.product_id, CartItem.quantity).filter_by(user_id=self._user.id)
                )
                .tuples()
                .all()
            )
            return dict(rows)
        raw = self._session.get(SESSION_KEY) or {}
        return {int(k): int(v) for k, v in raw.items() if str(k).isdecimal() and int(v) > 0}

    def count(self) -> int:
        return sum(self.items().values())

    # changing
    def set(self, product_id: int, quantity: int) -> None:
        """Set a line's quantity (0 removes it). Refused (NoLongerSold) for a product the
        catalogue does not sell today; a line already in the cart keeps its quantity (it is
        shown flagged and cannot be checked out) and can always be removed."""
        if not isinstance(quantity, int) or quantity < 0 or quantity > MAX_QUANTITY:
            raise CartError(_("Choose a quantity from 1 to %(n)d.", n=MAX_QUANTITY))
        items = self.items()
        if quantity == items.get(product_id, 0):
            return
        if quantity and product_id not in sellable_ids({product_id}, self._today):
            raise NoLongerSold()
        if quantity and product_id not in items and len(items) >= MAX_LINES:
            raise CartError(_("The cart is full."))
        if quantity and product_id not in items and db.session.get(Product, product_id) is None:
            raise CartError(_("No such product."))  # a made-up id: no row may point at it
        if self._user is not None:
            item = db.session.scalar(
                select(CartItem).filter_by(user_id=self._user.id, product_id=product_id)
            )
            if quantity == 0:
                if item is not None:
                    db.session.delete(item)
            elif item is None:
                db.session.add(
                    CartItem(user_id=self._user.id, product_id=product_id, quantity=quantity)
                )
            else:
                item.quantity = quantity
            db.session.flush()
        else:
            items[product_id] = quantity
            self._session[SESSION_KEY] = {str(k): v for k, v in items.items() if v}

    def add(self, product_id: int, quantity: int = 1) -> None:
        """Add to a line; the line stops at MAX_QUANTITY."""
        if not isinstance(quantity, int) or not 0 < quantity <= MAX_QUANTITY:
            raise CartError(_("Choose a quantity from 1 to %(n)d.", n=MAX_QUANTITY))
        current = self.items().get(product_id, 0)
        self.set(product_id, min(current + quantity, MAX_QUANTITY))

    def clear(self) -> None:
        if self._user is not None:
            db.session.execute(CartItem.__table__.delete().where(CartItem.user_id == self._user.id))
        self._session.pop(SESSION_KEY, None)

    def restore(self, items: dict[int, int]) -> None:
        """After a checkout that was rolled back: the visitor's lines come back (a signed-in
        customer's came back with the rollback)."""
        if self._user is None and items:
            self._session[SESSION_KEY] = {str(k): v for k, v in items.items()}

    def merge_session_cart(self, session: MutableMapping[str, Any]) -> None:
        """At sign-in: what the visitor put in the cart joins what the account kept."""
        raw = session.pop(SESSION_KEY, None) or {}
        for key, quantity in raw.items():
            if str(key).isdecimal() and int(quantity) > 0:
                try:
                    self.add(int(key), int(quantity))
                except CartError:
                    continue  # no longer sold, or the account's cart is full: left behind


@dataclass
class CartLine:
    product: Product
    quantity: int
    stars: int | None
    available_online: int
    problem: str | None  # why it cannot be checked out now
    notices: list[str] = field(default_factory=list)  # catalog.notices, as the page shows them

    @property
    def line_total(self) -> int:
        return self.product.price_vnd * self.quantity


@dataclass
class CartView:
    lines: list[CartLine]

    @property
    def subtotal(self) -> int:
        return sum(line.line_total for line in self.lines if not line.problem)

    @property
    def can_check_out(self) -> bool:
        return bool(self.lines) and not any(line.problem for line in self.lines)

    @property
    def producer_count(self) -> int:
        return len({line.product.producer_id for line in self.lines})

    @property
    def adults_only(self) -> list[CartLine]:
        """Lines sold to adults only: checkout asks the buyer to confirm their age."""
        return [line for line in self.lines if ProductNotice.ADULTS_ONLY in line.notices]


def view(items: dict[int, int], today: date) -> CartView:
    """The cart as it is now: live price, stars of the active certificate, online stock, the
    law's notices, and what stops a line from being bought. Six queries whatever its size."""
    if not items:
        return CartView([])
    values = {"ids": list(items), "today": today}
    products = db.session.scalars(_products_statement(), values).all()
    notices = notices_by_product(products)
    stars = dict(db.session.execute(_stars_statement(), values).tuples().all())
    online = dict(db.session.execute(_online_statement(), values).tuples().all())
    sellable = sellable_ids(items, today)
    lines = []
    for product in sorted(products, key=lambda p: (p.producer.name, p.name)):
        quantity = items[product.id]
        available = int(online.get(product.id) or 0)
        problem = None if product.id in sellable else _why_not_sold(stars.get(product.id))
        lines.append(
            CartLine(
                product, quantity, stars.get(product.id), available, problem, notices[product.id]
            )
        )
    return CartView(lines)


# The cart's statements are built once per process (the cart, the checkout page and every
# checkout POST view the cart, a refused one twice): they run with new values only.


@cache
def _products_statement() -> Select:
    return (
        select(Product)
        .where(Product.id.in_(bindparam("ids", expanding=True)))
        .options(joinedload(Product.producer), selectinload(Product.images))
    )


@cache
def _stars_statement() -> Select:
    return (
        select(Product.id, Certificate.stars)
        .join(Certificate, active_certificate_join(bindparam("today", type_=Date)))
        .where(Product.id.in_(bindparam("ids", expanding=True)))
    )


@cache
def _online_statement() -> Select:
    return (
        select(StockLevel.product_id, func.sum(StockLevel.quantity - StockLevel.reserved))
        .join(StockLocation, StockLocation.id == StockLevel.location_id)
        .where(
            StockLevel.product_id.in_(bindparam("ids", expanding=True)),
            StockLocation.kind == LocationKind.WAREHOUSE,
        )
        .group_by(StockLevel.product_id)
    )


def _why_not_sold(stars: int | None) -> str:
    """In words for the buyer, why a product the catalogue does not sell cannot be bought."""
    if stars is None:
        return _("Its OCOP certificate is no longer valid, so it cannot be sold as OCOP.")
    return _("No longer on sale.")
