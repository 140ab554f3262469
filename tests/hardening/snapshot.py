"""What a refused request must leave alone: a checksum of every row of every table."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from storefront.extensions import db


def database_checksum() -> str:
    """One hash over all rows of all tables, each table read in primary-key order."""
    digest = hashlib.sha256()
    db.session.expire_all()
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            digest.update(table.name.encode())
            order = list(table.primary_key.columns) or list(table.columns)
            for row in connection.execute(select(table).order_by(*order)):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()
