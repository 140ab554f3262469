"""The templates draw stars, the − / + stepper and a state's name one way each, and a page's
<title> is text only."""

import re
from pathlib import Path

from storefront import labels
from tests.factories import make_certificate, make_producer, make_product, make_user

TEMPLATES = Path(labels.__file__).resolve().parent / "templates"
STATE_CODES = {
    code
    for names in (
        labels.ORDER_STATUS_NAMES,
        labels.CERTIFICATE_STATE_NAMES,
        labels.REVIEW_STATUS_NAMES,
        labels.TRANSFER_STATUS_NAMES,
        labels.SALE_STATUS_NAMES,
        labels.MOVEMENT_KIND_NAMES,
    )
    for code in names
}


def _templates() -> dict[str, str]:
    return {
        path.relative_to(TEMPLATES).as_posix(): path.read_text(encoding="utf-8")
        for path in TEMPLATES.rglob("*.html")
    }


def _state_names(page: str, tone: str) -> set[str]:
    return set(re.findall(rf'class="state state-{tone}">([^<]+)<', page))


def test_no_template_names_a_state_itself():
    """A state's name comes from storefront/labels.py, never from a dict written in a template."""
    codes = "|".join(sorted(STATE_CODES))
    own_name = re.compile(rf"""["']({codes})["']\s*:\s*_\(""")
    assert [name for name, text in _templates().items() if own_name.search(text)] == []


def test_stars_and_the_stepper_are_drawn_only_by_their_macros():
    drawn_stars = re.compile(r"""["']★["']\s*\*|\}\}\s*★""")
    stars = [n for n, t in _templates().items() if drawn_stars.search(t)]
    steppers = [n for n, t in _templates().items() if 'class="stepper"' in t]
    assert stars == ["_macros/shop.html"]
    assert steppers == ["_macros/forms.html"]


def test_no_title_block_holds_markup():
    title_block = re.compile(r"\{%-?\s*block title\s*-?%\}(.*?)\{%-?\s*endblock", re.S)
    assert [n for n, t in _templates().items() if "<" in "".join(title_block.findall(t))] == []


def test_a_valid_certificate_has_one_name_in_the_shop_and_the_office(client, auth, app_ctx):
    product = make_product("Mật ong Đăk Hà")
    make_certificate(product, stars=3, status="superseded")  # a history: the shop shows it
    shop = client.get(f"/san-pham/{product.code}").text
    auth.login(make_user(role="office"))
    office_product = client.get(f"/office/products/{product.code}").text
    office_list = client.get("/office/certificates").text
    for page in (shop, office_product, office_list):
        assert "còn hiệu lực" in _state_names(page, "active")
        assert "hiệu lực" not in _state_names(page, "active")
    assert ">còn hiệu lực</a>" in office_list  # the filter link says it the same way


def test_a_proposal_waits_for_review_in_the_same_words_for_producer_and_office(
    client, auth, app_ctx
):
    producer = make_producer("KORA", "Kora Group")
    make_product(
        "Trà hoa vàng", producer=producer, stars=None, listed=False, review_status="pending"
    )
    auth.login(make_user(role="producer", producer_code="KORA"))
    assert _state_names(client.get("/producer/").text, "superseded") == {"chờ duyệt"}
    auth.logout()
    auth.login(make_user(role="office"))
    assert _state_names(client.get("/office/products").text, "superseded") == {"chờ duyệt"}
