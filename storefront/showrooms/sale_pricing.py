"""A sale as the counter sends it, priced here: lines merged by product, quantities checked, each
product one this showroom may sell today, at the database's price.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storefront.catalog.models import Product, ReviewStatus
from storefront.extensions import db
from storefront.showrooms.counter_products import refuse_unless_sellable
from storefront.showrooms.errors import ScanRefused, ShowroomError

MAX_LINES = 200
MAX_QUANTITY = 999
CLIENT_ID_RE = re.compile(r"[A-Za-z0-9_-]{8,64}")


def check_client_id(client_id) -> str:
    """The counter's own id for a sale (it names the sale until it is recorded)."""
    if not isinstance(client_id, str) or not CLIENT_ID_RE.fullmatch(client_id):
        raise ShowroomError(_("The sale has no valid id; reload the counter page."))
    return client_id


@dataclass
class PricedLine:
    product: Product
    stars: int
    quantity: int

    @property
    def total(self) -> int:
        return self.product.price_vnd * self.quantity


def price_lines(raw_lines, today: date) -> list[PricedLine]:
    """``[{code, quantity}]`` from the counter, merged by product and priced from the database.
    Refused for an empty or oversized sale, a bad quantity, or a product that may not be sold."""
    if not isinstance(raw_lines, list) or not raw_lines:
        raise ShowroomError(_("The sale is empty: scan a product first."))
    if len(raw_lines) > MAX_LINES:
        raise ShowroomError(_("A sale can have at most %(n)d lines.", n=MAX_LINES))
    quantities: dict[str, int] = {}
    for line in raw_lines:
        code = line.get("code") if isinstance(line, dict) else None
        quantity = line.get("quantity") if isinstance(line, dict) else None
        if not isinstance(code, str) or not code.strip():
            raise ShowroomError(_("A line of the sale has no product code."))
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            raise ShowroomError(_("Each quantity must be a whole number from 1."))
        code = code.strip().upper()
        quantities[code] = quantities.get(code, 0) + quantity
        if quantities[code] > MAX_QUANTITY:
            raise ShowroomError(_("At most %(n)d units of one product in a sale.", n=MAX_QUANTITY))
    products = {
        p.code: p
        for p in db.session.scalars(
            select(Product)
            .where(Product.code.in_(quantities), Product.review_status == ReviewStatus.APPROVED)
            .options(selectinload(Product.certificates), selectinload(Product.producer))
        )
    }
    priced = []
    for code, quantity in quantities.items():
        product = products.get(code)
        if product is None:
            raise ShowroomError(_("No OCOP product has the code %(code)s.", code=code[:20]))
        try:
            certificate = refuse_unless_sellable(product, today)
        except ScanRefused as refused:
            raise ShowroomError(str(refused)) from None
        priced.append(PricedLine(product, certificate.stars, quantity))
    return priced
