"""The listing read model (``product_listings``, models.ProductListing): kept in step with what
it is made of, in the transaction that changes it.

``refresh_listing(product_ids)`` is the one function that rewrites rows. The services that change
a product, its price, its listing or approval, its region, its certificates or pictures, or its
producer's name need not call it: the listeners below collect the products touched by a flush or
by an UPDATE/DELETE statement and refresh them just before COMMIT. Stock changes
(inventory.services) only refresh the ``in_stock_online`` flag, and only a flag that flips (stock
crossing zero) changes the listing and raises the catalogue generation.

``check()`` (``flask --app wsgi catalog check-listing``) compares the table with what it should
hold, reports every difference and rebuilds it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import (
    ColumnElement,
    Exists,
    ScalarSelect,
    Select,
    and_,
    delete,
    event,
    insert,
    inspect,
    select,
    true,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, scoped_session

from storefront.catalog.models import (
    Certificate,
    CertificateStatus,
    Product,
    ProductImage,
    ProductListing,
    ReviewStatus,
)
from storefront.extensions import db
from storefront.inventory.models import LocationKind, StockLevel, StockLocation
from storefront.register import generation
from storefront.register.models import Producer

_TOUCHED = "listing_products_touched"
_RENAMED = "listing_producers_renamed"
COLUMNS = (
    "product_id",
    "name",
    "search_name",
    "search_text",
    "stars",
    "star_order",
    "group",
    "region_id",
    "producer_id",
    "price_vnd",
    "created_at",
    "expires_on",
    "code",
    "unit",
    "producer_code",
    "producer_name",
    "is_demo",
    "certificate_number",
    "certificate_issued_on",
    "picture",
    "in_stock_online",
)


def _in_stock_online(product_id_column) -> Exists:
    """Units available in the producer's warehouse (what online orders ship from) above zero."""
    return (
        select(StockLevel.id)
        .join(StockLocation, StockLocation.id == StockLevel.location_id)
        .where(
            StockLevel.product_id == product_id_column,
            StockLocation.kind == LocationKind.WAREHOUSE,
            StockLevel.quantity - StockLevel.reserved > 0,
        )
        .exists()
    )


def _first_picture(product_id_column) -> ScalarSelect[str]:
    """The stored name of the product's picture at place 0 (its first)."""
    return (
        select(ProductImage.filename)
        .where(ProductImage.product_id == product_id_column, ProductImage.position == 0)
        .scalar_subquery()
    )


def expected_rows() -> Select:
    """What the read model should hold: one row per approved, listed product with an active
    certificate (its expiry date kept: pages leave out what expired before the cron ran)."""
    return (
        select(
            Product.id,
            Product.name,
            Product.search_name,
            Product.search_text,
            Certificate.stars,
            (-Certificate.stars).label("star_order"),
            Product.group,
            Product.region_id,
            Product.producer_id,
            Product.price_vnd,
            Product.created_at,
            Certificate.expires_on,
            Product.code,
            Product.unit,
            Producer.code,
            Producer.name,
            Product.is_demo,
            Certificate.decision_number,
            Certificate.issued_on,
            _first_picture(Product.id),
            _in_stock_online(Product.id),
        )
        .join(
            Certificate,
            and_(
                Certificate.product_id == Product.id,
                Certificate.status == CertificateStatus.ACTIVE,
            ),
        )
        .join(Producer, Producer.id == Product.producer_id)
        .where(Product.listed.is_(True), Product.review_status == ReviewStatus.APPROVED)
    )


def refresh_listing(
    product_ids: Iterable[int], session: Session | scoped_session | None = None
) -> None:
    """Rewrite the read model's rows of these products from what they are made of now (a
    product no longer sellable loses its row). Two statements; called before COMMIT."""
    session = session if session is not None else db.session
    ids = sorted(set(product_ids))
    if not ids:
        return
    table = ProductListing.__table__
    session.execute(delete(table).where(table.c.product_id.in_(ids)))
    session.execute(insert(table).from_select(COLUMNS, expected_rows().where(Product.id.in_(ids))))
    generation.note_change(session)


def refresh_stock_flags(
    product_ids: Iterable[int], session: Session | scoped_session | None = None
) -> int:
    """Set ``in_stock_online`` of these products where their stock crossed zero; how many flipped
    (then the catalogue generation is raised: the cards say "In stock" or "Out of stock")."""
    session = session if session is not None else db.session
    ids = sorted(set(product_ids))
    if not ids:
        return 0
    table = ProductListing.__table__
    now_in_stock = _in_stock_online(table.c.product_id)
    # Through the connection: the ORM's statement listeners would count an UPDATE that flips
    # nothing as a change of the catalogue.
    flipped = (
        session.connection()
        .execute(
            update(table)
            .where(table.c.product_id.in_(ids), table.c.in_stock_online != now_in_stock)
            .values(in_stock_online=now_in_stock)
        )
        .rowcount
    )
    if flipped:
        generation.note_change(session)
    return flipped


def rebuild(connection: Connection) -> None:
    """Fill the read model from scratch (migrations, the check command, bulk loads)."""
    table = ProductListing.__table__
    connection.execute(delete(table))
    connection.execute(insert(table).from_select(COLUMNS, expected_rows()))


@dataclass
class Drift:
    missing: list[int] = field(default_factory=list)  # sellable, but no row
    extra: list[int] = field(default_factory=list)  # a row, but not sellable
    different: list[int] = field(default_factory=list)  # a row that says something else

    def __bool__(self) -> bool:
        return bool(self.missing or self.extra or self.different)


def check() -> Drift:
    """Compare the read model with what it should hold, then rebuild it. Returns the drift."""
    expected = {row[0]: tuple(row) for row in db.session.execute(expected_rows())}
    table = ProductListing.__table__
    actual = {
        row[0]: tuple(row)
        for row in db.session.execute(select(*(table.c[name] for name in COLUMNS)))
    }
    drift = Drift(
        missing=sorted(expected.keys() - actual.keys()),
        extra=sorted(actual.keys() - expected.keys()),
        different=sorted(
            product_id
            for product_id in expected.keys() & actual.keys()
            if _normalised(expected[product_id]) != _normalised(actual[product_id])
        ),
    )
    rebuild(db.session.connection())
    if drift:
        generation.note_change(db.session)
    return drift


def _normalised(row: tuple) -> tuple:
    """SQLite answers the stock flag of the expected rows as 0/1."""
    return (*row[:-1], bool(row[-1]))


# What a producer shows on its products' cards: changing another of its columns (a phone
# number) leaves their rows alone.
_PRODUCER_SHOWN = ("code", "name")


@event.listens_for(Session, "after_flush")
def _note_touched_products(session, _flush_context) -> None:
    touched = session.info.setdefault(_TOUCHED, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Product) and obj.id is not None:
            touched.add(obj.id)
        elif isinstance(obj, Certificate | ProductImage) and obj.product_id is not None:
            touched.add(obj.product_id)
        elif isinstance(obj, Producer) and obj in session.dirty and _renamed(obj):
            session.info.setdefault(_RENAMED, set()).add(obj.id)  # its products: before COMMIT


def _renamed(producer: Producer) -> bool:
    return any(inspect(producer).attrs[name].history.has_changes() for name in _PRODUCER_SHOWN)


def _products_of(session, producers: ColumnElement[bool]) -> list[int]:
    """The ids of the products of the producers ``producers`` selects."""
    return list(
        session.execute(
            select(Product.id).where(Product.producer_id.in_(select(Producer.id).where(producers)))
        ).scalars()
    )


# Tables whose rows are in the read model, with the column that names their product.
_BULK_WATCHED = {"products": "id", "certificates": "product_id", "product_images": "product_id"}


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_statements(state) -> None:
    """UPDATE and DELETE statements on products, certificates, pictures or producers: the rows
    they are about to change are looked up by the same WHERE clause first, and refreshed before
    COMMIT."""
    if not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table is None:
        return
    name, where = table.name, state.statement.whereclause
    touched = state.session.info.setdefault(_TOUCHED, set())
    if name == "producers":
        touched.update(_products_of(state.session, true() if where is None else where))
    elif name in _BULK_WATCHED:
        found = select(table.c[_BULK_WATCHED[name]])
        if where is not None:
            found = found.where(where)
        touched.update(state.session.execute(found).scalars())


@event.listens_for(Session, "before_commit", insert=True)
def _refresh_before_commit(session) -> None:
    """Runs before the generation's listener (insert=True), so what it changes is counted."""
    session.flush()
    touched = session.info.pop(_TOUCHED, set())
    renamed = session.info.pop(_RENAMED, set())
    if renamed:
        touched.update(_products_of(session, Producer.id.in_(renamed)))
    if touched:
        refresh_listing(touched, session)
    stocked = generation.stock_changed_in(session) - touched
    if stocked:
        refresh_stock_flags(stocked, session)


@event.listens_for(Session, "after_rollback")
def _forget_touched(session) -> None:
    session.info.pop(_TOUCHED, None)
    session.info.pop(_RENAMED, None)
