from flask import current_app, render_template, request, send_from_directory

from storefront import clock
from storefront.catalog import bp, link_preview, listing, product_pages, search
from storefront.catalog import regions as region_rules
from storefront.catalog.images import upload_folder
from storefront.page_cache import cached_page
from storefront.register import showrooms as showroom_services


@bp.get("/")
@cached_page
def home():
    today = clock.today()
    return render_template(
        "catalog/home.html",
        group_counts=listing.group_counts(today),
        featured=listing.featured_products(today),
        showrooms=showroom_services.list_showrooms(),
    )


@bp.get("/san-pham")
@cached_page(params=listing.FILTER_PARAMETERS)
def catalogue():
    today = clock.today()
    regions = region_rules.all_regions()
    showrooms = showroom_services.list_showrooms()
    filters = listing.parse_filters(
        request.args,
        known_regions={r.code for r in regions},
        known_showrooms={s.code for s in showrooms},
    )
    page = listing.list_products(
        filters, today, current_app.config["CATALOG_PAGE_SIZE"], regions=regions
    )
    return render_template(
        "catalog/list.html",
        filters=filters,
        page=page,
        region_options=region_rules.filter_options(regions, today),
        showrooms=showrooms,
    )


@bp.get("/san-pham/goi-y")
@cached_page(params=("q",))
def suggestions():
    """As-you-type suggestions under the search box (an HTML fragment for htmx)."""
    page = listing.suggest(request.args.get("q", ""), clock.today())
    return render_template("catalog/_suggestions.html", page=page, q=request.args.get("q", ""))


@bp.get("/san-pham/<code>")
@cached_page
def product(code: str):
    view = product_pages.product_view(code, clock.today())
    return render_template(
        "catalog/product.html",
        view=view,
        product=view.product,
        preview=link_preview.product_preview(view),
    )


@bp.get("/chu-the/<code>")
@cached_page
def producer(code: str):
    producer, cards = product_pages.producer_view(code, clock.today())
    return render_template("catalog/producer.html", producer=producer, cards=cards)


@bp.get("/media/products/<filename>")
def media(filename: str):
    """Uploaded product pictures (already cleaned and resized at upload)."""
    return send_from_directory(upload_folder(), filename, max_age=365 * 24 * 3600)


@bp.app_template_filter("highlight")
def highlight(value, words=None):
    return search.highlight(value, words or ())
