"""Names people read for the register's codes (groups, legal forms, levels, states), translated.
Templates write no status name themselves: they take it from here (see register)."""

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

GROUP_NAMES = {
    "food": _l("Food"),
    "drinks": _l("Drinks"),
    "herbal": _l("Herbal products"),
    "handicrafts": _l("Handicrafts"),
    "plants": _l("Ornamental plants and animals"),
    "tourism": _l("Community tourism, eco-tourism and tourist sites"),
}

GROUP_BLURBS = {
    "food": _l("Fresh and processed food, tea, coffee, spices"),
    "drinks": _l("Rice wines and soft drinks"),
    "herbal": _l("Ginseng, medicinal herbs, essential oils"),
    "handicrafts": _l("Brocade, weaving, wood and household goods"),
    "plants": _l("Orchids, bonsai and ornamental animals"),
    "tourism": _l("Homestays, village tours and experiences"),
}

LEGAL_FORM_NAMES = {
    "cooperative": _l("Cooperative"),
    "cooperative_group": _l("Cooperative group"),
    "enterprise": _l("Enterprise"),
    "household": _l("Household business"),
    "farm": _l("Farm"),
}

LEVEL_NAMES = {
    "district": _l("District"),
    "province": _l("Province"),
    "national": _l("National"),
}

REGION_KIND_NAMES = {
    "province": _l("province"),
    "city": _l("city"),
    "district": _l("district"),
    "town": _l("town"),
    "commune": _l("commune"),
    "ward": _l("ward"),
}

# Where a parcel goes, seen from its producer's province (storefront.delivery.models.Zone).
ZONE_NAMES = {
    "province": _l("Same province"),
    "region": _l("Same region (neighbouring provinces)"),
    "nationwide": _l("Nationwide"),
}

SORT_NAMES = {
    "relevance": _l("Best match"),
    "featured": _l("Most stars"),
    "price_asc": _l("Price: low to high"),
    "price_desc": _l("Price: high to low"),
    "newest": _l("Newest"),
    "name": _l("Name"),
}


ROLE_NAMES = {
    "customer": _l("Customer"),
    "producer": _l("Producer"),
    "staff": _l("Showroom staff"),
    "office": _l("OCOP office"),
}


ORDER_STATUS_NAMES = {
    "awaiting_payment": _l("waiting for payment"),
    "placed": _l("placed"),
    "paid": _l("paid"),
    "ready_for_pickup": _l("ready for pick-up"),
    "shipped": _l("shipped"),
    "delivered": _l("delivered"),
    "collected": _l("collected"),
    "cancelled": _l("cancelled"),
    "expired": _l("expired (not paid in time)"),
    "refunded": _l("refunded"),
    # a producer's part of an order
    "pending": _l("to pack"),
    "packed": _l("packed"),
    "returned": _l("returned"),
}

CERTIFICATE_STATE_NAMES = {
    "active": _l("valid"),
    "expired": _l("expired"),
    "revoked": _l("revoked"),
    "superseded": _l("superseded"),
}

REVIEW_STATUS_NAMES = {
    "pending": _l("waiting for review"),
    "approved": _l("approved"),
    "rejected": _l("rejected"),
}

TRANSFER_STATUS_NAMES = {
    "in_transit": _l("in transit"),
    "received": _l("received"),
    "cancelled": _l("cancelled"),
}

# A completed sale shows no state; only a voided one is marked.
SALE_STATUS_NAMES = {
    "voided": _l("voided"),
}

MOVEMENT_KIND_NAMES = {
    "receipt": _l("receipt"),
    "sale": _l("sale"),
    "adjustment": _l("adjustment"),
    "transfer": _l("transfer"),
    "return": _l("return"),
}

PAYMENT_METHOD_NAMES = {
    "bank_transfer": _l("Bank transfer (VietQR)"),
    "cod": _l("Cash on delivery"),
    "cash_at_pickup": _l("Cash at the showroom"),
    "card": _l("Card (Stripe)"),
}

PAYMENT_REVIEW_REASONS = {
    "order_expired": _l("the order had expired"),
    "order_cancelled": _l("the order was cancelled"),
    "amount_differs": _l("the amount differs from the order's total"),
    "not_a_card_order": _l("the order is not paid by card"),
    "other_session": _l("not the payment session this order started"),
    "not_a_payment": _l("not a one-off payment"),
    "other_currency": _l("not in đồng (VND)"),
    "no_order_number": _l("the transfer content names no order"),
    "unknown_order": _l("no order has the number in the transfer content"),
    "amount_short": _l("less than the order's total"),
    "amount_over": _l("more than the order's total"),
    "already_paid": _l("the order was already paid"),
}

# The notices the law asks for, as the product page, the cart and the receipt print them (the
# Vietnamese wording is the legal one), and as the office names them when setting a rule.
NOTICE_TEXTS = {
    "adults_only": _l("Not for sale to persons under 18."),
    "not_a_medicine": _l(
        "This food is not a medicine and does not replace medicines that treat disease."
    ),
}
NOTICE_NAMES = {
    "adults_only": _l("Alcohol: not for sale to persons under 18 (age confirmed at checkout)"),
    "not_a_medicine": _l("Health supplement: not a medicine"),
}


def notice_in_vietnamese(notice: str) -> str:
    """A notice's legal Vietnamese wording whatever language the page is in: the counter's slip
    (printed or sent) is always in Vietnamese."""
    with force_locale("vi"):
        return str(NOTICE_TEXTS[notice])


def notice_texts(in_vietnamese: bool = False) -> dict[str, str]:
    """Every notice's text by name, for a page's script (the counter): in the page's language,
    or in the legal Vietnamese wording (its slip)."""
    if in_vietnamese:
        return {name: notice_in_vietnamese(name) for name in NOTICE_TEXTS}
    return {name: str(text) for name, text in NOTICE_TEXTS.items()}


def register(app) -> None:
    """The names as Jinja globals: every template and macro (also one imported without
    context) reads them, and no page pays a context processor for them."""
    app.jinja_env.globals.update(
        {
            "GROUP_NAMES": GROUP_NAMES,
            "GROUP_BLURBS": GROUP_BLURBS,
            "LEGAL_FORM_NAMES": LEGAL_FORM_NAMES,
            "LEVEL_NAMES": LEVEL_NAMES,
            "SORT_NAMES": SORT_NAMES,
            "ROLE_NAMES": ROLE_NAMES,
            "ORDER_STATUS_NAMES": ORDER_STATUS_NAMES,
            "PAYMENT_METHOD_NAMES": PAYMENT_METHOD_NAMES,
            "PAYMENT_REVIEW_REASONS": PAYMENT_REVIEW_REASONS,
            "CERTIFICATE_STATE_NAMES": CERTIFICATE_STATE_NAMES,
            "REVIEW_STATUS_NAMES": REVIEW_STATUS_NAMES,
            "TRANSFER_STATUS_NAMES": TRANSFER_STATUS_NAMES,
            "SALE_STATUS_NAMES": SALE_STATUS_NAMES,
            "MOVEMENT_KIND_NAMES": MOVEMENT_KIND_NAMES,
            "NOTICE_NAMES": NOTICE_NAMES,
            "ZONE_NAMES": ZONE_NAMES,
            "NOTICE_TEXTS": NOTICE_TEXTS,
            "notice_in_vietnamese": notice_in_vietnamese,
            "notice_texts": notice_texts,
        }
    )
