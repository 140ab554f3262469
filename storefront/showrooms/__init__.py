from flask import Blueprint

bp = Blueprint("showrooms", __name__)

