from flask import abort, render_template

from storefront import clock
from storefront.catalog import services as catalog_services
from storefront.showrooms import bp, services


@bp.get("/diem-ban")
def showroom_list():
    return render_template("showrooms/list.html", showrooms=services.list_showrooms())


@bp.get("/diem-ban/<code>")
def showroom(code: str):
    try:
        showroom = services.get_showroom(code)
    except services.NotFound:
        abort(404)
    stock = catalog_services.showroom_stock(showroom.id, clock.today())
    return render_template("showrooms/detail.html", showroom=showroom, stock=stock)
