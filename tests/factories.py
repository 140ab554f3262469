"""Rows with sensible defaults, so a test states only what matters to it. Each call commits."""

from __future__ import annotations

import itertools
from datetime import timedelta

from sqlalchemy import select

from storefront.accounts import services as accounts
from storefront.accounts.models import SignIn, User
from storefront.catalog.certificates import expiry_date
from storefront.catalog.models import Certificate, Product, ReviewStatus
from storefront.clock import today
from storefront.extensions import db
from storefront.inventory import services as inventory
from storefront.register.models import Producer, Region, Showroom

_sequence = itertools.count(1)


def _n() -> int:
    return next(_sequence)


def make_region(
    code=None,
    name=None,
    kind="province",
    parent=None,
    valid_to=None,
    successor=None,
    valid_from=None,
    source=None,
) -> Region:
    n = _n()
    region = Region(
        code=code or f"R{n}",
        name=name or f"Tỉnh {n}",
        kind=kind,
        parent=parent,
        valid_from=valid_from,
        valid_to=valid_to,
        successor=successor,
        source=source,
    )
    db.session.add(region)
    db.session.commit()
    return region


def make_producer(code=None, name=None, region=None, legal_form="cooperative") -> Producer:
    n = _n()
    producer = Producer(
        code=code or f"PR{n}",
        name=name or f"HTX Số {n}",
        legal_form=legal_form,
        region=region or make_region(),
    )
    db.session.add(producer)
    db.session.commit()
    return producer


def make_certificate(
    product, stars=4, status="active", issued_on=None, level="province", **fields
) -> Certificate:
    issued_on = issued_on or today() - timedelta(days=100)
    score = {3: 60, 4: 80, 5: 95}[stars]
    certificate = Certificate(
        product=product,
        stars=stars,
        score=fields.pop("score", score),
        level=level,
        decision_number=fields.pop("decision_number", f"{_n()}/QĐ-UBND"),
        issued_on=issued_on,
        expires_on=fields.pop("expires_on", expiry_date(issued_on)),
        status=status,
        **fields,
    )
    db.session.add(certificate)
    db.session.commit()
    return certificate


def make_product(
    name=None,
    producer=None,
    stars: int | None = 4,
    group="food",
    price_vnd=100000,
    code=None,
    stock: int = 0,
    listed=True,
    region=None,
    **fields,
) -> Product:
    """A listed product with an active certificate of ``stars`` (None: no certificate) and
    ``stock`` units received at its producer's warehouse."""
    n = _n()
    producer = producer or make_producer()
    product = Product(
        code=code or f"T{n:05d}",
        name=name or f"Sản phẩm {n}",
        producer=producer,
        region=region or producer.region,
        group=group,
        unit="hộp",
        price_vnd=price_vnd,
        listed=listed,
        **fields,
    )
    db.session.add(product)
    db.session.commit()
    if stars:
        make_certificate(product, stars=stars)
    if stock:
        receive(product, inventory.warehouse_of(producer.id), stock)
    return product


def make_showroom(code=None, name=None, region=None, level="district") -> Showroom:
    n = _n()
    showroom = Showroom(
        code=code or f"SR{n}",
        name=name or f"Điểm bán OCOP {n}",
        level=level,
        region=region or make_region(),
        address="1 Lê Lợi",
        opening_hours="7:30–17:00",
    )
    db.session.add(showroom)
    db.session.commit()
    return showroom


def receive(product, location, quantity, actor="test") -> None:
    inventory.receive(product.id, location.id, quantity, actor=actor)
    db.session.commit()


def stock_at_showroom(product, showroom, quantity) -> None:
    receive(product, inventory.showroom_location(showroom.id), quantity)


def session_user_id(user_id: int) -> str:
    """What Flask-Login keeps in a session for this account: its id, session version and a fresh
    sign-in, as signing in through the page makes."""
    user = db.session.get(User, user_id)
    # One open sign-in per account is enough for a test, and signing in again changes no row.
    user.sign_in_token = db.session.scalar(
        select(SignIn.token)
        .where(SignIn.user_id == user.id, SignIn.ended_at.is_(None))
        .order_by(SignIn.id.desc())
        .limit(1)
    )
    if user.sign_in_token is None:
        accounts.open_sign_in(user)
        db.session.commit()
    return user.get_id()


def make_user(email=None, role="customer", password="correct horse battery", **bindings):
    user = accounts.create_user(email or f"user{_n()}@example.vn", role, password, **bindings)
    db.session.commit()
    return user


UNSELLABLE_KINDS = ("proposal", "rejected", "delisted", "revoked", "expired")


def make_unsellable_product(kind: str, producer=None) -> Product:
    """A product of one kind the catalogue does not sell today (its code and id still exist)."""
    if kind == "proposal":
        return make_product(
            "Trà đề xuất", producer, review_status=ReviewStatus.PENDING, listed=False
        )
    if kind == "rejected":
        return make_product(
            "Trà bị từ chối", producer, review_status=ReviewStatus.REJECTED, listed=False
        )
    if kind == "delisted":
        return make_product("Trà ngừng bán", producer, listed=False)
    product = make_product(f"Trà {kind}", producer, stars=None)
    if kind == "revoked":
        make_certificate(product, status="revoked")
    elif kind == "expired":
        make_certificate(product, issued_on=today() - timedelta(days=4 * 365))
    else:
        raise ValueError(kind)
    return product
