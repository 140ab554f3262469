"""The office's pages, one module per part; importing this registers them all on ``bp``."""

from storefront.office import (  # noqa: F401
    delivery_routes,
    import_routes,
    order_routes,
    people_routes,
    plan_routes,
    register_routes,
    report_routes,
    shop_routes,
    signal_routes,
    web,
)
