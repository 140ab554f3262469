"""Following a parcel: the carriers the office knows, the tracking page a parcel's number opens,
and marking a parcel delivered (by its producer, or by the office from a carrier's confirmation).

The tracking page comes from the carrier's URL template, which the office edits; a producer
types the carrier's name when shipping (suggested from this list), and the name is matched
folded ("viettel post", "VTP" and "Viettel Post" are one carrier)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from flask_babel import gettext as _
from sqlalchemy import select

from storefront.domain import NotFound, Refused
from storefront.extensions import db
from storefront.folding import fold
from storefront.orders.models import Carrier

PLACEHOLDER = "{code}"
MAX_TEMPLATE = 500
# The five big carriers and their public tracking pages (the migration seeds the same rows).
DEFAULT_CARRIERS = (
    (
        "ghn",
        "GHN (Giao Hàng Nhanh)",
        "https://donhang.ghn.vn/?order_code={code}",
        "giao hang nhanh,ghn express",
    ),
    ("ghtk", "GHTK (Giao Hàng Tiết Kiệm)", "https://i.ghtk.vn/{code}", "giao hang tiet kiem"),
    (
        "viettelpost",
        "Viettel Post",
        "https://viettelpost.com.vn/tra-cuu-hanh-trinh-don/?key={code}",
        "vtp,viettel",
    ),
    (
        "vnpost",
        "VNPost (Bưu điện)",
        "https://vnpost.vn/tra-cuu-hanh-trinh/buu-pham?key={code}",
        "vietnam post,buu dien,ems",
    ),
    (
        "jt",
        "J&T Express",
        "https://jtexpress.vn/vi/tracking?type=track&billcode={code}",
        "j&t,jt express,jnt",
    ),
)


class CarrierRefused(Refused):
    """A carrier's tracking template that was not saved; nothing changed."""


@dataclass(frozen=True)
class ParcelLink:
    carrier: str  # the carrier's name as the office writes it (or as typed, when unknown)
    tracking_number: str | None
    url: str | None  # the carrier's tracking page for this parcel, when known


def ensure_default_carriers() -> None:
    """Add any of the five default carriers that is missing (seed-demo; the migration seeds
    them in a new database). A carrier the office changed is left as it is."""
    known = set(db.session.scalars(select(Carrier.code)))
    for code, name, url, aliases in DEFAULT_CARRIERS:
        if code not in known:
            db.session.add(Carrier(code=code, name=name, tracking_url=url, aliases=aliases))
    db.session.flush()


def all_carriers() -> list[Carrier]:
    return list(db.session.scalars(select(Carrier).order_by(Carrier.name)))


def _names(carrier: Carrier) -> set[str]:
    names = {carrier.code, carrier.name, *carrier.aliases.split(",")}
    return {fold(name).replace(" ", "") for name in names if name.strip()}


def find_carrier(name: str | None, carriers: list[Carrier] | None = None) -> Carrier | None:
    """The known carrier a typed name means, or None."""
    wanted = fold(name).replace(" ", "")
    if not wanted:
        return None
    return next((c for c in carriers or all_carriers() if wanted in _names(c)), None)


def parcel_link(
    carrier_name: str | None, tracking_number: str | None, carriers: list[Carrier] | None = None
) -> ParcelLink | None:
    """What the customer sees of a shipped parcel: its carrier, number and tracking page."""
    if not (carrier_name or "").strip():
        return None
    carrier = find_carrier(carrier_name, carriers)
    url = None
    if carrier is not None and tracking_number:
        url = carrier.tracking_url.replace(PLACEHOLDER, quote(tracking_number.strip(), safe=""))
    return ParcelLink(carrier.name if carrier else carrier_name or "", tracking_number, url)


def set_tracking_url(code: str, template: str) -> Carrier:
    """The office changes a carrier's tracking page. Refused unless it is an https:// address
    holding ``{code}`` where the tracking number goes."""
    carrier = db.session.scalar(select(Carrier).filter_by(code=code))
    if carrier is None:
        raise NotFound(_("No such carrier."))
    template = (template or "").strip()
    if (
        not template.startswith("https://")
        or PLACEHOLDER not in template
        or len(template) > MAX_TEMPLATE
        or any(ch.isspace() for ch in template)
    ):
        raise CarrierRefused(
            _("Write the tracking page as an https:// address with {code} where the number goes.")
        )
    carrier.tracking_url = template
    db.session.flush()
    return carrier
