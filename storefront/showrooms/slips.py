"""The counter's slip ("Phiếu thanh toán": a payment slip, not a legal e-invoice), sent to a
customer who asks for it. E-mail goes through the outbox, in the caller's transaction (callers
commit); the address is used for this slip only and kept nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _

from storefront.accounts.models import User
from storefront.accounts.services import normalise_email, normalise_mobile
from storefront.formatting import format_moment, format_vnd
from storefront.outbox.services import queue_email, queue_sms
from storefront.showrooms.errors import ShowroomError
from storefront.showrooms.models import Sale
from storefront.showrooms.past_sales import get_sale

SLIP_TITLE = "Phiếu thanh toán"  # printed as is: the slip is always in Vietnamese


def _by_email(sale: Sale, address: str) -> None:
    queue_email(
        address,
        f"{SLIP_TITLE} {sale.number} — {sale.showroom.name}",
        "pos_slip",
        kind="pos_slip",
        sale=sale,
        slip_title=SLIP_TITLE,
    )


def _by_sms(sale: Sale, number: str) -> None:
    """The slip's essentials in one short text (a full slip does not fit an SMS)."""
    when = format_moment(sale.sold_at)
    queue_sms(
        number,
        f"{SLIP_TITLE} {sale.number} - {sale.showroom.name}, {when}: "
        f"{format_vnd(sale.total_vnd)}. Cam on quy khach!",
        kind="pos_slip",
    )


# How a slip reaches the customer, by the kind of address typed.
SENDERS: dict[str, Callable[[Sale, str], None]] = {"email": _by_email, "sms": _by_sms}


def send_slip(actor: User, number: str, to: str) -> str:
    """Send the slip of sale ``number`` (this showroom's) to ``to``: an e-mail address, or a
    Vietnamese mobile number (a short SMS through the outbox). Returns the address it goes to.
    Refused for anything else; nothing is queued then."""
    sale = get_sale(actor, number)
    to = (to or "").strip()[:254]
    if email := normalise_email(to):
        channel, address = "email", email
    elif mobile := normalise_mobile(to):
        channel, address = "sms", mobile
    else:
        raise ShowroomError(_("Type the customer's e-mail address or mobile number."), "to")
    SENDERS[channel](sale, address)
    return address
