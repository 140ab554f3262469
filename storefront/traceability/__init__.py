"""Traceability: product batches and where they went, what /q/ scans tell the office (counted
without anything about the person), and shoppers' reports of suspicious labels."""

from flask import Blueprint

bp = Blueprint("traceability", __name__)
