"""sitemap.xml and robots.txt: what search engines may read and where to find every public page.

A sitemap file holds at most 50,000 addresses (sitemaps.org), so /sitemap.xml is an index: one
file of the pages that are not products (home, catalogue, producers, showrooms, policies) and the
products in files of PRODUCTS_PER_FILE, in id order, each listing exactly what the catalogue
sells today. Every address is absolute, on BASE_URL (storefront.links.absolute_url_for). The routes
are served from the page cache, keyed by the catalogue's generation (bench/sitemap.py measures
them at 100,000 products)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from math import ceil
from urllib.parse import quote
from xml.sax.saxutils import escape

from sqlalchemy import Select, func, select

from storefront.catalog.cards import active_certificate_join, listed_clause
from storefront.catalog.models import Certificate, Product
from storefront.extensions import db
from storefront.links import absolute_url_for
from storefront.register.models import Producer, Showroom
from storefront.shop.policy_texts import POLICY_TEXTS

PRODUCTS_PER_FILE = 10_000
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'

# Where search engines have no business: back offices, personal pages, forms, the API.
ROBOTS_DISALLOWED = (
    "/office",
    "/producer",
    "/pos",
    "/showroom",
    "/tai-khoan",
    "/gio-hang",
    "/thanh-toan",
    "/don-hang",
    "/payments",
    "/api",
    "/login",
    "/logout",
    "/dang-ky",
    "/quen-mat-khau",
    "/dat-lai-mat-khau",
    "/lang",
    "/san-pham/goi-y",
    "/healthz",
    "/bao-cao-nhan",  # a shopper's report of a suspicious label: a form, nothing to index
    "/giao-hang/chon",  # remembers a visitor's province for delivery fees
    "/dev",
)


def robots_txt() -> str:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOWED)]
    lines += ["", f"Sitemap: {absolute_url_for('shop.sitemap_index')}", ""]
    return "\n".join(lines)


def product_file_count() -> int:
    """How many product files the index lists: products are split by id, PRODUCTS_PER_FILE ids a
    file, so a file is one range of the primary key (no OFFSET, no count of the catalogue), and
    a product keeps its file. At least one, so the index never changes shape."""
    top = db.session.scalar(select(func.max(Product.id))) or 0
    return max(1, ceil(top / PRODUCTS_PER_FILE))


def sitemap_index() -> str:
    files = [absolute_url_for("shop.sitemap_pages")] + [
        absolute_url_for("shop.sitemap_products", number=n)
        for n in range(1, product_file_count() + 1)
    ]
    entries = "".join(f"<sitemap><loc>{escape(url)}</loc></sitemap>\n" for url in files)
    return f"{_HEAD}<sitemapindex {_NS}>\n{entries}</sitemapindex>\n"


def pages_sitemap() -> str:
    """Home, catalogue, the showroom list, every active producer and showroom, the policies."""
    producers = db.session.scalars(
        select(Producer.code).where(Producer.active.is_(True)).order_by(Producer.id)
    )
    showrooms = db.session.scalars(
        select(Showroom.code).where(Showroom.active.is_(True)).order_by(Showroom.id)
    )
    urls = [
        absolute_url_for("catalog.home"),
        absolute_url_for("catalog.catalogue"),
        absolute_url_for("showrooms.showroom_list"),
        *(_prefix("catalog.producer") + quote(code) for code in producers),
        *(_prefix("showrooms.showroom") + quote(code) for code in showrooms),
        *(absolute_url_for("shop.policy_page", slug=slug) for slug in POLICY_TEXTS),
    ]
    return _urlset(urls)


def products_sitemap(number: int, today: date) -> str | None:
    """The ``number``-th file of products (from 1): those the catalogue sells today among the
    ids ((number - 1) × PRODUCTS_PER_FILE, number × PRODUCTS_PER_FILE]; None past the last file."""
    if number < 1 or number > product_file_count():
        return None
    codes = db.session.scalars(
        _sellable(select(Product.code), today)
        .where(
            Product.id > (number - 1) * PRODUCTS_PER_FILE,
            Product.id <= number * PRODUCTS_PER_FILE,
        )
        .order_by(Product.id)
    )
    prefix = _prefix("catalog.product")
    return _urlset(prefix + quote(code) for code in codes)


def _prefix(endpoint: str) -> str:
    """The absolute address of ``endpoint`` up to its code: one url_for for a whole file."""
    return absolute_url_for(endpoint, code="CODE").removesuffix("CODE")


def _sellable(query: Select, today: date) -> Select:
    return query.join(Certificate, active_certificate_join(today)).where(listed_clause())


def _urlset(urls: Iterable[str]) -> str:
    return "".join(_lines(urls))


def _lines(urls: Iterable[str]) -> Iterator[str]:
    yield f"{_HEAD}<urlset {_NS}>\n"
    for url in urls:
        yield f"<url><loc>{escape(url)}</loc></url>\n"
    yield "</urlset>\n"
