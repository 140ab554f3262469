from flask import Blueprint

bp = Blueprint("showrooms", __name__)
# Staff back offices, nested in the feature's blueprint: the counter and the showroom's office.
pos_bp = Blueprint("pos", __name__, url_prefix="/pos")
back_office_bp = Blueprint("back_office", __name__, url_prefix="/showroom")
