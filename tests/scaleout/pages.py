"""A person's browser against a running instance, over real HTTP: sign in, read what a page
shows. Only requests and the page's markup, never the app's own code."""

from __future__ import annotations

import html
import itertools
import re

import requests
from requests.adapters import HTTPAdapter

LOGIN_LIMIT = 5  # sign-in attempts per minute per client address, counted over both instances
STOCK_ONLINE_RE = re.compile(r'<li><span class="stock (?:in|out)">([^<]*)</span>')
PRODUCT_PRICE_RE = re.compile(r'<p class="product-price"><span class="price">([^<]+)</span>')
MAIN_RE = re.compile(r"<main[^>]*>(.*?)</main>", re.S)
CARD_RE = re.compile(r'<li class="card">.*?</li>', re.S)
PRICE_RE = re.compile(r'<span class="price">([^<]+)</span>')
CARD_CODE_RE = re.compile(r'<li class="card">\s*<a class="card-link" href="/san-pham/([^"]+)"')
_addresses = (f"127.0.0.{n}" for n in itertools.count(2))  # 127.0.0.0/8 is all loopback


class FromAddress(HTTPAdapter):
    """Connections from another loopback address: to the rate limiter, another client."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def browser() -> requests.Session:
    """A new visitor: one cookie jar, as one browser has, on a loopback address of its own, as
    people on different phones have (rate limits count per address). Cookies belong to the host,
    not the port, so the jar sends what instance A set to instance B too, as a browser would to
    two instances behind one proxy."""
    http = requests.Session()
    http.mount("http://", FromAddress(next(_addresses)))
    return http


def hidden(page: str, name: str) -> str:
    """The value of the hidden field NAME (e.g. the CSRF token) in a page's form."""
    match = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', page)
    assert match, f"no hidden field {name} on the page"
    return html.unescape(match.group(1))


def sign_in(http: requests.Session, base_url: str, email: str, password: str):
    """The sign-in form, filled and sent; the answer is not followed (302 when it worked)."""
    form = http.get(base_url + "/login", timeout=30)
    form.raise_for_status()
    return http.post(
        base_url + "/login",
        data={
            "csrf_token": hidden(form.text, "csrf_token"),
            "identifier": email,
            "password": password,
        },
        allow_redirects=False,
        timeout=30,
    )


def main_of(page: str) -> str:
    """The page's own content, without header and footer: for messages of failed checks."""
    match = MAIN_RE.search(page)
    return re.sub(r"\n\s*\n+", "\n", match.group(1) if match else page)[:3000]


def online_stock(page: str) -> int:
    """Units for sale online, as the product page says it (0 when it says out of stock)."""
    match = STOCK_ONLINE_RE.search(page)
    assert match, "the product page shows no online stock"
    number = re.search(r"\d+", match.group(1))
    return int(number.group()) if number else 0


def product_price(page: str) -> str:
    match = PRODUCT_PRICE_RE.search(page)
    assert match, "the product page shows no price"
    return html.unescape(match.group(1))


def card_price(page: str, code: str) -> str | None:
    """The price on the product's card in a list page, or None when the card is not there."""
    for card in CARD_RE.findall(page):
        if f'href="/san-pham/{code}"' in card:
            return html.unescape(PRICE_RE.search(card).group(1))
    return None


def first_card(page: str) -> str | None:
    """The product code of the first card in a list page."""
    match = CARD_CODE_RE.search(page)
    return match.group(1) if match else None
