from flask import abort, current_app, render_template
from markupsafe import Markup

from storefront import clock
from storefront.fragments import macro_fragment
from storefront.links import absolute_url_for
from storefront.page_cache import cached_page
from storefront.shop import bp, services, sitemap


@bp.app_context_processor
def shop_operator():
    """Every page's footer says who sells (storefront.shop.services.operator: no query)."""
    return {"shop_operator": services.operator(), "policy_links": services.policy_links()}


@bp.app_template_global("site_footer")
def site_footer(operator: services.OperatorFields) -> Markup:
    """Every page's footer, made once per process for each language and operator's details
    (storefront.fragments)."""
    return macro_fragment(
        "shop/_footer.html", "site_footer", operator, operator, services.policy_links()
    )


@bp.get("/chinh-sach/<slug>")
@cached_page
def policy_page(slug: str):
    return render_template("shop/policy.html", page=services.policy(slug))


@bp.get("/robots.txt")
@cached_page
def robots():
    return _text(sitemap.robots_txt(), "text/plain; charset=utf-8")


@bp.get("/sitemap.xml")
@cached_page
def sitemap_index():
    return _text(sitemap.sitemap_index(), "application/xml")


@bp.get("/sitemap-pages.xml")
@cached_page
def sitemap_pages():
    return _text(sitemap.pages_sitemap(), "application/xml")


@bp.get("/sitemap-products-<int:number>.xml")
@cached_page
def sitemap_products(number: int):
    body = sitemap.products_sitemap(number, clock.today())
    if body is None:
        abort(404)
    return _text(body, "application/xml")


def _text(body: str, mimetype: str):
    return current_app.response_class(body, mimetype=mimetype)


# Absolute links in templates (link previews, the share button), on BASE_URL like every other.
bp.add_app_template_global(absolute_url_for)
