from flask import Blueprint

bp = Blueprint("qr", __name__)
