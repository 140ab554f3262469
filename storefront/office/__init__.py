"""The OCOP office's back office at /office: the register, certificates, showrooms, regions,
accounts, CSV imports, the audit log and the programme's reports."""

from flask import Blueprint

bp = Blueprint("office", __name__, url_prefix="/office")

from storefront.office import (  # noqa: E402,F401
    import_routes,
    people_routes,
    register_routes,
    report_routes,
)
