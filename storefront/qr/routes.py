from flask import abort, make_response, render_template, request

from storefront import clock
from storefront.catalog import product_pages
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
