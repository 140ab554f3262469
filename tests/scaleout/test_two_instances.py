"""Two instances, one shop: whatever a person does through one instance, the other shows too, and
what guards the shop (sessions, CSRF tokens, rate limits) holds over both. Real HTTP against two
gunicorn instances on PostgreSQL and Redis, one worker each (see conftest.py).

Public pages come from the page cache (storefront/page_cache.py): the instance that made a change
shows it at once, the other within GENERATION_MAX_AGE, when it reads the catalogue's generation
again. The tests hold both instances to exactly that: at once here, no later than that there."""

from __future__ import annotations

import time

import pytest
import requests

from bench.race_client import Buyer
from storefront.formatting import format_vnd
from storefront.register.generation import GENERATION_MAX_AGE
from tests.scaleout.pages import (
    LOGIN_LIMIT,
    browser,
    card_price,
    first_card,
    hidden,
    main_of,
    online_stock,
    product_price,
    sign_in,
)

pytestmark = pytest.mark.scaleout  # one xdist worker runs them all (tests/conftest.py)

CUSTOMER = "khach@ocop.demo"
PRODUCER = "kora@ocop.demo"  # Kora Group, producer code KORA
OFFICE = "office@ocop.demo"
IMPORT_CSV = "name,producer,group,unit,price\nTrà túi lọc thử hai máy,KORA,food,hộp 20 túi,65000\n"
NEW_PRICE = 9_876_000  # above every demo price: first in the catalogue sorted by price


@pytest.fixture(scope="module")
def kora_products(pair) -> list[str]:
    """Codes of Kora Group's products with units for sale online, as the API lists them."""
    listed = requests.get(pair.urls[0] + "/api/v1/producers/KORA", timeout=30)
    listed.raise_for_status()
    codes = [item["code"] for item in listed.json()["items"] if item["available"] >= 2]
    assert len(codes) >= 2, "the demo data has changed: Kora Group needs two products in stock"
    return codes


def page(url: str, http: requests.Session | None = None) -> str:
    response = (http or requests).get(url, allow_redirects=False, timeout=30)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response.text


def after_the_other_instance_rereads() -> None:
    time.sleep(GENERATION_MAX_AGE + 0.2)


def signed_in(pair, base_url: str, email: str) -> requests.Session:
    """A new visitor, signed in through the instance at BASE_URL with the demo account EMAIL."""
    http = browser()
    account = pair.account(email)
    assert sign_in(http, base_url, account.email, account.password).status_code == 302
    return http


def test_an_order_placed_through_a_is_seen_through_b(pair, kora_products):
    a, b = pair.urls
    code = kora_products[0]
    before = {url: online_stock(page(f"{url}/san-pham/{code}")) for url in (a, b)}
    assert before[a] == before[b]
    customer = pair.account(CUSTOMER)

    with Buyer(a, code) as buyer:  # product page, cart, checkout form: all on instance A
        assert sign_in(buyer.http, a, customer.email, customer.password).status_code == 302
        buyer.prepare()
        placed = buyer.check_out()
        assert placed.ordered, placed

        # Instance B: the same browser, signed in by A, finds the order among its own.
        assert placed.order_number in page(f"{b}/tai-khoan/don-hang", buyer.http)
        assert placed.order_number in page(f"{b}/don-hang/{placed.order_number}", buyer.http)

    assert online_stock(page(f"{a}/san-pham/{code}")) == before[a] - 1
    after_the_other_instance_rereads()
    assert online_stock(page(f"{b}/san-pham/{code}")) == before[a] - 1


def price_shown(url: str, code: str) -> dict[str, str | None]:
    """The product's price on every public page that shows it, and in the API."""
    catalogue = page(f"{url}/san-pham?sort=price_desc")
    api = requests.get(f"{url}/api/v1/products/{code}", timeout=30).json()
    return {
        "product page": product_price(page(f"{url}/san-pham/{code}")),
        "producer page": card_price(page(f"{url}/chu-the/KORA"), code),
        "catalogue": card_price(catalogue, code),
        "first in the catalogue by price": first_card(catalogue),
        "API": format_vnd(api["price_vnd"]),
    }


def test_a_price_changed_through_b_is_shown_by_b_at_once_and_by_a_soon(pair, kora_products):
    a, b = pair.urls
    code = kora_products[1]
    old = product_price(page(f"{a}/san-pham/{code}"))
    for url in (a, b):  # every page shown (and cached, where it is) before the change
        assert product_price(page(f"{url}/san-pham/{code}")) == old
        assert card_price(page(f"{url}/chu-the/KORA"), code) == old
        assert card_price(page(f"{url}/san-pham?sort=price_desc"), code) in (old, None)

    producer = signed_in(pair, b, PRODUCER)
    form = page(f"{b}/producer/products/{code}", producer)
    saved = producer.post(
        f"{b}/producer/products/{code}/price",
        data={
            "price-csrf_token": hidden(form, "price-csrf_token"),
            "price-version": hidden(form, "price-version"),
            "price-price": str(NEW_PRICE),
        },
        allow_redirects=False,
        timeout=30,
    )
    assert saved.status_code == 302, main_of(saved.text)

    new = format_vnd(NEW_PRICE)
    expected = dict.fromkeys(("product page", "producer page", "catalogue", "API"), new)
    expected["first in the catalogue by price"] = code
    assert price_shown(b, code) == expected
    after_the_other_instance_rereads()
    assert price_shown(a, code) == expected


def test_a_session_and_its_csrf_token_from_a_work_on_b(pair):
    a, b = pair.urls
    person = signed_in(pair, a, CUSTOMER)

    assert browser().get(f"{b}/tai-khoan", allow_redirects=False, timeout=30).status_code == 302
    assert CUSTOMER in page(f"{b}/tai-khoan", person)  # signed in on B by A's cookie

    # A form made by A, sent to B: the CSRF token is accepted and the person is signed out.
    form = page(f"{a}/logout", person)
    signed_out = person.post(
        f"{b}/logout",
        data={"csrf_token": hidden(form, "csrf_token")},
        allow_redirects=False,
        timeout=30,
    )
    assert signed_out.status_code == 302
    assert person.get(f"{a}/tai-khoan", allow_redirects=False, timeout=30).status_code == 302


def test_failed_sign_ins_are_counted_over_both_instances(pair):
    a, b = pair.urls
    intruder = browser()
    answers = [
        sign_in(intruder, (a, b)[attempt % 2], CUSTOMER, "not the password").status_code
        for attempt in range(LOGIN_LIMIT + 2)
    ]
    # Counted apart, each instance would have allowed LOGIN_LIMIT: 2 × LOGIN_LIMIT in all.
    assert answers == [400] * LOGIN_LIMIT + [429, 429]

    signed_in(pair, b, CUSTOMER)  # from another address: not locked out by the intruder


def test_a_csv_import_checked_on_a_is_confirmed_on_b(pair):
    a, b = pair.urls
    office = signed_in(pair, a, OFFICE)
    form = page(f"{a}/office/import/products", office)
    checked = office.post(
        f"{a}/office/import/products",
        data={"csrf_token": hidden(form, "csrf_token")},
        files={"file": ("products.csv", IMPORT_CSV.encode(), "text/csv")},
        timeout=30,
    )
    assert checked.status_code == 200, main_of(checked.text)

    # The confirmation reaches the other instance, as it may behind a proxy.
    done = office.post(
        f"{b}/office/import/products/confirm",
        data={
            "csrf_token": hidden(checked.text, "csrf_token"),
            "token": hidden(checked.text, "token"),
        },
        timeout=30,
    )
    assert done.status_code == 200, main_of(done.text)
    assert 'id="import-done"' in done.text
    assert done.headers["X-Accel-Buffering"] == "no"  # progress shown as it goes, behind nginx
