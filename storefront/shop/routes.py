from typing import NamedTuple

from flask import abort, current_app, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from storefront import clock
from storefront.fragments import macro_fragment
from storefront.links import absolute_url_for
from storefront.page_cache import cached_page
from storefront.shop import bp, services, sitemap


class Viewer(NamedTuple):
    """What the header shows of a signed-in visitor."""

    role: str
    display_name: str


@bp.app_context_processor
def shop_operator():
    """Every page's footer says who sells (storefront.shop.services.operator: no query)."""
    return {"shop_operator": services.operator()}


@bp.app_template_global("policy_links")
def policy_links() -> list[tuple[str, str]]:
    return services.policy_links()


# What every page shows around its content: made once per process for what each piece shows
# (storefront.fragments), so a page without the page cache (a signed-in shopper) renders only
# its own content.


@bp.app_template_global("site_assets")
def site_assets() -> Markup:
    """The stylesheet and scripts every page loads."""
    return macro_fragment("shop/_header.html", "site_assets", ())


@bp.app_template_global("site_nav")
def site_nav(cart_count: int) -> Markup:
    """The header's brand and menu: the same for every visitor of one kind (not signed in, or
    a role and name), cart count and page (the language switch returns to it)."""
    viewer = None
    if current_user.is_authenticated:
        viewer = Viewer(current_user.role, current_user.display_name)
    other = "en" if str(get_locale()) == "vi" else "vi"
    back_to = request.full_path if request.query_string else request.path
    key = (viewer, cart_count, back_to)
    return macro_fragment("shop/_header.html", "site_nav", key, viewer, cart_count, other, back_to)


@bp.app_template_global("site_search")
def site_search() -> Markup:
    """The search box, holding what was searched on the catalogue page."""
    value = request.args.get("q", "")[:200] if request.endpoint == "catalog.catalogue" else ""
    return macro_fragment("shop/_header.html", "site_search", value, value)


@bp.app_template_global("site_footer")
def site_footer(operator: services.OperatorFields) -> Markup:
    """Every page's footer, made once per process for each language and operator's details."""
    return macro_fragment("shop/_footer.html", "site_footer", operator, operator)


@bp.get("/chinh-sach/<slug>")
@cached_page
def policy_page(slug: str):
    return render_template("shop/policy.html", page=services.policy(slug))


@bp.get("/robots.txt")
@cached_page
def robots():
    return _text(sitemap.robots_txt(), "text/plain")


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
