"""API routes: read the arguments, call one catalogue service, hand the result to a schema."""

from flask import render_template, url_for

from storefront import clock
from storefront.api import bp, pages, rate_limit, rate_limit_in_words, schemas
from storefront.api.present import (
    batch_verification,
    producer_detail,
    producer_summary,
    product_detail,
    product_page,
    region,
    showroom,
    showroom_with_shelf,
    verification,
)
from storefront.catalog import listing, product_pages
from storefront.catalog import regions as region_rules
from storefront.extensions import limit_reading
from storefront.page_cache import cached_page
from storefront.register import showrooms as showroom_services
from storefront.traceability import batches

limit_reading(bp, rate_limit)


@bp.get("/products")
@cached_page(params=tuple(schemas.ProductQuery().fields))
@bp.etag
@bp.arguments(schemas.ProductQuery, location="query", as_kwargs=True)
@bp.response(200, schemas.ProductPage)
def products(page_size: int, **args):
    """Certified products, filtered, searched and sorted

    The same search as the catalogue page: every word must start a word of the name, producer,
    group, place or description; a word one typo away is tried when nothing matches.
    """
    filters = listing.CatalogFilters(**{k: v for k, v in args.items() if v is not None})
    page = listing.list_products(filters, clock.today(), page_size)
    return product_page(page, filters)


@bp.get("/products/<code>")
@cached_page
@bp.etag
@bp.response(200, schemas.Product)
@bp.alt_response(404, schema=schemas.ApiError, description="No product has this code")
def product(code: str):
    """One product, with its certificate history and where it is on a shelf"""
    today = clock.today()
    view = product_pages.product_view(code, today)
    return product_detail(view, today)


@bp.get("/verify/<code>")
@cached_page
@bp.etag
@bp.response(200, schemas.Verification)
@bp.alt_response(
    404, schema=schemas.ApiError, description="Not in the register: the label may be counterfeit"
)
def verify(code: str):
    """The certificate check a product's QR code opens (/q/<code>)"""
    today = clock.today()
    result = product_pages.verify(code, today)
    return verification(result, today)


@bp.get("/verify/<code>/<batch_code>")
@cached_page
@bp.etag
@bp.response(200, schemas.BatchVerification)
@bp.alt_response(
    404,
    schema=schemas.ApiError,
    description="The product, or this batch of it, is not registered: the label may be counterfeit",
)
def verify_batch(code: str, batch_code: str):
    """What a batch label's QR opens (/q/<code>/<batch>): the certificate check, the batch's
    dates, units made, whether the office has it under review, and the showrooms it went to"""
    today = clock.today()
    return batch_verification(batches.check_batch(code, batch_code, today), today)


@bp.get("/producers")
@bp.etag
@bp.response(200, schemas.list_of(schemas.Producer, "ProducerList"))
def producers():
    """Producers (cooperatives, enterprises, household businesses…) with their product counts"""
    return {"items": [producer_summary(p, n) for p, n in listing.list_producers(clock.today())]}


@bp.get("/producers/<code>")
@bp.etag
@bp.response(200, schemas.ProducerDetail)
@bp.alt_response(404, schema=schemas.ApiError, description="No producer has this code")
def producer(code: str):
    """One producer and its certified products"""
    return producer_detail(*product_pages.producer_view(code, clock.today()))


@bp.get("/showrooms")
@bp.etag
@bp.response(200, schemas.list_of(schemas.Showroom, "ShowroomList"))
def showrooms():
    """OCOP showrooms, the province's first"""
    return {"items": [showroom(s) for s in showroom_services.list_showrooms()]}


@bp.get("/showrooms/<code>")
@bp.etag
@bp.response(200, schemas.ShowroomDetail)
@bp.alt_response(404, schema=schemas.ApiError, description="No showroom has this code")
def showroom_detail(code: str):
    """One showroom and the certified products on its shelves"""
    found = showroom_services.get_showroom(code)
    return showroom_with_shelf(found, product_pages.showroom_stock(found.id, clock.today()))


@bp.get("/regions")
@bp.etag
@bp.response(200, schemas.list_of(schemas.Region, "RegionList"))
def regions():
    """Administrative units with their validity and successors (districts ended on 30/06/2025)"""
    units = region_rules.all_regions()
    codes = {unit.id: unit.code for unit in units}
    today = clock.today()
    return {"items": [region(unit, codes, today) for unit in units]}


@pages.get("/api/docs")
def docs():
    """A browsable page of the OpenAPI document."""
    return render_template(
        "api/docs.html",
        spec_url=url_for("api-docs.openapi_json"),
        limits=rate_limit_in_words(rate_limit()),
    )
