"""The counter: what a scan finds, ringing up a sale, voids and returns.

Every function takes the acting staff member and works only at their showroom. Prices, stars and
totals come from the database, never from the counter's screen; stock leaves and comes back only
through the inventory service, inside the caller's transaction (callers commit).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import segno
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from storefront.catalog.models import Certificate, CertificateStatus, Product, ReviewStatus
from storefront.catalog.services import listed_clause
from storefront.clock import day_bounds, utcnow
from storefront.extensions import db
from storefront.formatting import format_day, format_moment
from storefront.inventory import services as stock
from storefront.inventory.models import StockLevel
from storefront.numbers import parse_int, parse_vnd
from storefront.register.codes import CODE_ALPHABET
from storefront.showrooms.errors import NotFound, ScanRefused, ShowroomError
from storefront.showrooms.models import (
    Sale,
    SaleLine,
    SalePayment,
    SaleReturn,
    SaleStatus,
)
from storefront.showrooms.scans import ScanKey, read_scan
from storefront.showrooms.staff import own_showroom_id
from storefront.vietqr import build_vietqr_payload

MAX_LINES = 200
MAX_QUANTITY = 999
MAX_CASH_VND = 1_000_000_000
CLIENT_ID_RE = re.compile(r"[A-Za-z0-9_-]{8,64}")
# A sale kept offline carries the counter's clock and its shift (when the counter page was
# opened, signed by the shop): a time before the shift or in the future is refused.
OFFLINE_WINDOW = timedelta(days=7)  # a shift older than this is over
CLOCK_SKEW = timedelta(minutes=5)
SHIFT_SALT = "pos-shift"


@dataclass
class CounterProduct:
    """What the counter shows of a product it may sell: stars from the active certificate."""

    id: int
    code: str
    ean: str | None
    name: str
    unit: str
    group: str
    price_vnd: int
    stars: int
    producer_name: str
    available: int  # at this showroom
    image: str | None  # stored picture name, without size


# --- scanning --------------------------------------------------------------------------------


def scan(actor, text: str, own_hosts: set[str], today: date) -> CounterProduct | ScanKey:
    """The product a scan names, if this showroom may sell it now; a pick-up order's pass comes
    back as its ScanKey. Refused (ScanRefused, with the reason) for garbage, another shop's code,
    an unknown code, a certificate that is not valid today, or nothing on this shelf."""
    showroom_id = own_showroom_id(actor)
    key = read_scan(text, own_hosts)
    if key.kind == "pickup":
        return key
    column = Product.ean if key.kind == "ean" else Product.code
    product = db.session.scalar(
        select(Product)
        .where(column == key.value, Product.review_status == ReviewStatus.APPROVED)
        .options(selectinload(Product.certificates), selectinload(Product.images))
    )
    if product is None:
        raise ScanRefused(
            _("No OCOP product has the code %(code)s. Check the label.", code=key.value),
            "unknown",
        )
    certificate = _refuse_unless_sellable(product, today)
    available = stock.available(product.id, stock.showroom_location(showroom_id).id)
    if available <= 0:
        raise ScanRefused(
            _("%(name)s is not in stock at this showroom.", name=product.name), "out_of_stock"
        )
    return _counter_product(product, certificate, available)


def _refuse_unless_sellable(product: Product, today: date) -> Certificate:
    """The active certificate, or a refusal saying what is wrong with the product."""
    for certificate in product.certificates:
        if certificate.state_on(today) == CertificateStatus.ACTIVE:
            if not product.listed:
                raise ScanRefused(
                    _("%(name)s is taken off sale by the OCOP office.", name=product.name),
                    "not_listed",
                )
            return certificate
    latest = max(product.certificates, key=lambda c: (c.issued_on, c.id), default=None)
    state = latest.state_on(today) if latest else None
    if state == CertificateStatus.REVOKED:
        message = _("Do not sell: the OCOP certificate of %(name)s was revoked.", name=product.name)
    elif state == CertificateStatus.EXPIRED:
        message = _(
            "Do not sell: the OCOP certificate of %(name)s expired on %(day)s.",
            name=product.name,
            day=format_day(latest.expires_on),
        )
    else:
        message = _("Do not sell: %(name)s has no valid OCOP certificate.", name=product.name)
    raise ScanRefused(message, state or "uncertified")


def _counter_product(product: Product, certificate: Certificate, available: int):
    return CounterProduct(
        id=product.id,
        code=product.code,
        ean=product.ean,
        name=product.name,
        unit=product.unit,
        group=product.group,
        price_vnd=product.price_vnd,
        stars=certificate.stars,
        producer_name=product.producer.name,
        available=available,
        image=product.images[0].filename if product.images else None,
    )


def counter_catalogue(actor, today: date) -> list[CounterProduct]:
    """Everything this showroom may sell now, for the counter to keep when the connection drops.
    Three queries."""
    showroom_id = own_showroom_id(actor)
    location = stock.showroom_location(showroom_id)
    rows = db.session.execute(
        select(Product, StockLevel.quantity - StockLevel.reserved)
        .join(StockLevel, StockLevel.product_id == Product.id)
        .where(
            StockLevel.location_id == location.id,
            StockLevel.quantity - StockLevel.reserved > 0,
            listed_clause(),
        )
        .options(
            selectinload(Product.certificates),
            selectinload(Product.images),
            selectinload(Product.producer),
        )
        .order_by(Product.name)
    ).all()
    catalogue = []
    for product, available in rows:
        certificate = next(
            (c for c in product.certificates if c.state_on(today) == CertificateStatus.ACTIVE),
            None,
        )
        if certificate is not None:
            catalogue.append(_counter_product(product, certificate, available))
    return catalogue


# --- pricing ---------------------------------------------------------------------------------


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
            certificate = _refuse_unless_sellable(product, today)
        except ScanRefused as refused:
            raise ShowroomError(str(refused)) from None
        priced.append(PricedLine(product, certificate.stars, quantity))
    return priced


# --- selling ---------------------------------------------------------------------------------


def new_sale_number() -> str:
    return "BH" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def record_sale(
    actor,
    client_id: str,
    raw_lines,
    *,
    payment: str,
    cash_given=None,
    client_total=None,
    sold_at: datetime | None = None,
    shift: str | None = None,
    today: date,
) -> tuple[Sale, bool]:
    """Ring up a sale: the units leave this showroom's shelf (one conditional UPDATE each, one
    ledger row each) and the sale is kept, all in the caller's transaction. Returns (sale, True)
    for a new sale and (the first sale, False) when this ``client_id`` was recorded already.
    Refused when any line is not on the shelf, the cash does not cover the total, the input is
    wrong, or ``sold_at`` is in the future or before the counter's shift began (``shift``, the
    token of open_shift; without one, the start of ``today``); then nothing changed (the caller
    rolls back)."""
    showroom_id = own_showroom_id(actor)
    if not isinstance(client_id, str) or not CLIENT_ID_RE.fullmatch(client_id):
        raise ShowroomError(_("The sale has no valid id; reload the counter page."))
    existing = _sale_by_client_id(client_id)
    if existing is not None:
        return _same_showroom(existing, showroom_id), False
    sold_at = _sold_at(sold_at, shift_start(actor, shift, today))
    if payment not in set(SalePayment):
        raise ShowroomError(_("Choose how the customer pays: cash or VietQR."))
    lines = price_lines(raw_lines, today)
    total = sum(line.total for line in lines)
    cash = _cash_given(payment, cash_given, total)
    sale = Sale(
        number=new_sale_number(),
        client_id=client_id,
        showroom_id=showroom_id,
        status=SaleStatus.COMPLETED,
        payment_method=payment,
        total_vnd=total,
        cash_given_vnd=cash,
        client_total_vnd=_whole_vnd(client_total),
        staff_id=actor.id,
        staff_name=actor.display_name,
        sold_at=sold_at,
        lines=[
            SaleLine(
                product_id=line.product.id,
                producer_id=line.product.producer_id,
                product_code=line.product.code,
                product_name=line.product.name,
                unit=line.product.unit,
                producer_name=line.product.producer.name,
                stars=line.stars,
                unit_price_vnd=line.product.price_vnd,
                quantity=line.quantity,
                line_total_vnd=line.total,
            )
            for line in lines
        ],
    )
    db.session.add(sale)
    try:
        db.session.flush()  # the unique client id first: a concurrent twin stops here
    except IntegrityError:
        db.session.rollback()
        first = _sale_by_client_id(client_id)
        if first is None:
            raise
        return _same_showroom(first, showroom_id), False
    location_id = stock.showroom_location(showroom_id).id
    for line in lines:
        try:
            stock.commit_sale(
                line.product.id,
                location_id,
                line.quantity,
                actor=actor,
                reference=sale.number,
                reason="Bán tại quầy",
            )
        except stock.OutOfStock:
            have = stock.available(line.product.id, location_id)
            raise ShowroomError(
                _(
                    "Only %(n)d × %(name)s on the shelf; the sale asks for %(want)d.",
                    n=max(have, 0),
                    name=line.product.name,
                    want=line.quantity,
                )
            ) from None
    return sale, True


def _sale_by_client_id(client_id: str) -> Sale | None:
    return db.session.scalar(select(Sale).where(Sale.client_id == client_id))


def _same_showroom(sale: Sale, showroom_id: int) -> Sale:
    if sale.showroom_id != showroom_id:
        raise NotFound(_("No such sale."))
    return sale


def _cash_given(payment: str, raw, total: int) -> int | None:
    if payment != SalePayment.CASH:
        return None
    given = _whole_vnd(raw)
    if given is None:
        return total  # exact money, no change
    if given < total:
        raise ShowroomError(_("The cash given is less than the total."))
    return given


def _whole_vnd(raw) -> int | None:
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str | int):
        raise ShowroomError(_("Enter money as a whole number of đồng."))
    try:
        return parse_vnd(raw, maximum=MAX_CASH_VND)
    except ValueError:
        raise ShowroomError(_("Enter money as a whole number of đồng.")) from None


def open_shift(actor, now: datetime | None = None) -> str:
    """A signed note of when this staff member opened the counter. Sales rung up on that page,
    sent at once or later from its offline queue, carry it: none may say it was sold before."""
    showroom_id = own_showroom_id(actor)
    opened = (now or utcnow()).isoformat()
    return _shift_signer().dumps({"u": actor.id, "s": showroom_id, "t": opened})


def shift_start(actor, token, today: date) -> datetime:
    """When the counter that made a sale was opened: from its shift token if the shop signed it
    for this staff member and showroom within OFFLINE_WINDOW, else the start of ``today`` in
    Vietnam (a page from before shifts, or a token that is not the shop's)."""
    if isinstance(token, str) and len(token) <= 500:
        try:
            data = _shift_signer().loads(token, max_age=OFFLINE_WINDOW.total_seconds())
        except BadData:
            data = None
        if (
            isinstance(data, dict)
            and data.get("u") == actor.id
            and data.get("s") == actor.showroom_id
            and isinstance(data.get("t"), str)
        ):
            return datetime.fromisoformat(data["t"])
    return day_bounds(today)[0]


def _shift_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SHIFT_SALT)


def _sold_at(sold_at: datetime | None, shift_began: datetime) -> datetime:
    """The counter's time of the sale, if it is believable: not in the future, not before the
    shift (both give or take the clocks' skew). Refused otherwise, so a sale cannot be dated
    into a day already counted; the counter keeps a refused sale on screen with the reason."""
    now = utcnow()
    if sold_at is None or sold_at.tzinfo is None:
        return now
    if sold_at > now + CLOCK_SKEW:
        raise ShowroomError(
            _("The sale's time is in the future: check the counter's clock. Nothing was recorded.")
        )
    if sold_at < shift_began - CLOCK_SKEW:
        raise ShowroomError(
            _(
                "The sale's time (%(sold)s) is before this counter's shift began (%(began)s): "
                "nothing was recorded. Check the counter's clock, or ring the sale up again.",
                sold=format_moment(sold_at),
                began=format_moment(shift_began),
            )
        )
    return min(sold_at, now)


# --- VietQR at the counter -------------------------------------------------------------------


@dataclass
class CounterVietQR:
    payload: str
    image_data_uri: str
    amount: int
    content: str
    bank_name: str
    account_number: str
    account_name: str
    is_demo: bool


def counter_vietqr(actor, client_id: str, raw_lines, today: date) -> CounterVietQR:
    """The VietQR for this sale's total, priced here; the content names the sale so the
    transfer can be found on the statement."""
    own_showroom_id(actor)
    if not isinstance(client_id, str) or not CLIENT_ID_RE.fullmatch(client_id):
        raise ShowroomError(_("The sale has no valid id; reload the counter page."))
    total = sum(line.total for line in price_lines(raw_lines, today))
    content = "BH " + re.sub(r"[^A-Za-z0-9]", "", client_id)[:8].upper()
    config = current_app.config
    payload = build_vietqr_payload(
        config["VIETQR_BANK_BIN"], config["VIETQR_ACCOUNT_NUMBER"], total, content
    )
    image = segno.make(payload, error="m", micro=False).png_data_uri(scale=6, border=4)
    return CounterVietQR(
        payload,
        image,
        total,
        content,
        config["VIETQR_BANK_NAME"],
        config["VIETQR_ACCOUNT_NUMBER"],
        config["VIETQR_ACCOUNT_NAME"],
        config["VIETQR_IS_DEMO"],
    )


# --- looking back: sales, voids, returns -----------------------------------------------------


def get_sale(actor, number: str) -> Sale:
    """A sale of this showroom, else NotFound."""
    showroom_id = own_showroom_id(actor)
    sale = db.session.scalar(
        select(Sale)
        .where(Sale.number == (number or "").strip().upper())
        .options(selectinload(Sale.lines), selectinload(Sale.returns))
    )
    if sale is None or sale.showroom_id != showroom_id:
        raise NotFound(_("No such sale."))
    return sale


def sales_of_day(actor, day: date) -> list[Sale]:
    showroom_id = own_showroom_id(actor)
    start, end = day_bounds(day)
    return list(
        db.session.scalars(
            select(Sale)
            .where(Sale.showroom_id == showroom_id, Sale.sold_at >= start, Sale.sold_at < end)
            .options(selectinload(Sale.lines), selectinload(Sale.returns))
            .order_by(Sale.sold_at.desc(), Sale.id.desc())
        )
    )


def void_sale(actor, number: str, reason: str) -> Sale:
    """Cancel a whole sale: every unit not yet returned goes back on the shelf (ledger rows)
    and its money back to the customer. Once only; a reason is needed."""
    sale = get_sale(actor, number)
    reason = _reason(reason)
    result = db.session.execute(
        update(Sale)
        .where(Sale.id == sale.id, Sale.status == SaleStatus.COMPLETED)
        .values(status=SaleStatus.VOIDED, voided_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise ShowroomError(_("Sale %(number)s is voided already.", number=sale.number))
    db.session.refresh(sale, ["status", "voided_at"])
    for line in sale.lines:
        if line.returnable:
            _take_back(actor, sale, line, line.returnable, reason, "void")
    db.session.flush()
    return sale


def return_items(actor, number: str, quantities: dict[int, object], reason: str) -> list:
    """Units of a sale come back: ``{line_id: quantity}``. Each line at most what was sold and
    not yet returned; the units go back on the shelf, the money back to the customer."""
    sale = get_sale(actor, number)
    reason = _reason(reason)
    if sale.status != SaleStatus.COMPLETED:
        raise ShowroomError(
            _("Sale %(number)s is voided; nothing can be returned.", number=sale.number)
        )
    lines = {line.id: line for line in sale.lines}
    wanted = {}
    for line_id, raw in quantities.items():
        text = str(raw if raw is not None else "").strip()
        if text in ("", "0"):
            continue
        try:
            quantity = parse_int(text, minimum=1, maximum=10**9)  # the line's own limit below
        except ValueError:
            raise ShowroomError(_("Enter a whole number of units to return.")) from None
        if line_id not in lines:
            raise NotFound(_("No such line in this sale."))
        wanted[line_id] = quantity
    if not wanted:
        raise ShowroomError(_("Enter how many units come back."))
    taken_back = []
    for line_id, quantity in wanted.items():
        line = lines[line_id]
        if quantity > line.returnable:
            raise ShowroomError(
                _(
                    "At most %(n)d × %(name)s can come back.",
                    n=line.returnable,
                    name=line.product_name,
                )
            )
        taken_back.append(_take_back(actor, sale, line, quantity, reason, "return"))
    db.session.flush()
    return taken_back


def _take_back(actor, sale: Sale, line: SaleLine, quantity: int, reason: str, kind: str):
    result = db.session.execute(
        update(SaleLine)
        .where(SaleLine.id == line.id, SaleLine.returned_quantity + quantity <= SaleLine.quantity)
        .values(returned_quantity=SaleLine.returned_quantity + quantity)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise ShowroomError(_("These units came back already; reload the page."))
    db.session.refresh(line, ["returned_quantity"])
    stock.return_goods(
        line.product_id,
        stock.showroom_location(sale.showroom_id).id,
        quantity,
        actor=actor,
        reason=("Huỷ hoá đơn: " if kind == "void" else "Khách trả hàng: ") + reason,
        reference=sale.number,
    )
    back = SaleReturn(
        sale=sale,
        line=line,
        kind=kind,
        quantity=quantity,
        amount_vnd=line.unit_price_vnd * quantity,
        reason=reason,
        actor_id=actor.id,
        actor_name=actor.display_name,
    )
    db.session.add(back)
    return back


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ShowroomError(_("Say why (e.g. wrong item scanned, customer changed mind)."))
    return reason[:500]
