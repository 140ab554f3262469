from flask import abort, make_response, render_template, request

from storefront import clock
from storefront.catalog import product_pages
from storefront.page_cache import cached_page
from storefront.qr import bp, services

ONE_DAY = 24 * 3600


@bp.get("/q/<code>")
@cached_page
def verify(code: str):
    try:
        verification = product_pages.verify(code, clock.today())
    except product_pages.NotFound:
        return render_template("qr/unknown.html", code=code), 404
    return render_template("qr/verify.html", v=verification, product=verification.product)


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
