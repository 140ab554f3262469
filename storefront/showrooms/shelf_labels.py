"""Which shelf labels a showroom prints: its own certified products in stock, so many copies of
each, bounded per request. The PDF itself is drawn by qr.label_sheets."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from storefront.numbers import parse_int
from storefront.qr.label_sheets import DEFAULT_LAYOUT, LAYOUTS, Label, render_labels
from storefront.qr.services import verification_url
from storefront.showrooms.counter_products import counter_catalogue
from storefront.showrooms.errors import ShowroomError

MAX_LABELS = 1000


def label_sheet(actor, copies: dict[str, object], layout_key: str, today: date) -> bytes:
    """The PDF of ``{product code: copies}`` for this showroom's products in ``layout_key``.
    Refused for an unknown layout, a bad number, a product this showroom does not sell, no
    labels at all, or more than MAX_LABELS in one request."""
    layout = LAYOUTS.get(layout_key or DEFAULT_LAYOUT)
    if layout is None:
        raise ShowroomError(_("Choose one of the label layouts."))
    products = {p.code: p for p in counter_catalogue(actor, today)}
    wanted: list[tuple[str, int]] = []
    total = 0
    for code, raw in copies.items():
        text = str(raw if raw is not None else "").strip()
        if text in ("", "0"):
            continue
        try:
            count = parse_int(text, maximum=10**9)  # the sheet's own limit is checked below
        except ValueError:
            raise ShowroomError(_("Enter the number of labels as a whole number from 0.")) from None
        if code not in products:
            raise ShowroomError(
                _("%(code)s is not on sale at this showroom; no labels for it.", code=code[:20])
            )
        total += count
        wanted.append((code, count))
    if total == 0:
        raise ShowroomError(_("Choose at least one label to print."))
    if total > MAX_LABELS:
        raise ShowroomError(
            _(
                "At most %(max)d labels per request; you asked for %(n)d. Print them in parts.",
                max=MAX_LABELS,
                n=total,
            )
        )
    labels = []
    for code, count in wanted:
        product = products[code]
        label = Label(
            code=product.code,
            name=product.name,
            stars=product.stars,
            price_vnd=product.price_vnd,
            unit=product.unit,
            producer_name=product.producer_name,
            url=verification_url(product.code),
            ean=product.ean,
        )
        labels.extend([label] * count)
    return render_labels(labels, layout)
