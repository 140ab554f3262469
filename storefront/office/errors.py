class OfficeError(Exception):
    """A refused change, with a message for the office; nothing was changed. ``field`` names
    the form field the message belongs beside, when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotFound(OfficeError):
    """No such producer, product, certificate, showroom, region or account."""
