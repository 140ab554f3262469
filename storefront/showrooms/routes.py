from flask import abort, render_template

from storefront import clock
from storefront.catalog import product_pages
from storefront.page_cache import cached_page
from storefront.register import opening_hours
from storefront.register import showrooms as services
from storefront.showrooms import bp


@bp.get("/diem-ban")
@cached_page
def showroom_list():
    return render_template("showrooms/list.html", showrooms=services.list_showrooms())


@bp.get("/diem-ban/<code>")
@cached_page
def showroom(code: str):
    try:
        showroom = services.get_showroom(code)
    except services.NotFound:
        abort(404)
    stock = product_pages.showroom_stock(showroom.id, clock.today())
    return render_template("showrooms/detail.html", showroom=showroom, stock=stock)


@bp.app_template_global()
def showroom_open_now(showroom) -> bool | None:
    """Open at this minute in Vietnam, by its opening hours (None: no hours that can be read)."""
    return opening_hours.is_open(showroom.opening_hours, clock.local_now())


# The staff's pages: imported here so the nested blueprints are complete before registration.
from storefront.showrooms import (  # noqa: E402, F401
    back_office_bp,
    back_office_routes,
    batch_label_routes,
    pickup_routes,
    pos_bp,
    pos_routes,
    shift_routes,
)

bp.register_blueprint(pos_bp)
bp.register_blueprint(back_office_bp)
