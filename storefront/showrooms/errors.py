"""What the counter and the back office refuse, with a message for the staff; nothing changed."""

from storefront import domain
from storefront.domain import Refused


class ShowroomError(Refused):
    pass


class NotFound(domain.NotFound, ShowroomError):
    """No such thing — or another showroom's, which looks the same from outside."""


class ScanRefused(ShowroomError):
    """A scan that does not add a product to the sale: ``kind`` says why, for the screen."""

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.kind = kind
