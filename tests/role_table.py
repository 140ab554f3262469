"""The role table: how every route of the app answers every kind of visitor, and the world it is
checked in (tests/accounts/test_role_table.py; the CSRF and fuzz tests in tests/hardening post
each route as a visitor this table lets through).

Rows: (method, path template, form data, {actor: status}); actors missing from a row's dict get
the row's "*" answer. A route missing from the table fails test_role_table: whoever adds a page
decides who may see it.
"""

from __future__ import annotations

import pytest
from flask import g

from storefront.accounts.models import User
from storefront.audit.models import AuditArea
from storefront.audit.services import record
from storefront.catalog.models import ProductImage, ProductNoticeRule
from storefront.clock import today
from storefront.extensions import db
from storefront.inventory import services as stock
from storefront.office.models import ProgrammePlan
from storefront.orders import placing
from storefront.orders.tracking import ensure_default_carriers
from storefront.showrooms import sale_recording, shifts, transfers
from storefront.traceability.models import BatchDelivery, LabelReport, ProductBatch
from tests.factories import (
    make_producer,
    make_product,
    make_showroom,
    session_user_id,
    stock_at_showroom,
)

ACTORS = ("anonymous", "customer", "producer_b", "staff_x", "staff_y", "office", "producer_a")
# Signed-in visitors are sent away from the sign-in and sign-up pages to their own start page.
SIGNED_IN_REDIRECT = {a: 302 for a in ACTORS if a != "anonymous"}
PUBLIC = {"*": 200}
LOGIN = 302  # to /login
PRODUCERS_ONLY = {"*": 403, "anonymous": LOGIN, "producer_a": 200, "producer_b": 200}
OWN_PRODUCT = {"*": 403, "anonymous": LOGIN, "producer_b": 404}
OFFICE_ONLY = {"*": 403, "anonymous": LOGIN, "office": 200}


def office(status: int) -> dict:
    return {**OFFICE_ONLY, "office": status}


# Showroom staff: each on their own showroom; showroom X's things are not found by Y's staff.
STAFF_ONLY = {"*": 403, "anonymous": LOGIN, "staff_x": 200, "staff_y": 200}
SHOWROOM_X = {"*": 403, "anonymous": LOGIN, "staff_x": 200, "staff_y": 404}
SHOWROOM_X_ACTION = {"*": 403, "anonymous": LOGIN, "staff_x": 302, "staff_y": 404}

TABLE = {
    "static": ("GET", "/static/css/shop.css", None, PUBLIC),
    "healthz": ("GET", "/healthz", None, PUBLIC),
    "i18n.switch": ("GET", "/lang/en", None, {"*": 302}),
    "catalog.home": ("GET", "/", None, PUBLIC),
    "catalog.catalogue": ("GET", "/san-pham", None, PUBLIC),
    "catalog.suggestions": ("GET", "/san-pham/goi-y?q=san", None, PUBLIC),
    "catalog.product": ("GET", "/san-pham/{product_a}", None, PUBLIC),
    "catalog.producer": ("GET", "/chu-the/{producer_a}", None, PUBLIC),
    "catalog.media": ("GET", "/media/products/none-large.jpg", None, {"*": 404}),
    "catalog.picture": ("GET", "/media/products/w/pa-0123456789ab-640.webp", None, {"*": 404}),
    "qr.verify": ("GET", "/q/{product_a}", None, PUBLIC),
    "shop.policy_page": ("GET", "/chinh-sach/bao-mat", None, PUBLIC),
    "shop.robots": ("GET", "/robots.txt", None, PUBLIC),
    "shop.sitemap_index": ("GET", "/sitemap.xml", None, PUBLIC),
    "shop.sitemap_pages": ("GET", "/sitemap-pages.xml", None, PUBLIC),
    "shop.sitemap_products": ("GET", "/sitemap-products-1.xml", None, PUBLIC),
    "api-docs.openapi_json": ("GET", "/api/openapi.json", None, PUBLIC),
    "api_pages.docs": ("GET", "/api/docs", None, PUBLIC),
    "api.products": ("GET", "/api/v1/products?q=san", None, PUBLIC),
    "api.product": ("GET", "/api/v1/products/{product_a}", None, PUBLIC),
    "api.verify": ("GET", "/api/v1/verify/{product_a}", None, PUBLIC),
    "api.producers": ("GET", "/api/v1/producers", None, PUBLIC),
    "api.producer": ("GET", "/api/v1/producers/{producer_a}", None, PUBLIC),
    "api.showrooms": ("GET", "/api/v1/showrooms", None, PUBLIC),
    "api.showroom_detail": ("GET", "/api/v1/showrooms/{showroom_x}", None, PUBLIC),
    "api.regions": ("GET", "/api/v1/regions", None, PUBLIC),
    "qr.image": ("GET", "/qr/{product_a}.png", None, PUBLIC),
    "qr.verify_batch": ("GET", "/q/{product_a}/{batch_a}", None, PUBLIC),
    "api.verify_batch": ("GET", "/api/v1/verify/{product_a}/{batch_a}", None, PUBLIC),
    "traceability.report_form": ("GET", "/bao-cao-nhan/{product_a}?batch={batch_a}", None, PUBLIC),
    "traceability.report_sent": ("GET", "/bao-cao-nhan/{product_a}/da-gui", None, PUBLIC),
    "producers.batches_page": ("GET", "/producer/batches", None, PRODUCERS_ONLY),
    "producers.record_delivery": (
        "POST",
        "/producer/batches/{batch_a_id}/deliveries",
        {"showroom": "SX", "quantity": "1"},
        {**OWN_PRODUCT, "producer_a": 302},
    ),
    "producers.batch_label_pdf": (
        "GET",
        "/producer/batches/{batch_a_id}/labels.pdf",
        None,
        {**OWN_PRODUCT, "producer_a": 200},
    ),
    "showrooms.back_office.batch_list": ("GET", "/showroom/batches", None, STAFF_ONLY),
    # Showroom Y received none of batch A: no labels of it there.
    "showrooms.back_office.batch_label_pdf": (
        "GET",
        "/showroom/batches/{batch_a_id}/labels.pdf",
        None,
        SHOWROOM_X,
    ),
    "showrooms.showroom_list": ("GET", "/diem-ban", None, PUBLIC),
    "showrooms.showroom": ("GET", "/diem-ban/{showroom_x}", None, PUBLIC),
    "accounts.login": ("GET", "/login", None, {"*": 200, **SIGNED_IN_REDIRECT}),
    "accounts.logout": ("GET", "/logout", None, PUBLIC),
    "accounts.register": ("GET", "/dang-ky", None, {"*": 200, **SIGNED_IN_REDIRECT}),
    "accounts.account": ("GET", "/tai-khoan", None, {"*": 200, "anonymous": LOGIN}),
    "accounts.logout_everywhere": ("POST", "/tai-khoan/dang-xuat-moi-noi", None, {"*": 302}),
    "accounts.forgot_password": ("GET", "/quen-mat-khau", None, PUBLIC),
    "accounts.reset_password": ("GET", "/dat-lai-mat-khau/not-a-token", None, {"*": 400}),
    "accounts.reset_with_code": ("GET", "/quen-mat-khau/ma", None, PUBLIC),
    # Development only (the tests run as development): refused in production.
    "accounts.dev_outbox": ("GET", "/dev/outbox", None, PUBLIC),
    "producers.dashboard": ("GET", "/producer/", None, PRODUCERS_ONLY),
    "producers.stock": ("GET", "/producer/stock", None, PRODUCERS_ONLY),
    "producers.ledger": ("GET", "/producer/ledger", None, PRODUCERS_ONLY),
    "producers.transfers": ("GET", "/producer/transfers", None, PRODUCERS_ONLY),
    "producers.propose": ("GET", "/producer/proposals/new", None, PRODUCERS_ONLY),
    "producers.product": (
        "GET",
        "/producer/products/{product_a}",
        None,
        {**OWN_PRODUCT, "producer_a": 200},
    ),
    "producers.change_price": (
        "POST",
        "/producer/products/{product_a}/price",
        {"price-price": "123000", "price-version": "{version_a}"},
        {**OWN_PRODUCT, "producer_a": 302},
    ),
    "producers.update_details": (
        "POST",
        "/producer/products/{product_a}/details",
        {"details-unit": "hộp", "details-version": "{version_a}"},
        {**OWN_PRODUCT, "producer_a": 302},
    ),
    "producers.add_picture": (
        "POST",
        "/producer/products/{product_a}/pictures",
        {},
        {**OWN_PRODUCT, "producer_a": 400},
    ),
    "producers.remove_picture": (
        "POST",
        "/producer/products/{product_a}/pictures/{image_a}/delete",
        {},
        {**OWN_PRODUCT, "producer_a": 302},
    ),
    "producers.receive": (
        "POST",
        "/producer/stock/receive",
        {"product": "{product_a_id}", "quantity": "1"},
        {**OWN_PRODUCT, "producer_a": 302},
    ),
    "producers.orders": ("GET", "/producer/orders", None, PRODUCERS_ONLY),
    "producers.move_order": (
        "POST",
        "/producer/orders/{part_a}/packed",
        {},
        {**OWN_PRODUCT, "producer_a": 302},
    ),
    "cart.show": ("GET", "/gio-hang", None, PUBLIC),
    "delivery.choose_province": ("GET", "/giao-hang/chon?province=VN-01", None, {"*": 302}),
    "delivery.saved_addresses": ("GET", "/tai-khoan/dia-chi", None, {"*": 200, "anonymous": LOGIN}),
    # Nobody has an address 999: every signed-in visitor is told it is not theirs.
    "delivery.forget_address": (
        "POST",
        "/tai-khoan/dia-chi/999/xoa",
        None,
        {"*": 404, "anonymous": LOGIN},
    ),
    "orders.delivery_choice": ("GET", "/thanh-toan/giao-den?province=VN-01", None, PUBLIC),
    "office.delivery_rates": ("GET", "/office/giao-hang", None, OFFICE_ONLY),
    "office.delete_delivery_rate": (
        "POST",
        "/office/giao-hang/999/xoa",
        {},
        {**OFFICE_ONLY, "office": 404},
    ),
    "cart.add": ("POST", "/gio-hang/them", {"code": "{product_a}", "quantity": "1"}, {"*": 302}),
    "cart.update": ("POST", "/gio-hang/cap-nhat", {}, {"*": 302}),
    # With an empty cart, checkout sends everyone back to the cart.
    "orders.checkout_page": ("GET", "/thanh-toan", None, {"*": 302}),
    # An order is its buyer's: anyone else is told there is no such order.
    "orders.order_page": ("GET", "/don-hang/{order}", None, {"*": 404, "customer": 200}),
    "orders.cancel": ("POST", "/don-hang/{order}/huy", {}, {"*": 404, "customer": 302}),
    "orders.my_orders": ("GET", "/tai-khoan/don-hang", None, {"*": 200, "anonymous": LOGIN}),
    "orders.payment_status": (
        "GET",
        "/don-hang/{order}/trang-thai-thanh-toan",
        None,
        {"*": 404, "customer": 200},
    ),
    "orders.buy_again": ("POST", "/don-hang/{order}/mua-lai", {}, {"*": 404, "customer": 302}),
    # The bank-notification webhooks are off without their keys: they do not exist then.
    "payments.sepay_webhook": ("POST", "/payments/sepay/webhook", {}, {"*": 404}),
    "payments.casso_webhook": ("POST", "/payments/casso/webhook", {}, {"*": 404}),
    "payments.card_start": ("POST", "/don-hang/{order}/the", {}, {"*": 404, "customer": 400}),
    "payments.card_return": (
        "GET",
        "/don-hang/{order}/the/xong",
        None,
        {"*": 404, "customer": 200},
    ),
    # Card payments are off without Stripe keys: the webhook does not exist then.
    "payments.stripe_webhook": ("POST", "/payments/stripe/webhook", {}, {"*": 404}),
    "payments.reconcile": (
        "GET",
        "/office/payments",
        None,
        {"*": 403, "anonymous": LOGIN, "office": 200},
    ),
    "payments.mark_received": (
        "POST",
        "/office/payments/{order}/received",
        {},
        {"*": 403, "anonymous": LOGIN, "office": 302},
    ),
    "producers.settlements": ("GET", "/producer/settlements", None, PRODUCERS_ONLY),
    "showrooms.pos.counter": ("GET", "/pos/", None, STAFF_ONLY),
    "showrooms.pos.catalogue": ("GET", "/pos/api/catalogue", None, STAFF_ONLY),
    "showrooms.pos.find": ("GET", "/pos/api/find?q=san+pham", None, STAFF_ONLY),
    "showrooms.pos.service_worker": ("GET", "/pos/sw.js", None, STAFF_ONLY),
    # A shift is open already: a second one is refused (the form again, 400).
    "showrooms.pos.open_shift": (
        "POST",
        "/pos/shift/open",
        {"amount": "0"},
        {**STAFF_ONLY, "staff_x": 400, "staff_y": 400},
    ),
    "showrooms.pos.shift": ("GET", "/pos/shift", None, STAFF_ONLY),
    # Counted 1 đồng: not what either drawer should hold, and no reason given (400).
    "showrooms.pos.close_shift": (
        "POST",
        "/pos/shift/close",
        {"amount": "1"},
        {**STAFF_ONLY, "staff_x": 400, "staff_y": 400},
    ),
    "showrooms.pos.shift_report": ("GET", "/pos/shifts/{shift_x}", None, SHOWROOM_X),
    # Showroom Y has none of product A on its shelf: the scan is refused there (422).
    "showrooms.pos.scan": (
        "GET",
        "/pos/api/scan?code={product_a}",
        None,
        {**STAFF_ONLY, "staff_y": 422},
    ),
    # The matrix posts a form, not the counter's JSON: refused as unreadable.
    "showrooms.pos.record_sale": (
        "POST",
        "/pos/api/sales",
        {},
        {**STAFF_ONLY, "staff_x": 400, "staff_y": 400},
    ),
    "showrooms.pos.vietqr": (
        "POST",
        "/pos/api/vietqr",
        {},
        {**STAFF_ONLY, "staff_x": 400, "staff_y": 400},
    ),
    "showrooms.pos.sales": ("GET", "/pos/sales", None, STAFF_ONLY),
    "showrooms.pos.sale": ("GET", "/pos/sales/{sale_x}", None, SHOWROOM_X),
    "showrooms.pos.receipt": ("GET", "/pos/sales/{sale_x}/receipt", None, SHOWROOM_X),
    "showrooms.pos.void": ("POST", "/pos/sales/{sale_x}/void", {"reason": "x"}, SHOWROOM_X_ACTION),
    "showrooms.pos.send_slip": (
        "POST",
        "/pos/sales/{sale_x}/send",
        {"to": "khach@example.vn"},
        SHOWROOM_X_ACTION,
    ),
    "showrooms.pos.take_return": (
        "POST",
        "/pos/sales/{sale_x}/return",
        {"reason": "x"},
        SHOWROOM_X_ACTION,
    ),
    "showrooms.back_office.dashboard": ("GET", "/showroom/", None, STAFF_ONLY),
    "showrooms.back_office.transfers": ("GET", "/showroom/transfers", None, STAFF_ONLY),
    "showrooms.back_office.transfer": ("GET", "/showroom/transfers/{transfer_a}", None, SHOWROOM_X),
    "showrooms.back_office.receive": ("GET", "/showroom/receive", None, STAFF_ONLY),
    "showrooms.back_office.stock": ("GET", "/showroom/stock", None, STAFF_ONLY),
    "showrooms.back_office.pickup_list": ("GET", "/showroom/pickups", None, STAFF_ONLY),
    # A pass of another showroom's order is answered "not here" on the list page.
    "showrooms.back_office.find_pickup": (
        "POST",
        "/showroom/pickups/find",
        {"scan": "{pickup_x}"},
        {**STAFF_ONLY, "staff_x": 302, "staff_y": 302},
    ),
    "showrooms.back_office.pickup": ("GET", "/showroom/pickups/{pickup_x}", None, SHOWROOM_X),
    "showrooms.back_office.pickup_ready": (
        "POST",
        "/showroom/pickups/{pickup_x}/ready",
        {},
        SHOWROOM_X_ACTION,
    ),
    "showrooms.back_office.hand_over": (
        "POST",
        "/showroom/pickups/{pickup_x}/hand-over",
        {"code": "WRONG1"},
        SHOWROOM_X_ACTION,
    ),
    "showrooms.back_office.labels": ("GET", "/showroom/labels", None, STAFF_ONLY),
    # Product A is not on showroom Y's shelf: no labels for it there.
    "showrooms.back_office.label_pdf": (
        "GET",
        "/showroom/labels.pdf?n-{product_a}=1",
        None,
        {**STAFF_ONLY, "staff_y": 400},
    ),
    "showrooms.back_office.report": ("GET", "/showroom/report", None, STAFF_ONLY),
    "showrooms.back_office.settlements": (
        "GET",
        "/showroom/settlements?producer=PA",
        None,
        {**STAFF_ONLY, "office": 200},
    ),
    "producers.cancel_transfer": (
        "POST",
        "/producer/transfers/{transfer_a}/cancel",
        {},
        {**OWN_PRODUCT, "producer_a": 302},
    ),
    "office.dashboard": ("GET", "/office/", None, OFFICE_ONLY),
    "office.producers": ("GET", "/office/producers", None, OFFICE_ONLY),
    "office.new_producer": ("GET", "/office/producers/new", None, OFFICE_ONLY),
    "office.producer": ("GET", "/office/producers/{producer_a}", None, OFFICE_ONLY),
    "office.producer_active": (
        "POST",
        "/office/producers/{producer_a}/active",
        {"active": "1"},
        office(302),
    ),
    "office.order_list": ("GET", "/office/orders", None, OFFICE_ONLY),
    "office.order_detail": ("GET", "/office/orders/{order}", None, OFFICE_ONLY),
    "office.order_cancel": (
        "POST",
        "/office/orders/{order}/cancel",
        {"reason": "check"},
        office(302),
    ),
    "office.order_return": (
        "POST",
        "/office/orders/{order}/parts/{part_a}/return",
        {"reason": "check"},
        office(302),
    ),
    # The order of the table is not shipped: marking a part delivered is refused (flashed).
    "office.order_part_delivered": (
        "POST",
        "/office/orders/{order}/parts/{part_a}/delivered",
        {},
        office(302),
    ),
    "office.carriers": ("GET", "/office/carriers", None, OFFICE_ONLY),
    "office.carrier_save": (
        "POST",
        "/office/carriers/ghn",
        {"tracking_url": "https://donhang.ghn.vn/?order_code={{code}}"},  # formatted once
        office(302),
    ),
    "office.products": ("GET", "/office/products?review=pending", None, OFFICE_ONLY),
    "office.new_product": ("GET", "/office/products/new", None, OFFICE_ONLY),
    "office.product": ("GET", "/office/products/{product_a}", None, OFFICE_ONLY),
    "office.review_product": (
        "POST",
        "/office/products/{product_a}/review",
        {"decision": "approve"},
        office(302),
    ),
    # An empty form: the office is told what is missing (400); nobody else gets that far.
    "office.product_texts": ("POST", "/office/products/{product_a}/texts", {}, office(400)),
    "office.product_listing": (
        "POST",
        "/office/products/{product_a}/listing",
        {"listed": "1", "reason": "check"},
        office(302),
    ),
    "office.certificate_list": ("GET", "/office/certificates?status=expiring", None, OFFICE_ONLY),
    "office.issue_certificate": (
        "POST",
        "/office/products/{product_a}/certificates",
        {"cert-score": "80", "cert-stars": "4"},
        office(400),
    ),
    "office.certificate_scan_upload": (
        "POST",
        "/office/certificates/{certificate_a}/scan",
        {},
        {"*": 403, "anonymous": LOGIN, "office": 302},
    ),
    "office.certificate_scan": (
        "GET",
        "/office/certificates/{certificate_a}/scan",
        None,
        {"*": 403, "anonymous": LOGIN, "office": 404},
    ),
    "office.revoke_certificate": (
        "POST",
        "/office/certificates/{certificate_a}/revoke",
        {"revoke-reason": ""},
        office(400),
    ),
    "office.showroom_list": ("GET", "/office/showrooms", None, OFFICE_ONLY),
    "office.new_showroom": ("GET", "/office/showrooms/new", None, OFFICE_ONLY),
    "office.showroom": ("GET", "/office/showrooms/{showroom_x}", None, OFFICE_ONLY),
    "office.showroom_open": (
        "POST",
        "/office/showrooms/{showroom_x}/open",
        {"open": "1"},
        office(302),
    ),
    "office.showroom_staff": (
        "POST",
        "/office/showrooms/{showroom_x}/staff",
        {"identifier": "nobody@x.vn"},
        office(400),
    ),
    "office.region_list": ("GET", "/office/regions", None, OFFICE_ONLY),
    "office.new_region": ("GET", "/office/regions/new", None, OFFICE_ONLY),
    "office.region": ("GET", "/office/regions/{region_a}", None, OFFICE_ONLY),
    "office.import_regions": ("GET", "/office/regions/import", None, OFFICE_ONLY),
    "office.user_list": ("GET", "/office/users?role=staff", None, OFFICE_ONLY),
    "office.invite_user": ("GET", "/office/users/invite", None, OFFICE_ONLY),
    "office.user": ("GET", "/office/users/{customer_id}", None, OFFICE_ONLY),
    "office.user_active": (
        "POST",
        "/office/users/{customer_id}/active",
        {"active": "1"},
        office(302),
    ),
    "office.import_csv": ("GET", "/office/import/products", None, OFFICE_ONLY),
    "office.confirm_import": ("POST", "/office/import/products/confirm", {}, office(400)),
    "office.audit_log": ("GET", "/office/audit?q=x", None, OFFICE_ONLY),
    "office.audit_entry": ("GET", "/office/audit/{audit_a}", None, OFFICE_ONLY),
    "office.shop_operator": ("GET", "/office/shop", None, OFFICE_ONLY),
    "office.shop_policy": ("GET", "/office/shop/policies/giao-hang", None, OFFICE_ONLY),
    "office.notice_rules": ("GET", "/office/notices", None, OFFICE_ONLY),
    "office.delete_notice_rule": ("POST", "/office/notices/{notice_rule}/delete", {}, office(302)),
    "office.report_page": ("GET", "/office/reports", None, OFFICE_ONLY),
    "office.plan_list": ("GET", "/office/plans", None, OFFICE_ONLY),
    "office.plan": ("GET", "/office/plans/{plan_a}", None, OFFICE_ONLY),
    "office.plan_target": (
        "POST",
        "/office/plans/{plan_a}/targets",
        {"region": "NOSUCH", "indicator": "showrooms", "target": "1"},
        office(400),
    ),
    "office.plan_report": ("GET", "/office/plans/{plan_a}/report", None, OFFICE_ONLY),
    "office.plan_report_xlsx": ("GET", "/office/plans/{plan_a}/report.xlsx", None, OFFICE_ONLY),
    "office.report_export": ("GET", "/office/reports/kpis.xlsx", None, OFFICE_ONLY),
    "office.sales_page": ("GET", "/office/sales", None, OFFICE_ONLY),
    "office.sales_export": ("GET", "/office/sales/settlements.csv", None, OFFICE_ONLY),
    "office.signals_page": ("GET", "/office/signals", None, OFFICE_ONLY),
    "office.signals_export": ("GET", "/office/signals/unknown-codes.csv", None, OFFICE_ONLY),
    "office.label_reports": ("GET", "/office/signals/reports?status=new", None, OFFICE_ONLY),
    # The world's report came without a photo.
    "office.label_report_photo": (
        "GET",
        "/office/signals/reports/{label_report}/photo.jpg",
        None,
        office(404),
    ),
    "office.answer_label_report": (
        "POST",
        "/office/signals/reports/{label_report}/answer",
        {"reason": "Cảm ơn"},
        office(302),
    ),
    "office.close_label_report": (
        "POST",
        "/office/signals/reports/{label_report}/close",
        {"reason": "Đã xử lý"},
        office(302),
    ),
    "office.suspend_batch": (
        "POST",
        "/office/batches/{batch_a_id}/suspend",
        {"reason": "Kiểm tra"},
        office(302),
    ),
    "office.lift_batch_review": (
        "POST",
        "/office/batches/{batch_a_id}/lift",
        {"reason": "Xong"},
        office(302),
    ),
}


@pytest.fixture
def world(app_ctx, monkeypatch):
    """Producer A (with a product, a picture and a transfer), producer B, showrooms X and Y,
    and one user per kind of visitor."""
    monkeypatch.setattr("storefront.catalog.images.delete_product_image", lambda name: None)
    producer_a, producer_b = make_producer("PA"), make_producer("PB")
    showroom_x, showroom_y = make_showroom("SX"), make_showroom("SY")
    product_a = make_product(producer=producer_a, stock=10)
    make_product(producer=producer_b, stock=10)
    image = ProductImage(product_id=product_a.id, filename="pa-1")
    notice_rule = ProductNoticeRule(group="drinks", subgroup="Rượu", notice="adults_only")
    db.session.add_all([image, notice_rule])
    ensure_default_carriers()  # the carriers the migration seeds (tests empty every table)
    transfer = transfers.send_to_showroom(
        producer_a.id, showroom_x.id, {product_a.id: 2}, actor="test"
    )
    users = {
        "customer": User(email="c@x.vn", role="customer"),
        "producer_a": User(email="a@x.vn", role="producer", producer=producer_a),
        "producer_b": User(email="b@x.vn", role="producer", producer=producer_b),
        "staff_x": User(email="x@x.vn", role="staff", showroom=showroom_x),
        "staff_y": User(email="y@x.vn", role="staff", showroom=showroom_y),
        "office": User(email="o@x.vn", role="office"),
    }
    for user in users.values():
        user.password_hash = "!"  # signed in through the session below, not by password
    db.session.add_all(users.values())
    db.session.commit()
    order, _secret = placing.place_order(
        placing.OrderDraft("delivery", "cod", "Lan", "0912345678", None, address_line="1 Lê Lợi"),
        [placing.PlacedLine(product_a, 1, stock.warehouse_of(producer_a.id).id)],
        customer_id=users["customer"].id,
        idempotency_digest="role-matrix",
    )
    db.session.commit()
    stock_at_showroom(product_a, showroom_x, 5)
    # Both counters are at work: a shift open at each, with a float of 100.000 ₫.
    for staff in ("staff_x", "staff_y"):
        shifts.open_shift(db.session.get(User, users[staff].id), 100_000)
    sale, _created = sale_recording.record_sale(
        db.session.get(User, users["staff_x"].id),
        "role-matrix-sale",
        [{"code": product_a.code, "quantity": 1}],
        payment="cash",
        today=today(),
    )
    pickup, _secret = placing.place_order(
        placing.OrderDraft(
            "pickup", "cash_at_pickup", "Lan", "0912345678", None, pickup_showroom_id=showroom_x.id
        ),
        [placing.PlacedLine(product_a, 1, stock.showroom_location(showroom_x.id).id)],
        customer_id=None,
        idempotency_digest="role-matrix-pickup",
    )
    plan_a = ProgrammePlan(
        number="1/KH-UBND",
        title="Kế hoạch 1/KH-UBND",
        period_start=today().replace(month=1, day=1),
        period_end=today().replace(month=12, day=31),
        products_3_star_plus=10,
        products_5_star=1,
        cooperative_share_pct=50,
        sme_share_pct=30,
        modern_channels_low_pct=20,
        modern_channels_high_pct=30,
        showrooms_per_district=0,
    )
    db.session.add(plan_a)
    audit_a = record("test", AuditArea.PRICE, "price.changed", product_a.name, after={"x": 1})
    db.session.commit()
    batch = ProductBatch(
        product_id=product_a.id,
        code="BAT234",
        produced_on=today(),
        quantity=50,
        created_by_name="test",
    )
    db.session.add(batch)
    db.session.flush()
    db.session.add(
        BatchDelivery(
            batch_id=batch.id,
            showroom_id=showroom_x.id,
            quantity=5,
            delivered_on=today(),
            created_by_name="test",
        )
    )
    label_report = LabelReport(
        product_id=product_a.id,
        code_tried=product_a.code,
        what_seen="x",
        where_seen="y",
        contact="shopper@x.vn",
    )
    db.session.add(label_report)
    db.session.commit()
    values = {
        "product_a": product_a.code,
        "product_a_id": product_a.id,
        "producer_a": "PA",
        "version_a": product_a.version,
        "image_a": image.id,
        "notice_rule": notice_rule.id,
        "transfer_a": transfer.id,
        "showroom_x": "SX",
        "order": order.number,
        "part_a": order.parts[0].id,
        "region_a": producer_a.region.code,
        "certificate_a": product_a.certificates[0].id,
        "customer_id": users["customer"].id,
        "sale_x": sale.number,
        "shift_x": sale.shift_id,
        "pickup_x": pickup.number,
        "batch_a": batch.code,
        "batch_a_id": batch.id,
        "label_report": label_report.id,
        "audit_a": audit_a.id,
        "plan_a": plan_a.id,
    }
    return {name: user.id for name, user in users.items()}, values


def allowed_actor(expected: dict) -> str:
    """The first visitor the table's row lets through (not refused, not sent to sign in)."""
    for actor in ACTORS:
        status = expected.get(actor, expected["*"])
        if status not in (403, 404) and not (actor == "anonymous" and status == LOGIN):
            return actor
    return "anonymous"  # a route nobody may use (the media of a missing picture)


def sign_in(client, user_id) -> None:
    """The client signed in as that user (None: signed out), through the session cookie."""
    # The test's app context outlives requests; forget the user Flask-Login cached in it.
    g.pop("_login_user", None)
    with client.session_transaction() as session:
        session.clear()
        if user_id is not None:
            session["_user_id"] = session_user_id(user_id)
            session["_fresh"] = True
