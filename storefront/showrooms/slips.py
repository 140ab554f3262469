"""The counter's slip ("Phiếu thanh toán": a payment slip, not a legal e-invoice), sent to a
customer who asks for it. E-mail goes through the outbox, in the caller's transaction (callers
commit); the address is used for this slip only and kept nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _

from storefront.accounts.models import User
from storefront.accounts.services import normalise_email, normalise_mobile
from storefront.outbox.services import queue_email
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


# How a slip reaches the customer, by the kind of address typed. The one place SMS plugs in:
# when the outbox has queue_sms (issue 15, helper h15b), add
#     "sms": lambda sale, number: queue_sms(number, <text of the slip>, kind="pos_slip"),
# and the counter's "send" form takes a mobile number as it takes an e-mail address now.
SENDERS: dict[str, Callable[[Sale, str], None]] = {"email": _by_email}


def send_slip(actor: User, number: str, to: str) -> str:
    """Send the slip of sale ``number`` (this showroom's) to ``to``: an e-mail address (or,
    once SMS is plugged in, a Vietnamese mobile number). Returns the address it goes to.
    Refused for anything else, or a channel not available yet; nothing is queued then."""
    sale = get_sale(actor, number)
    to = (to or "").strip()[:254]
    if email := normalise_email(to):
        channel, address = "email", email
    elif mobile := normalise_mobile(to):
        channel, address = "sms", mobile
    else:
        raise ShowroomError(_("Type the customer's e-mail address."), "to")
    sender = SENDERS.get(channel)
    if sender is None:
        raise ShowroomError(
            _("Slips cannot be sent by text message yet: ask for an e-mail address."), "to"
        )
    sender(sale, address)
    return address
