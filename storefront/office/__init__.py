"""The OCOP office's back office at /office: the register, certificates, showrooms, regions,
accounts, CSV imports, the audit log and the programme's reports."""

from flask import Blueprint

bp = Blueprint("office", __name__, url_prefix="/office")
