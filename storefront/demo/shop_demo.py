"""The demo's operator and showroom contacts: invented, and shown with the demo tag.

The operator is the province's OCOP office as a shop would name it; the tax code, phone, Zalo
and registration numbers are made up (no real number is shown as the shop's)."""

from __future__ import annotations

from storefront.extensions import db
from storefront.register.models import Showroom
from storefront.shop.models import ShopOperator
from storefront.shop.services import OPERATOR_ID

OPERATOR = {
    "name": "Văn phòng Điều phối Chương trình OCOP tỉnh (minh hoạ)",
    "address": "Số 1 đường Minh Hoạ, phường Kon Tum, tỉnh Quảng Ngãi",
    "tax_code": "0000000000",
    "phone": "0260 000 0000",
    "email": "ocop@ocop.demo",
    "zalo_url": "https://zalo.me/0000000000",
    "moit_registration": "Số minh hoạ 000/TMĐT",
    "moit_badge_url": "https://online.gov.vn/",
}

# code → phone, Zalo, latitude, longitude (the town's centre, approximately).
SHOWROOM_CONTACTS = {
    "SR-KT": ("0260 000 0001", "https://zalo.me/0000000001", 14.3545, 108.0076),
    "SR-DG": ("0260 000 0002", "https://zalo.me/0000000002", 15.0881, 107.7333),
}


def load(showrooms: list[Showroom]) -> None:
    db.session.merge(ShopOperator(id=OPERATOR_ID, is_demo=True, **OPERATOR))
    for showroom in showrooms:
        contact = SHOWROOM_CONTACTS.get(showroom.code)
        if contact:
            showroom.phone, showroom.zalo_url, showroom.latitude, showroom.longitude = contact
