"""What the API answers, as marshmallow schemas (they also make the OpenAPI document)."""

from marshmallow import Schema, fields, validate

from storefront.catalog.listing import MAX_QUERY_LENGTH, SORTS
from storefront.catalog.models import CertificateStatus, ProductGroup, ProductNotice
from storefront.extensions import ApiErrorSchema

MAX_PAGE_SIZE = 100
ApiError = ApiErrorSchema  # every error answer, documented once


class ProductQuery(Schema):
    q = fields.String(
        load_default="",
        validate=validate.Length(max=MAX_QUERY_LENGTH),
        metadata={"description": "Words to find; case, diacritics and đ/d do not matter."},
    )
    stars = fields.Integer(validate=validate.OneOf([3, 4, 5]))
    group = fields.String(validate=validate.OneOf([g.value for g in ProductGroup]))
    region = fields.String(
        validate=validate.Length(max=32),
        metadata={
            "description": "A region code (see /regions); today's units also find "
            "products made in the units they replaced. An unknown code matches nothing."
        },
    )
    showroom = fields.String(
        validate=validate.Length(max=32),
        metadata={
            "description": "Only products on the shelf of this showroom (see /showrooms). "
            "An unknown code matches nothing."
        },
    )
    sort = fields.String(
        validate=validate.OneOf(SORTS),
        metadata={"description": "Default: relevance with q, featured (most stars) without."},
    )
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    page_size = fields.Integer(load_default=24, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))


class Reference(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)


class CertificateSummary(Schema):
    number = fields.String(required=True, metadata={"description": "Decision number"})
    issued_on = fields.Date(required=True)
    expires_on = fields.Date(required=True)
    status = fields.String(
        required=True, validate=validate.OneOf([s.value for s in CertificateStatus])
    )


class Certificate(CertificateSummary):
    stars = fields.Integer(required=True)
    score = fields.Integer(required=True)
    level = fields.String(required=True, metadata={"description": "district, province, national"})
    revoked_on = fields.Date(allow_none=True)
    revoked_reason = fields.String(allow_none=True)
    is_demo = fields.Boolean(required=True, metadata={"description": "Invented for the demo"})
    stars_is_demo = fields.Boolean(
        required=True,
        metadata={"description": "The stars themselves invented (the source gives none)"},
    )


class ProductSummary(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    stars = fields.Integer(required=True)
    group = fields.String(required=True)
    unit = fields.String(required=True)
    price_vnd = fields.Integer(required=True, metadata={"description": "Whole đồng"})
    producer = fields.Nested(Reference, required=True)
    certificate = fields.Nested(CertificateSummary, required=True)
    available = fields.Integer(
        required=True, metadata={"description": "Units that can be ordered online now"}
    )
    is_demo = fields.Boolean(required=True, metadata={"description": "Price and stock invented"})
    url = fields.String(required=True, metadata={"description": "The product's page"})
    picture = fields.String(
        allow_none=True,
        metadata={"description": "Its first picture (JPEG, 1200 px wide at most); none without"},
    )


class Links(Schema):
    self = fields.String(required=True)
    first = fields.String(required=True)
    last = fields.String(required=True)
    prev = fields.String(allow_none=True)
    next = fields.String(allow_none=True)


class ProductPage(Schema):
    items = fields.List(fields.Nested(ProductSummary), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    pages = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    links = fields.Nested(Links, required=True)
    corrected_query = fields.String(
        allow_none=True, metadata={"description": "The query really run when a typo was fixed"}
    )
    suggestions = fields.List(
        fields.String(), metadata={"description": "Queries to try when nothing matched"}
    )


class Place(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    available = fields.Integer(required=True)


class Picture(Schema):
    url = fields.String(required=True, metadata={"description": "JPEG, 1200 px wide at most"})
    alt = fields.String(allow_none=True)


class Product(ProductSummary):
    stars = fields.Integer(
        allow_none=True, metadata={"description": "None without a valid certificate"}
    )
    certificate = fields.Nested(
        Certificate, allow_none=True, required=True, metadata={"description": "The valid one"}
    )
    sellable = fields.Boolean(required=True)
    description = fields.String(
        allow_none=True, metadata={"description": "Markdown, as the producer wrote it"}
    )
    net_quantity = fields.String(allow_none=True, metadata={"description": "Net weight or volume"})
    ingredients = fields.String(allow_none=True)
    shelf_life = fields.String(allow_none=True)
    storage = fields.String(allow_none=True)
    directions = fields.String(allow_none=True, metadata={"description": "How to use it"})
    origin = fields.String(allow_none=True, metadata={"description": "The commune it comes from"})
    shipping_weight_grams = fields.Integer(
        allow_none=True, metadata={"description": "One unit as packed for delivery"}
    )
    content_is_demo = fields.Boolean(
        required=True, metadata={"description": "The texts above were written for the demo"}
    )
    pictures = fields.List(fields.Nested(Picture), required=True)
    notices = fields.List(
        fields.String(validate=validate.OneOf([n.value for n in ProductNotice])),
        required=True,
        metadata={
            "description": "Notices the law asks for: adults_only (not sold under 18), "
            "not_a_medicine (health supplements)"
        },
    )
    producer_is_demo = fields.Boolean(
        required=True, metadata={"description": "The producer is a stand-in of the demo"}
    )
    region = fields.Nested(Reference, required=True)
    certificates = fields.List(fields.Nested(Certificate), required=True)
    showrooms = fields.List(fields.Nested(Place), required=True)
    qr_png = fields.String(required=True)


class Producer(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    legal_form = fields.String(
        required=True, allow_none=True, metadata={"description": "None when the source names none"}
    )
    is_demo = fields.Boolean(
        required=True, metadata={"description": "A stand-in of the demo, not a real company"}
    )
    region = fields.Nested(Reference, required=True)
    address = fields.String(allow_none=True)
    website = fields.String(allow_none=True)
    products = fields.Integer(required=True, metadata={"description": "Certified products"})


class ProducerDetail(Producer):
    description = fields.String(allow_none=True)
    items = fields.List(fields.Nested(ProductSummary), required=True)


class Showroom(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    level = fields.String(required=True)
    region = fields.Nested(Reference, required=True)
    address = fields.String(allow_none=True)
    opening_hours = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    is_demo = fields.Boolean(required=True)


class ShelfItem(ProductSummary):
    available_here = fields.Integer(required=True)


class ShowroomDetail(Showroom):
    stock = fields.List(fields.Nested(ShelfItem), required=True)


class Region(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)
    parent = fields.String(allow_none=True, metadata={"description": "Code of the unit above"})
    valid_from = fields.Date(allow_none=True)
    valid_to = fields.Date(allow_none=True)
    successor = fields.String(
        allow_none=True, metadata={"description": "Code of the unit that replaced it"}
    )
    current = fields.Boolean(required=True)


class Verification(Schema):
    code = fields.String(required=True)
    state = fields.String(
        required=True,
        validate=validate.OneOf(["valid", "expired", "revoked", "superseded", "none"]),
        metadata={"description": "What /q/<code> tells a person holding the product"},
    )
    product = fields.Nested(Reference, required=True)
    producer = fields.Nested(Reference, required=True)
    stars = fields.Integer(allow_none=True)
    certificate = fields.Nested(Certificate, allow_none=True, required=True)
    successor = fields.Nested(Certificate, allow_none=True)


class BatchDelivery(Schema):
    showroom = fields.Nested(Reference, required=True)
    quantity = fields.Integer(required=True)
    delivered_on = fields.Date(required=True)


class Batch(Schema):
    code = fields.String(required=True)
    produced_on = fields.Date(required=True)
    expires_on = fields.Date(allow_none=True, required=True)
    expired = fields.Boolean(required=True, metadata={"description": "Past its use-by date today"})
    quantity = fields.Integer(required=True, metadata={"description": "Units made"})
    under_review = fields.Boolean(
        required=True, metadata={"description": "The OCOP office is looking into this batch"}
    )
    deliveries = fields.List(
        fields.Nested(BatchDelivery),
        required=True,
        metadata={"description": "Which showroom received how many units, and when"},
    )


class BatchVerification(Verification):
    batch = fields.Nested(Batch, required=True)


def list_of(item_schema, name: str) -> type[Schema]:
    """A ``{"items": [...]}`` envelope, so lists can grow fields without breaking clients."""
    return Schema.from_dict(
        {"items": fields.List(fields.Nested(item_schema), required=True)}, name=name
    )
