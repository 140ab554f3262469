"""CSV import of producers and products, from the office's spreadsheets.

Two steps: check() reads the whole file and reports every problem by row and column, changing
nothing; run() imports it in one transaction (all or nothing), reporting its progress as it
goes. Between the two the file waits in UPLOAD_DIR/imports/, named by a random token and bound to
the account that uploaded it: UPLOAD_DIR is the folder every instance shares, so the confirmation
may reach another instance than the upload did.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from storefront.accounts.models import User
from storefront.catalog.models import Product
from storefront.extensions import db
from storefront.office.csvfiles import RowError, read_rows
from storefront.office.errors import OfficeError
from storefront.office.fields import Invalid
from storefront.office.producers import ProducerFields, clean_producer, create_producer
from storefront.office.products import ProductFields, clean_product, create_product
from storefront.register.models import Producer, Region

PRODUCER_COLUMNS = ("code", "name", "legal_form", "region")
PRODUCER_OPTIONAL = ("address", "phone", "email", "website", "description")
PRODUCT_COLUMNS = ("name", "producer", "group", "unit", "price")
PRODUCT_OPTIONAL = ("subgroup", "description", "ean", "region")
KINDS = ("producers", "products")
PROGRESS_EVERY = 100
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


@dataclass
class Checked:
    kind: str
    rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors


def columns(kind: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if kind == "producers":
        return PRODUCER_COLUMNS, PRODUCER_OPTIONAL
    if kind == "products":
        return PRODUCT_COLUMNS, PRODUCT_OPTIONAL
    raise OfficeError(_("Unknown import."))


def check(kind: str, data: bytes) -> Checked:
    """Every row checked, nothing changed. A whole-file problem (size, encoding, header) is
    reported as row 1."""
    required, optional = columns(kind)
    try:
        rows = read_rows(data, required, optional)
    except OfficeError as error:
        return Checked(kind, errors=[RowError(1, "", str(error))])
    regions = {r.code: r for r in db.session.scalars(select(Region))}
    checked = Checked(kind, rows)
    if kind == "producers":
        taken = set(db.session.scalars(select(Producer.code)))
        first_row: dict[str, int] = {}
        for row in rows:
            try:
                values = clean_producer(_producer_fields(row), regions)
            except Invalid as invalid:
                checked.errors += [RowError(row["_row"], c, m) for c, m in invalid.errors.items()]
                continue
            code = values["code"]
            if code in taken:
                checked.errors.append(
                    RowError(
                        row["_row"], "code", _("Another producer has the code %(code)s.", code=code)
                    )
                )
            elif code in first_row:
                checked.errors.append(
                    RowError(
                        row["_row"],
                        "code",
                        _("Code %(code)s is also on row %(row)d.", code=code, row=first_row[code]),
                    )
                )
            first_row.setdefault(code, row["_row"])
    else:
        producers = {p.code: p for p in db.session.scalars(select(Producer))}
        barcodes = set(db.session.scalars(select(Product.ean).where(Product.ean.is_not(None))))
        first_row = {}
        for row in rows:
            try:
                values = clean_product(_product_fields(row), producers, regions)
            except Invalid as invalid:
                checked.errors += [RowError(row["_row"], c, m) for c, m in invalid.errors.items()]
                continue
            ean = values["ean"]
            if ean and ean in barcodes:
                checked.errors.append(
                    RowError(
                        row["_row"], "ean", _("Another product has the barcode %(ean)s.", ean=ean)
                    )
                )
            elif ean and ean in first_row:
                checked.errors.append(
                    RowError(
                        row["_row"],
                        "ean",
                        _("Code %(code)s is also on row %(row)d.", code=ean, row=first_row[ean]),
                    )
                )
            if ean:
                first_row.setdefault(ean, row["_row"])
    return checked


def run(actor: User, checked: Checked) -> Iterator[int]:
    """Create every row of a checked file; yields how many are done every 100 rows and at the
    end. Runs in the caller's transaction: the caller commits at the end, or rolls back."""
    if not checked.ok:
        raise OfficeError(_("The file has errors; nothing was imported."))
    regions = {r.code: r for r in db.session.scalars(select(Region))}
    producers = {p.code: p for p in db.session.scalars(select(Producer))}
    done = 0
    for row in checked.rows:
        if checked.kind == "producers":
            create_producer(actor, _producer_fields(row))
        else:
            create_product(actor, _product_fields(row), producers, regions)
        done += 1
        if done % PROGRESS_EVERY == 0:
            yield done
    yield done


def _producer_fields(row: dict) -> ProducerFields:
    return ProducerFields(**{k: row.get(k, "") for k in PRODUCER_COLUMNS + PRODUCER_OPTIONAL})


def _product_fields(row: dict) -> ProductFields:
    return ProductFields(**{k: row.get(k, "") for k in PRODUCT_COLUMNS + PRODUCT_OPTIONAL})


# --- the file between the two steps ----------------------------------------------------------


def _folder() -> Path:
    folder = Path(current_app.config["UPLOAD_DIR"]) / "imports"  # not served: media is in products/
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep_upload(data: bytes, user_id: int) -> str:
    token = secrets.token_urlsafe(24)
    (_folder() / f"{user_id}-{token}.csv").write_bytes(data)
    return token


def load_upload(token: str, user_id: int) -> bytes:
    path = _folder() / f"{user_id}-{token}.csv"
    if not TOKEN_RE.match(token or "") or not path.is_file():
        raise OfficeError(_("The uploaded file is gone; upload it again."))
    return path.read_bytes()


def discard_upload(token: str, user_id: int) -> None:
    if TOKEN_RE.match(token or ""):
        (_folder() / f"{user_id}-{token}.csv").unlink(missing_ok=True)
