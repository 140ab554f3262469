from storefront import domain
from storefront.domain import Refused


class OfficeError(Refused):
    """A refused change, with a message for the office; nothing was changed. ``field`` names
    the form field the message belongs beside, when there is one."""


class NotFound(domain.NotFound, OfficeError):
    """No such producer, product, certificate, showroom, region or account: a 404 (the kind
    comes first, so its status is the one HTTP sees)."""
