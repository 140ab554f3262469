"""Delivery: Vietnam's provinces and communes to deliver to, customers' saved addresses, and the
fee and time of each producer's parcel by destination zone and weight band (the office's rules).
Sits above catalog and register (product weights, places); cart and orders use it."""

from flask import Blueprint

bp = Blueprint("delivery", __name__)
