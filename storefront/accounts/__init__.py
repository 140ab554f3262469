"""Users, roles, log-in and the access rules."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)
