from flask import Blueprint

bp = Blueprint("qr", __name__)

from storefront.qr import routes  # noqa: E402,F401
