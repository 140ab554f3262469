"""Buyers racing for the last units, over HTTP, as browsers would.

Each buyer is a thread with its own cookie jar (``requests.Session``): it opens the product page,
puts one unit in its cart, opens the checkout page (reading the CSRF token, the form's one-time
idempotency key and a commune to deliver to) and then waits at a barrier, so that every buyer
submits the checkout form at the same moment: cash on delivery, delivered to that commune.

Used by the race test (tests/orders/test_race.py) and by the benchmark (bench/checkout_race.py),
so both measure the same thing. Only ``requests`` and the standard library: no app imports.
"""

from __future__ import annotations

import html
import re
import threading
import time
from dataclasses import dataclass

import requests

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
KEY_RE = re.compile(r'name="idempotency_key"[^>]*value="([^"]+)"')
PROVINCE_SELECT_RE = re.compile(r'<select id="province" name="province"[^>]*>(.*?)</select>', re.S)
COMMUNE_LIST_RE = re.compile(r'<datalist id="commune-list">(.*?)</datalist>', re.S)
OPTION_RE = re.compile(r'<option value="(\d+)"[^>]*>([^<]*)</option>')
COMMUNE_OPTION_RE = re.compile(r'<option value="([^"]+)">')
CART_ERROR_RE = re.compile(r'<ul class="errors" id="cart-error"><li>(.*?)</li></ul>', re.S)
ORDER_LOCATION_RE = re.compile(r"/don-hang/(DH[0-9A-Z]{8})")


@dataclass
class Outcome:
    """What one buyer's checkout POST got back."""

    status: int | None = None  # HTTP status of the checkout POST (None: it was never answered)
    seconds: float | None = None  # how long the checkout POST took
    order_number: str | None = None  # from the redirect to the order page
    message: str | None = None  # the error the checkout page showed about the cart
    error: str | None = None  # anything that went wrong on the buyer's side

    @property
    def ordered(self) -> bool:
        return self.status == 302 and self.order_number is not None


def _csrf(page: str) -> dict[str, str]:
    match = CSRF_RE.search(page)
    return {"csrf_token": html.unescape(match.group(1))} if match else {}


def delivery_choice(page: str, communes_of) -> tuple[str, str]:
    """(province id, commune name): the first province on the checkout page that has a commune
    (``communes_of(province id)``: the page of its communes, as the checkout asks for them)."""
    for value, _name in OPTION_RE.findall(PROVINCE_SELECT_RE.search(page).group(1)):
        listed = COMMUNE_LIST_RE.search(communes_of(value))
        communes = COMMUNE_OPTION_RE.findall(listed.group(1)) if listed else []
        if communes:
            return value, html.unescape(communes[0])
    raise LookupError("the checkout page offers no commune to deliver to")


class Buyer:
    def __init__(self, base_url: str, product_code: str, timeout: float = 60):
        self.base_url = base_url.rstrip("/")
        self.product_code = product_code
        self.timeout = timeout
        self.http = requests.Session()
        self.form: dict[str, str] = {}

    def __enter__(self) -> Buyer:
        return self

    def __exit__(self, *exc) -> None:
        self.http.close()

    def _url(self, path: str) -> str:
        return self.base_url + path

    def prepare(self) -> None:
        """Product page, add to cart, checkout page: everything up to the final click."""
        page = self.http.get(self._url(f"/san-pham/{self.product_code}"), timeout=self.timeout)
        page.raise_for_status()
        added = self.http.post(
            self._url("/gio-hang/them"),
            data={"code": self.product_code, "quantity": "1", **_csrf(page.text)},
            allow_redirects=False,
            timeout=self.timeout,
        )
        if added.status_code != 302:
            raise RuntimeError(f"adding to the cart answered {added.status_code}")
        checkout = self.http.get(self._url("/thanh-toan"), timeout=self.timeout)
        if checkout.status_code != 200:
            raise RuntimeError(f"the checkout page answered {checkout.status_code}")
        province, commune = delivery_choice(checkout.text, self._communes)
        # The final click opens a new connection: a kept-alive one may have been closed by the
        # server while this buyer waited for the others (gunicorn drops idle ones after 2 s),
        # and a POST on a closed connection is not retried.
        for adapter in self.http.adapters.values():
            adapter.close()
        self.form = {
            **_csrf(checkout.text),
            "idempotency_key": html.unescape(KEY_RE.search(checkout.text).group(1)),
            "name": "Người Mua Thử",
            "phone": "0912345678",
            "email": "",
            "fulfilment": "delivery",
            "province": province,
            "commune": commune,
            "address": "12 Trần Phú",
            "payment_method": "cod",
            "note": "",
        }

    def _communes(self, province: str) -> str:
        page = self.http.get(
            self._url("/thanh-toan/giao-den"), params={"province": province}, timeout=self.timeout
        )
        page.raise_for_status()
        return page.text

    def check_out(self) -> Outcome:
        outcome = Outcome()
        started = time.perf_counter()
        try:
            response = self.http.post(
                self._url("/thanh-toan"),
                data=self.form,
                allow_redirects=False,
                timeout=self.timeout,
            )
        except requests.RequestException as error:
            outcome.error = f"{type(error).__name__}: {error}"
            return outcome
        finally:
            outcome.seconds = time.perf_counter() - started
        outcome.status = response.status_code
        match = ORDER_LOCATION_RE.search(response.headers.get("Location", ""))
        outcome.order_number = match.group(1) if match else None
        error = CART_ERROR_RE.search(response.text)
        outcome.message = html.unescape(error.group(1)).strip() if error else None
        return outcome


def race(base_url: str, product_code: str, buyers: int, timeout: float = 120) -> list[Outcome]:
    """Run ``buyers`` buyers; every checkout POST is released at the same moment."""
    barrier = threading.Barrier(buyers)
    outcomes = [Outcome() for _ in range(buyers)]

    def run(index: int) -> None:
        with Buyer(base_url, product_code, timeout=timeout) as buyer:
            try:
                buyer.prepare()
            except Exception as error:  # reported in the outcome
                outcomes[index].error = f"preparing: {type(error).__name__}: {error}"
                barrier.abort()  # nobody waits for a buyer who will never come
                return
            try:
                barrier.wait(timeout=timeout)
            except threading.BrokenBarrierError:
                outcomes[index].error = "another buyer could not get ready"
                return
            outcomes[index] = buyer.check_out()

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(buyers)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 2 * timeout
    for thread in threads:
        thread.join(max(deadline - time.monotonic(), 0))
    for index, thread in enumerate(threads):
        if thread.is_alive():
            outcomes[index].error = outcomes[index].error or "still waiting for an answer"
    return outcomes
