"""The one transition table for orders and for each producer's part of an order.

A change that is not listed here is refused. Who may make it is listed with it: "customer" (the
buyer, signed in or holding the order link), "producer" (of that part), "staff" (of the pick-up
showroom), "office", and "system" (webhooks, expiry, the order's own bookkeeping).

One rule besides the table: once any part has left its producer's warehouse (PARTS_SENT), the
buyer may no longer cancel; the goods have to come back first, and that goes through the office
(its returns flow records the parcel and puts the units back in stock).
"""

from __future__ import annotations

from storefront.orders.models import OrderStatus as O
from storefront.orders.models import PartStatus as P

ORDER_TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (O.AWAITING_PAYMENT, O.PAID): frozenset({"office", "system"}),
    (O.AWAITING_PAYMENT, O.CANCELLED): frozenset({"customer", "office"}),
    (O.AWAITING_PAYMENT, O.EXPIRED): frozenset({"system"}),
    (O.PLACED, O.READY_FOR_PICKUP): frozenset({"staff", "office"}),
    (O.PLACED, O.SHIPPED): frozenset({"system"}),  # every producer shipped its part
    (O.PLACED, O.CANCELLED): frozenset({"customer", "office"}),
    (O.PAID, O.READY_FOR_PICKUP): frozenset({"staff", "office"}),
    (O.PAID, O.SHIPPED): frozenset({"system"}),
    (O.PAID, O.REFUNDED): frozenset({"office", "system"}),
    (O.READY_FOR_PICKUP, O.COLLECTED): frozenset({"staff", "office"}),
    (O.READY_FOR_PICKUP, O.CANCELLED): frozenset({"office"}),
    (O.SHIPPED, O.DELIVERED): frozenset({"system"}),  # every part delivered
    # Every parcel came back (recorded by the office): unpaid, it is cancelled; paid, refunded.
    (O.SHIPPED, O.CANCELLED): frozenset({"office"}),
    (O.SHIPPED, O.REFUNDED): frozenset({"office"}),
    (O.DELIVERED, O.REFUNDED): frozenset({"office", "system"}),
    (O.COLLECTED, O.REFUNDED): frozenset({"office", "system"}),
}

PART_TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (P.PENDING, P.PACKED): frozenset({"producer", "office"}),
    (P.PACKED, P.SHIPPED): frozenset({"producer", "office"}),
    (P.PENDING, P.SHIPPED): frozenset({"producer", "office"}),
    (P.SHIPPED, P.DELIVERED): frozenset({"producer", "office"}),
    # The parcel came back to the producer: only the office records it (orders/returns.py).
    (P.SHIPPED, P.RETURNED): frozenset({"office"}),
    (P.DELIVERED, P.RETURNED): frozenset({"office"}),
    (P.PENDING, P.CANCELLED): frozenset({"system"}),
    (P.PACKED, P.CANCELLED): frozenset({"system"}),
}

# Orders whose reserved units are still held (cancelling or expiring releases them).
HOLDING_RESERVATIONS = frozenset({O.AWAITING_PAYMENT, O.PLACED, O.PAID, O.READY_FOR_PICKUP})
# A producer may work on its part only once the order is paid or is cash on delivery.
PARTS_WORKABLE = frozenset({O.PAID, O.PLACED})
FINAL = frozenset({O.CANCELLED, O.EXPIRED, O.REFUNDED})
# Parts whose units are still reserved in the warehouse (nothing has left it yet).
PARTS_HOLDING = frozenset({P.PENDING, P.PACKED})
# Parts that left the warehouse: after one of these the buyer may not cancel.
PARTS_SENT = frozenset({P.SHIPPED, P.DELIVERED, P.RETURNED})
# Parts whose parcel the office may record as come back.
PARTS_RETURNABLE = frozenset({P.SHIPPED, P.DELIVERED})
# Roles that may not cancel once a part is sent.
CANCEL_ENDS_AT_SHIPPING = frozenset({"customer"})


def order_allows(
    from_status: str, to_status: str, role: str, part_statuses: frozenset[str] = frozenset()
) -> bool:
    if role not in ORDER_TRANSITIONS.get((from_status, to_status), frozenset()):
        return False
    return not (
        to_status == O.CANCELLED and role in CANCEL_ENDS_AT_SHIPPING and part_statuses & PARTS_SENT
    )


def part_statuses(order) -> frozenset[str]:
    return frozenset(part.status for part in order.parts)


def may_cancel(order, role: str) -> bool:
    """Whether ``role`` may cancel this order now (the order page shows the button only then)."""
    return order_allows(order.status, O.CANCELLED, role, part_statuses(order))


def part_allows(from_status: str, to_status: str, role: str) -> bool:
    return role in PART_TRANSITIONS.get((from_status, to_status), frozenset())
