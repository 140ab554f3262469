"""The office keeps the register of producers (chủ thể OCOP): create, edit, deactivate."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from storefront.accounts.models import User
from storefront.audit.models import AuditArea
from storefront.audit.services import record
from storefront.catalog.models import Product
from storefront.collation import sort_key
from storefront.extensions import db
from storefront.office import fields
from storefront.office.errors import NotFound, OfficeError
from storefront.office.products import set_listing
from storefront.register.models import Producer


@dataclass
class ProducerFields:
    code: str = ""
    name: str = ""
    legal_form: str = ""
    region: str = ""  # region code
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    description: str = ""


def clean_producer(data: ProducerFields, known_regions: dict | None = None) -> dict:
    """The producer's columns from what was typed; OfficeError for the first bad value."""
    return fields.clean(
        {
            "code": lambda: fields.code(data.code),
            "name": lambda: fields.text(data.name, "name", _("Name"), min_len=3, max_len=300),
            "legal_form": lambda: fields.legal_form(data.legal_form),
            "region": lambda: fields.region(data.region, known=known_regions),
            "address": lambda: fields.text(
                data.address, "address", _("Address"), required=False, max_len=500
            ),
            "phone": lambda: fields.text(
                data.phone, "phone", _("Phone"), required=False, max_len=32
            ),
            "email": lambda: fields.email(data.email),
            "website": lambda: fields.website(data.website),
            "description": lambda: fields.text(
                data.description, "description", _("Description"), required=False, max_len=5000
            ),
        }
    )


def get_producer(code: str) -> Producer:
    producer = db.session.scalar(select(Producer).where(Producer.code == code))
    if producer is None:
        raise NotFound(_("No such producer."))
    return producer


def list_producers(include_inactive: bool = True) -> list[Producer]:
    query = select(Producer)
    if not include_inactive:
        query = query.where(Producer.active.is_(True))
    return sorted(db.session.scalars(query), key=lambda p: (not p.active, sort_key(p.name)))


def create_producer(actor: User, data: ProducerFields) -> Producer:
    values = clean_producer(data)
    _refuse_taken_code(values["code"])
    producer = Producer(**values)
    db.session.add(producer)
    db.session.flush()
    record(
        actor, AuditArea.REGISTER, "producer.created", _label(producer), after=_snapshot(producer)
    )
    return producer


def update_producer(actor: User, code: str, data: ProducerFields) -> Producer:
    producer = get_producer(code)
    values = clean_producer(data)
    if values["code"] != producer.code:
        _refuse_taken_code(values["code"])
    before = _snapshot(producer)
    for name, value in values.items():
        setattr(producer, name, value)
    db.session.flush()
    after = _snapshot(producer)
    if after != before:
        record(
            actor,
            AuditArea.REGISTER,
            "producer.edited",
            _label(producer),
            before=before,
            after=after,
        )
    return producer


def set_producer_active(actor: User, code: str, active: bool, reason: str = "") -> Producer:
    """Deactivating a producer takes its products out of the shop (each unlisting is logged);
    activating it again lists nothing by itself: the office relists products one by one."""
    producer = get_producer(code)
    if producer.active == active:
        return producer
    reason = (reason or "").strip()
    if not active and not reason:
        raise OfficeError(_("Say why the producer is deactivated."), "reason")
    producer.active = active
    record(
        actor,
        AuditArea.REGISTER,
        "producer.activated" if active else "producer.deactivated",
        _label(producer),
        before={"active": not active},
        after={"active": active},
        note=reason,
    )
    if not active:
        listed = db.session.scalars(
            select(Product).where(Product.producer_id == producer.id, Product.listed.is_(True))
        )
        for product in listed:
            set_listing(
                actor, product.code, False, _("Producer deactivated: %(reason)s", reason=reason)
            )
    db.session.flush()
    return producer


def _refuse_taken_code(code: str) -> None:
    if db.session.scalar(select(Producer.id).where(Producer.code == code)):
        raise OfficeError(_("Another producer has the code %(code)s.", code=code), "code")


def _snapshot(producer: Producer) -> dict:
    values = {k: getattr(producer, k) for k in asdict(ProducerFields()) if k != "region"}
    values["region"] = producer.region.code if producer.region else None
    values["active"] = producer.active
    return values


def _label(producer: Producer) -> str:
    return f"{producer.name} ({producer.code})"
