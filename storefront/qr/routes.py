from flask import abort, get_template_attribute, make_response, render_template, request
from markupsafe import Markup

from storefront import clock
from storefront.catalog import product_pages
from storefront.fragments import key_of_rows, macro_fragment
from storefront.page_cache import cached_page
from storefront.qr import bp, services
from storefront.traceability import batches
from storefront.traceability.scan_counts import count_scans, tag_registered, tag_unknown

ONE_DAY = 24 * 3600


@bp.get("/q/<code>")
@count_scans
@cached_page
def verify(code: str):
    try:
        verification = product_pages.verify(code, clock.today())
    except product_pages.NotFound:
        return tag_unknown(make_response(render_template("qr/unknown.html", code=code), 404), code)
    page = render_template("qr/verify.html", v=verification, product=verification.product)
    return tag_registered(
        make_response(page), verification.product.id, None, verification.state, False
    )


@bp.get("/q/<code>/<batch_code>")
@count_scans
@cached_page
def verify_batch(code: str, batch_code: str):
    """What a batch label's QR opens: the certificate check, and the batch's dates and travels."""
    try:
        check = batches.check_batch(code, batch_code, clock.today())
    except batches.BatchNotFound:
        page = render_template("qr/unknown_batch.html", code=code, batch_code=batch_code)
        return tag_unknown(make_response(page, 404), f"{code}/{batch_code}")
    except product_pages.NotFound:
        page = render_template("qr/unknown.html", code=f"{code}/{batch_code}")
        return tag_unknown(make_response(page, 404), f"{code}/{batch_code}")
    page = render_template(
        "qr/verify.html",
        v=check.verification,
        product=check.verification.product,
        batch_check=check,
    )
    return tag_registered(
        make_response(page),
        check.batch.product_id,
        check.batch.id,
        check.verification.state,
        check.expired,
    )


@bp.app_template_global("verification_content")
def verification_content(
    v: product_pages.Verification, batch_check: batches.BatchCheck | None
) -> Markup:
    """The answer of a check, made once per process for a product's check: its key holds every
    column of the product, its producer and its certificates, the verdict and the day. A batch's
    check (dates, where it went) is made for each request."""
    template, macro, today = "qr/_verify_content.html", "verify_content", clock.today()
    if batch_check is not None:
        return get_template_attribute(template, macro)(v, v.product, batch_check, today)
    product = v.product
    key = (key_of_rows(product, product.producer, product.certificates), v.state, today)
    return macro_fragment(template, macro, key, v, product, None, today)


@bp.get("/qr/<code>.<any(png, svg):kind>")
@cached_page(params=("size",))
def image(code: str, kind: str):
    size = services.parse_size(request.args.get("size"))
    product_code = product_pages.existing_code(code)
    if product_code is None:
        abort(404)
    qr = services.qr_image(services.verification_url(product_code), kind, size)
    response = make_response(qr.body)
    response.mimetype = qr.mimetype
    response.set_etag(qr.etag)
    response.cache_control.public = True
    response.cache_control.max_age = ONE_DAY
    return response.make_conditional(request)
