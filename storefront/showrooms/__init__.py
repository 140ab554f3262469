from flask import Blueprint

bp = Blueprint("showrooms", __name__)

from storefront.showrooms import routes  # noqa: E402,F401
