"""The counter as a cashier drives it in Chromium: the demo showroom's shelf, a staff account
there, signing in (a shift opened when none is), a scanner's burst, and what the shop recorded.
Shared by the counter's browser tests (tests never import each other)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from storefront.accounts import services as accounts
from storefront.catalog.models import Certificate, CertificateStatus, Product
from storefront.clock import today
from storefront.extensions import db
from storefront.inventory import services as inventory
from storefront.inventory.models import StockLevel, StockMovement
from storefront.register.models import Showroom
from storefront.showrooms.models import Sale
from tests.browser.pages import CSP_WATCH_SCRIPT

try:  # without Playwright, conftest.py skips (or fails) every browser test with the reason
    from playwright.sync_api import expect
except ImportError:
    expect = None

STAFF_EMAIL = "quay.kontum@example.vn"
STAFF_PASSWORD = "mat-khau-quay-ban"
TABLET = {"viewport": {"width": 1024, "height": 768}, "locale": "vi-VN", "has_touch": True}
# Refused scans answer 422 and offline fetches fail: Chromium logs both as console errors.
EXPECTED_CONSOLE = re.compile(r"Failed to load resource|ERR_INTERNET_DISCONNECTED")


@dataclass(frozen=True)
class Shelf:
    showroom_id: int
    location_id: int
    codes: list[str]  # certified products with at least 3 units available here


@pytest.fixture
def shelf(live_server) -> Shelf:
    """The demo's first showroom, a staff account there with a known password, and what it
    has on its shelf now (earlier tests may have sold some)."""
    with live_server.app.app_context():
        showroom = db.session.scalar(select(Showroom).order_by(Showroom.id))
        if accounts.find_by_identifier(STAFF_EMAIL) is None:
            accounts.create_user(
                STAFF_EMAIL, "staff", STAFF_PASSWORD, name="Chị Hằng", showroom_code=showroom.code
            )
            db.session.commit()
        location = inventory.showroom_location(showroom.id)
        codes = db.session.scalars(
            select(Product.code)
            .join(StockLevel, StockLevel.product_id == Product.id)
            .join(Certificate, Certificate.product_id == Product.id)
            .where(
                StockLevel.location_id == location.id,
                StockLevel.quantity - StockLevel.reserved >= 3,
                Certificate.status == CertificateStatus.ACTIVE,
                Certificate.expires_on >= today(),
                Product.listed.is_(True),
            )
            .order_by(Product.code)
        ).all()
        db.session.commit()
        result = Shelf(showroom.id, location.id, list(codes))
        db.session.remove()
    assert len(result.codes) >= 3, "the demo showroom should have products on its shelf"
    return result


def watched_page(browser, options: dict, page_problems: dict):
    """A page whose console errors, uncaught errors and CSP violations are collected."""
    context = browser.new_context(**options)
    context.set_default_timeout(20_000)
    context.add_init_script(CSP_WATCH_SCRIPT)
    page = context.new_page()
    problems = page_problems.setdefault(page, [])
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    return context, page


def sign_in(page, live_server, email: str = STAFF_EMAIL) -> None:
    page.goto(live_server.url("/login"))
    form = page.locator("main form.form")
    form.locator("input[name=identifier]").fill(email)
    form.locator("input[name=password]").fill(STAFF_PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/pos/$"))  # staff land on the counter


def open_counter(page, live_server, email: str = STAFF_EMAIL) -> None:
    """Signed in at the counter, inside an open shift (opened with a float when there is none)."""
    sign_in(page, live_server, email)
    if page.locator("#open-shift").count():
        page.locator("#open-shift input[name=amount]").fill("500.000")
        page.locator("#open-shift button[type=submit]").click()
        page.wait_for_url(re.compile(r"/pos/$"))
    expect(page.locator("body")).to_have_attribute("data-pos-ready", "true")
    expect(page.locator("#outbox-status")).to_have_attribute("data-waiting", "0")
    # The service worker has kept what the till needs to start offline (and is quiet again).
    assert page.evaluate("navigator.serviceWorker.ready.then((r) => Boolean(r.active))")


# A USB keyboard-wedge scanner sends its keys a millisecond or two apart. Playwright's keyboard
# waits for the page after every key (30 ms and more on a busy machine, sometimes 130), which is
# a person's pace rather than a scanner's; so the burst is played inside the page: each key's
# keydown on the focused element, the character into the field unless the page prevented it (as
# the browser would), then Enter (submitting the field's form unless prevented).
WEDGE_BURST = """(code) => {
  const press = (key) => {
    const target = document.activeElement || document.body;
    const down = new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true });
    const allowed = target.dispatchEvent(down);
    if (allowed && key.length === 1 && "value" in target) {
      target.value += key;
      target.dispatchEvent(new Event("input", { bubbles: true }));
    }
    target.dispatchEvent(new KeyboardEvent("keyup", { key, bubbles: true }));
    return allowed;
  };
  for (const character of code) press(character);
  const field = document.activeElement;
  if (press("Enter") && field && field.form) field.form.requestSubmit();
}"""


def scanner_types(page, code: str) -> None:
    """What a USB keyboard-wedge scanner does: the code, a burst of keys, then Enter."""
    page.evaluate(WEDGE_BURST, code)


def line(page, code: str):
    return page.locator(f".pos-line[data-code='{code}']")


def sale_rows(live_server, number: str) -> list[tuple[int, int]]:
    with live_server.app.app_context():
        rows = db.session.execute(
            select(StockMovement.location_id, StockMovement.delta).where(
                StockMovement.reference == number
            )
        ).all()
        db.session.remove()
    return [tuple(row) for row in rows]


def real_problems(page_problems: dict) -> list[str]:
    return [
        p for problems in page_problems.values() for p in problems if not EXPECTED_CONSOLE.search(p)
    ]


def count_sales(live_server, client_id: str) -> int:
    with live_server.app.app_context():
        count = db.session.scalar(select(func.count(Sale.id)).where(Sale.client_id == client_id))
        db.session.remove()
    return count
