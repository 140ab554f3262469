"""The certified catalogue: products, their prices, pictures and certificates (regions and
producers, which everything refers to, are in storefront.register)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    inspect,
    text,
    true,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from storefront.catalog.search_document import place_names, search_fields
from storefront.clock import utcnow
from storefront.extensions import UtcDateTime, db
from storefront.register.models import Producer, Region


class ProductGroup(enum.StrEnum):
    """The six OCOP product groups."""

    FOOD = "food"
    DRINKS = "drinks"
    HERBAL = "herbal"
    HANDICRAFTS = "handicrafts"
    PLANTS = "plants"
    TOURISM = "tourism"


class CertifyingLevel(enum.StrEnum):
    DISTRICT = "district"
    PROVINCE = "province"
    NATIONAL = "national"


class CertificateStatus(enum.StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


class ReviewStatus(enum.StrEnum):
    """A product a producer proposes waits for the office before it can be listed."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class Product(db.Model):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price_vnd >= 0", name="price_not_negative"),
        Index("ix_products_listed_created", "listed", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Short public code printed in the QR label: /q/<code>
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id"), index=True)
    # Where the product is made; defaults to the producer's unit.
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    group: Mapped[str] = mapped_column(String(32), index=True)
    subgroup: Mapped[str | None] = mapped_column(String(64))
    unit: Mapped[str] = mapped_column(String(64))
    price_vnd: Mapped[int] = mapped_column(Integer, index=True)
    description: Mapped[str | None] = mapped_column(Text)
    ean: Mapped[str | None] = mapped_column(String(14), unique=True)
    # Weight of one packed unit as shipped, for delivery fees by weight band.
    shipping_weight_grams: Mapped[int | None] = mapped_column(Integer)
    # What the producer tells a buyer, shown on the product page in this order (the description
    # is Markdown, shown through storefront.rich_text only).
    net_quantity: Mapped[str | None] = mapped_column(String(64))  # "500 g", "500 ml"
    ingredients: Mapped[str | None] = mapped_column(Text)
    shelf_life: Mapped[str | None] = mapped_column(String(200))
    storage: Mapped[str | None] = mapped_column(Text)
    directions: Mapped[str | None] = mapped_column(Text)  # how to use
    origin: Mapped[str | None] = mapped_column(String(200))  # the commune it comes from
    # Texts above written for the demo (not the producer's) are shown as such.
    content_is_demo: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Folded by catalog.search_document, kept in step by _refresh_search_text below, indexed by
    # catalog.search_index (FTS5 on SQLite, pg_trgm on PostgreSQL).
    search_name: Mapped[str] = mapped_column(Text, default="", server_default="")
    search_text: Mapped[str] = mapped_column(Text, default="")
    listed: Mapped[bool] = mapped_column(default=True, server_default=true())
    review_status: Mapped[str] = mapped_column(
        String(16), default=ReviewStatus.APPROVED, server_default=ReviewStatus.APPROVED.value
    )
    # Invented demo values (price, stock) are shown as such.
    is_demo: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    # Bumped by every change: two people saving the same product at once cannot overwrite
    # each other silently (the second UPDATE finds no row with the version it read).
    version: Mapped[int] = mapped_column(default=1, server_default=text("1"))

    __mapper_args__ = {"version_id_col": version}

    producer: Mapped[Producer] = relationship(back_populates="products")
    region: Mapped[Region] = relationship()
    images: Mapped[list[ProductImage]] = relationship(
        order_by="ProductImage.position", cascade="all, delete-orphan"
    )
    certificates: Mapped[list[Certificate]] = relationship(
        back_populates="product",
        order_by="Certificate.issued_on.desc()",
        foreign_keys="Certificate.product_id",
    )


class PriceChange(db.Model):
    """The price history of a product: every change with who and when."""

    __tablename__ = "price_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    old_price_vnd: Mapped[int]
    new_price_vnd: Mapped[int]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


MAX_IMAGES_PER_PRODUCT = 8


class ProductImage(db.Model):
    """A picture of a product, at one of its MAX_IMAGES_PER_PRODUCT places (0 is shown first).
    The database holds the limit, so uploads at the same moment cannot pass it together."""

    __tablename__ = "product_images"
    __table_args__ = (
        UniqueConstraint("product_id", "position", name="uq_product_images_position"),
        CheckConstraint(
            f"position BETWEEN 0 AND {MAX_IMAGES_PER_PRODUCT - 1}", name="position_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    alt: Mapped[str | None] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(default=0)


class ProductNotice(enum.StrEnum):
    """Notices the law asks for on some kinds of product, on the page, the cart and the receipt."""

    ADULTS_ONLY = "adults_only"  # alcohol: not sold to people under 18; checkout asks
    NOT_A_MEDICINE = "not_a_medicine"  # health supplements


class ProductNoticeRule(db.Model):
    """The office's rule: every product of ``group`` (and, when ``subgroup`` is not empty, of
    that subgroup only, compared folded) carries ``notice``."""

    __tablename__ = "product_notice_rules"
    __table_args__ = (
        UniqueConstraint("group", "subgroup", "notice", name="uq_product_notice_rules"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group: Mapped[str] = mapped_column(String(32))
    subgroup: Mapped[str] = mapped_column(String(64), default="", server_default="")
    notice: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Certificate(db.Model):
    """One OCOP certificate. The history is kept; at most one is active per product."""

    __tablename__ = "certificates"
    __table_args__ = (
        CheckConstraint("stars BETWEEN 3 AND 5", name="stars_range"),
        CheckConstraint("score BETWEEN 0 AND 100", name="score_range"),
        CheckConstraint("expires_on > issued_on", name="expires_after_issue"),
        Index(
            "uq_certificates_one_active_per_product",
            "product_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    stars: Mapped[int]
    score: Mapped[int]
    level: Mapped[str] = mapped_column(String(16))
    decision_number: Mapped[str] = mapped_column(String(64), unique=True)
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16), default=CertificateStatus.ACTIVE)
    revoked_on: Mapped[date | None] = mapped_column(Date)
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    # The scanned decision (PDF or picture) in UPLOAD_DIR/decisions, shown to the office.
    decision_scan: Mapped[str | None] = mapped_column(String(200))
    # Demo certificates carry invented numbers and dates; the pages say so.
    is_demo: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The stars themselves invented by the demo (the news says "certified", not how many).
    stars_is_demo: Mapped[bool] = mapped_column(default=False, server_default=false())

    product: Mapped[Product] = relationship(
        back_populates="certificates", foreign_keys=[product_id]
    )
    superseded_by: Mapped[Certificate | None] = relationship(remote_side=[id])

    def state_on(self, today: date) -> str:
        """The status as a person reads it today: an active certificate past its date is expired."""
        if self.status == CertificateStatus.ACTIVE and self.expires_on < today:
            return CertificateStatus.EXPIRED
        return self.status


_SEARCHED_ATTRIBUTES = ("name", "description", "group", "region_id", "producer_id", "region")


@event.listens_for(Session, "before_flush")
def _refresh_search_text(session, _context, _instances) -> None:
    """Keep a product's search fields in step with what they are made of (its name, description,
    group, place, and its producer's name), whoever changed it."""
    with session.no_autoflush:
        products = [obj for obj in session.new if isinstance(obj, Product)]
        for obj in session.dirty:
            changes = inspect(obj).attrs
            if isinstance(obj, Product):
                if any(changes[a].history.has_changes() for a in _SEARCHED_ATTRIBUTES):
                    products.append(obj)
            elif isinstance(obj, Producer) and changes.name.history.has_changes():
                products.extend(obj.products)
        for product in products:
            producer = product.producer or (
                session.get(Producer, product.producer_id) if product.producer_id else None
            )
            region = product.region or (
                session.get(Region, product.region_id) if product.region_id else None
            )
            product.search_name, product.search_text = search_fields(
                product.name,
                product.description,
                producer.name if producer is not None else None,
                product.group,
                place_names(region),
            )


class ProductListing(db.Model):
    """The listing read model: one row per product the catalogue sells (approved, listed, with
    an active certificate), holding what lists filter and sort on, so a page reads its 24 rows
    by index instead of ranking the join of products and certificates. Kept in step in the
    transaction that changes its inputs by catalog.listing_model.refresh_listing; the certificate's
    expiry date is kept so a page still leaves out what expired today before the cron ran.
    ``flask --app wsgi catalog check-listing`` rebuilds it and reports any drift."""

    __tablename__ = "product_listings"
    __table_args__ = (
        # One index per sort the catalogue offers (listing.SORTS), with the filters in front
        # where a filter usually comes with a sort.
        Index("ix_listings_featured", "star_order", "name", "product_id"),
        Index("ix_listings_price", "price_vnd", "product_id"),
        Index("ix_listings_newest", "created_at", "product_id"),
        Index("ix_listings_name", "name", "product_id"),
        Index(
            "ix_listings_group_featured", "group", "star_order", "name", "product_id", "expires_on"
        ),
        Index(
            "ix_listings_group_stars_price",
            "group",
            "stars",
            "price_vnd",
            "product_id",
            "expires_on",
        ),
        Index("ix_listings_stars_price", "stars", "price_vnd", "product_id", "expires_on"),
        Index("ix_listings_region", "region_id", "star_order", "name", "product_id", "expires_on"),
        # Counting what is sellable today reads an index alone (expiry last in those above).
        Index("ix_listings_expires", "expires_on"),
        Index("ix_listings_producer", "producer_id"),
    )

    product_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(300))
    search_name: Mapped[str] = mapped_column(Text, default="")
    # The product's folded search text: on PostgreSQL the words typed are found in the read
    # model's own GIN index (search_index.LISTING_WORDS_INDEX), not by joining the products.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    stars: Mapped[int]
    # Stars negated: the ascending indexes below list most stars first ("featured").
    star_order: Mapped[int]
    group: Mapped[str] = mapped_column(String(32))
    region_id: Mapped[int] = mapped_column(Integer)
    producer_id: Mapped[int] = mapped_column(Integer)
    price_vnd: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_on: Mapped[date] = mapped_column(Date)
    # Units available online (the producer's warehouse) above zero: changes only when stock
    # crosses zero, so a sale does not touch the listing otherwise.
    in_stock_online: Mapped[bool] = mapped_column(default=False, server_default=false())
    # What a card shows besides (catalog.cards.ProductCard): a page of cards is its 24 rows of
    # this table alone, no join. The producer's name and a product's first picture are kept in
    # step too (catalog.listing_model refreshes a producer's products when it is renamed).
    code: Mapped[str] = mapped_column(String(16), default="", server_default="")
    unit: Mapped[str] = mapped_column(String(64), default="", server_default="")
    producer_code: Mapped[str] = mapped_column(String(32), default="", server_default="")
    producer_name: Mapped[str] = mapped_column(String(300), default="", server_default="")
    is_demo: Mapped[bool] = mapped_column(default=False, server_default=false())
    certificate_number: Mapped[str] = mapped_column(String(64), default="", server_default="")
    certificate_issued_on: Mapped[date | None] = mapped_column(Date)
    picture: Mapped[str | None] = mapped_column(String(200))
