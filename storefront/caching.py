"""Reading and writing the shared cache (Flask-Caching, storefront.extensions.cache) so that a
cache that does not answer (Redis down, say) is a miss and a lost write, never an error page."""

from __future__ import annotations

from flask import current_app

from storefront.extensions import cache


def cache_get(key: str):
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 - any failure of the cache backend
        current_app.logger.warning("cache unavailable", exc_info=True)
        return None


def cache_set(key: str, value, timeout: int | None = None) -> None:
    try:
        cache.set(key, value, timeout=timeout)
    except Exception:  # noqa: BLE001 - any failure of the cache backend
        current_app.logger.warning("cache unavailable", exc_info=True)
