from flask import (
    current_app,
    render_template,
    request,
    send_file,
    send_from_directory,
)
from markupsafe import Markup

from storefront import clock, rich_text
from storefront.catalog import bp, link_preview, listing, notices, pictures, product_pages, search
from storefront.catalog import regions as region_rules
from storefront.catalog.cards import ProductCard
from storefront.catalog.images import upload_folder
from storefront.fragments import key_of, key_of_rows, macro_fragment
from storefront.page_cache import CSRF_PLACEHOLDER, cached_page, with_visitor_token
from storefront.register import showrooms as showroom_services
from storefront.register.places import place_name
from storefront.register.showrooms import ShowroomChoice


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
    areas = region_rules.filter_choices(today)
    showrooms = showroom_services.showroom_choices()
    filters = listing.parse_filters(
        request.args,
        known_regions=areas.codes,
        known_showrooms={s.code for s in showrooms},
    )
    page = listing.list_products(filters, today, current_app.config["CATALOG_PAGE_SIZE"])
    return render_template(
        "catalog/list.html",
        filters=filters,
        page=page,
        region_options=areas.options,
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


@bp.app_template_global("product_content")
def product_content(
    view: product_pages.ProductView, preview: link_preview.ProductPreview, fee_line: Markup
) -> Markup:
    """A product page's content, made once per process for everything it shows: every column
    of the product, its producer, pictures and certificates, the stock shown, the notices, the
    place's name and the day (states of certificates). The visitor's own parts are made for
    each request: the delivery fee line (their province; made by delivery's ``fee_line``,
    which the page's template passes in) and the form token."""
    product, today = view.product, clock.today()
    place = place_name(product.region, today)
    key = (
        key_of_rows(product, product.producer, product.images, view.history),
        key_of((view.online_available, view.showrooms, view.notices)),
        place,
        today,
        fee_line,
    )
    html = macro_fragment(
        "catalog/_product_content.html",
        "product_content",
        key,
        view,
        product,
        preview,
        place,
        today,
        CSRF_PLACEHOLDER,
        fee_line,
    )
    return Markup(with_visitor_token(html))


@bp.get("/chu-the/<code>")
@cached_page
def producer(code: str):
    producer, cards = product_pages.producer_view(code, clock.today())
    return render_template("catalog/producer.html", producer=producer, cards=cards)


@bp.get("/media/products/<filename>")
def media(filename: str):
    """Uploaded product pictures (already cleaned and resized at upload)."""
    return send_from_directory(upload_folder(), filename, max_age=365 * 24 * 3600)


@bp.get("/media/products/w/<filename>")
def picture(filename: str):
    """A product picture at one width, WebP or JPEG, made once from the upload and kept."""
    return send_file(pictures.variant_file(filename), max_age=365 * 24 * 3600, conditional=True)


@bp.app_template_global("product_card")
def product_card(
    card: ProductCard, extra: int | None = None, words: list[str] | None = None
) -> Markup:
    """A product's card in a list (the card_markup macro), made once per process for what it
    shows: a change of price, stock or name makes another card (storefront.fragments)."""
    words_key = tuple(words or ())
    return macro_fragment(
        "_macros/shop.html", "card_markup", (card, extra, words_key), card, extra, words_key
    )


@bp.app_template_global("catalogue_content")
def catalogue_content(
    filters: listing.CatalogFilters,
    page: listing.Page,
    region_options: tuple[region_rules.RegionOption, ...],
    showrooms: tuple[ShowroomChoice, ...],
) -> Markup:
    """The catalogue page's content (heading, filters, count, cards, pages), made once per
    process for everything it shows: the page's cards are in its key, so a change of one card
    makes another content (storefront.fragments). The header around it is the visitor's own."""
    key = key_of((filters, page, region_options, showrooms))
    return macro_fragment(
        "catalog/_list_content.html",
        "list_content",
        key,
        filters,
        page,
        region_options,
        showrooms,
        store="contents",
    )


@bp.app_template_global("catalogue_filters")
def catalogue_filters(
    filters: listing.CatalogFilters,
    region_options: tuple[region_rules.RegionOption, ...],
    showrooms: tuple[ShowroomChoice, ...],
) -> Markup:
    """The catalogue's filter panel, made once per process for each choice of filters and
    options (storefront.fragments)."""
    chosen = (filters.q, filters.stars, filters.group, filters.region, filters.showroom)
    key = (chosen, filters.effective_sort, region_options, showrooms)
    return macro_fragment(
        "catalog/_filter_panel.html", "filter_panel", key, filters, region_options, showrooms
    )


@bp.app_template_global("picture_srcset")
def picture_srcset(name: str, fmt: str) -> str:
    return pictures.srcset(name, fmt)


@bp.app_template_global("picture_url")
def picture_url(name: str, width: int, fmt: str = "jpg") -> str:
    return pictures.variant_url(name, width, fmt)


@bp.app_template_filter("markdown")
def markdown(text: str | None):
    """Markdown a person wrote, as sanitised HTML (storefront.rich_text)."""
    return rich_text.render_markdown(text)


@bp.app_template_filter("line_notices")
def line_notices(snapshot: str | None) -> list[str]:
    """An order line's notices as kept when it was sold (catalog.notices)."""
    return notices.from_snapshot(snapshot)


@bp.app_template_filter("highlight")
def highlight(value, words=None):
    return search.highlight(value, words or ())
