"""What a customer follows an order with: "Đơn hàng của tôi" by status tab, each line's picture,
each parcel's carrier and tracking page, and "Mua lại" (the same items back in the cart)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storefront.cart.services import Cart, CartError
from storefront.catalog.cards import sellable_ids
from storefront.catalog.models import ProductImage
from storefront.extensions import db
from storefront.orders.models import Order, OrderStatus
from storefront.orders.tracking import ParcelLink, all_carriers, parcel_link

# The tabs of "Đơn hàng của tôi" and the statuses (as read now: Order.state_on) each holds.
TABS: dict[str, tuple[object, frozenset[str]]] = {
    "awaiting": (_l("Awaiting payment"), frozenset({OrderStatus.AWAITING_PAYMENT})),
    "processing": (
        _l("Processing"),
        frozenset({OrderStatus.PLACED, OrderStatus.PAID, OrderStatus.READY_FOR_PICKUP}),
    ),
    "shipping": (_l("On the way"), frozenset({OrderStatus.SHIPPED})),
    "delivered": (_l("Delivered"), frozenset({OrderStatus.DELIVERED, OrderStatus.COLLECTED})),
    "cancelled": (
        _l("Cancelled"),
        frozenset({OrderStatus.CANCELLED, OrderStatus.EXPIRED, OrderStatus.REFUNDED}),
    ),
}
MAX_ORDERS = 200


@dataclass
class MyOrders:
    tab: str | None
    orders: list[Order]
    counts: dict[str, int]
    pictures: dict[int, str] = field(default_factory=dict)  # product id → picture file stem


def tab_of(state: str) -> str:
    return next(name for name, (_label, statuses) in TABS.items() if state in statuses)


def my_orders(customer_id: int, tab: str | None, now: datetime) -> MyOrders:
    """The customer's orders, newest first, those of ``tab`` only (all when None or unknown),
    with how many each tab holds."""
    orders = list(
        db.session.scalars(
            select(Order)
            .where(Order.customer_id == customer_id)
            .options(selectinload(Order.lines))
            .order_by(Order.created_at.desc(), Order.id.desc())
            .limit(MAX_ORDERS)
        )
    )
    counts = dict.fromkeys(TABS, 0)
    for order in orders:
        counts[tab_of(order.state_on(now))] += 1
    if tab in TABS:
        orders = [o for o in orders if o.state_on(now) in TABS[tab][1]]
    else:
        tab = None
    product_ids = {line.product_id for order in orders for line in order.lines}
    return MyOrders(tab, orders, counts, first_pictures(product_ids))


def first_pictures(product_ids: set[int]) -> dict[int, str]:
    """Each product's first picture (file stem; the thumbnail is ``<stem>-thumb.jpg``)."""
    if not product_ids:
        return {}
    rows = db.session.execute(
        select(ProductImage.product_id, ProductImage.filename)
        .where(ProductImage.product_id.in_(product_ids))
        .order_by(ProductImage.product_id, ProductImage.position)
    )
    pictures: dict[int, str] = {}
    for product_id, filename in rows:
        pictures.setdefault(product_id, filename)
    return pictures


def parcels(order: Order) -> dict[int, ParcelLink]:
    """Each shipped part's parcel: carrier, tracking number, the carrier's tracking page."""
    carriers = all_carriers()
    links = {}
    for part in order.parts:
        link = parcel_link(part.carrier, part.tracking_number, carriers)
        if link is not None:
            links[part.id] = link
    return links


def may_buy_again(order: Order) -> bool:
    """An order placed (not one still waiting for its payment) can be bought again."""
    return order.status != OrderStatus.AWAITING_PAYMENT


@dataclass
class BoughtAgain:
    added: list[str]
    left_out: list[str]  # product names no longer sold (or that did not fit in the cart)


def buy_again(order: Order, cart: Cart, today: date) -> BoughtAgain:
    """Put the order's items back in the cart, each at its ordered quantity (added to what the
    cart holds), but only what the catalogue sells today; the rest is named in ``left_out``."""
    result = BoughtAgain([], [])
    sold = sellable_ids({line.product_id for line in order.lines}, today)
    for line in order.lines:
        if line.product_id not in sold:
            result.left_out.append(line.product_name)
            continue
        try:
            cart.add(line.product_id, line.quantity)
        except CartError:
            result.left_out.append(line.product_name)
            continue
        result.added.append(line.product_name)
    return result
