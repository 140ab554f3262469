"""Today's date where the shop is: certificates are valid by the calendar of Vietnam."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

SHOP_TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def today() -> date:
    return datetime.now(SHOP_TIMEZONE).date()
