"""Pictures that sell: each stored picture in several widths, WebP and JPEG, made once and kept
on disk; the product page's gallery and the cards use them; the group drawing stands in."""

import io
from pathlib import Path

import pytest
from flask import current_app
from PIL import Image

from storefront.catalog.pictures import WIDTHS, primary_picture_url
from storefront.extensions import db
from storefront.producers.pictures import add_picture
from tests.factories import make_producer, make_product, make_user


def _photo(width=1600, height=1200, colour=(200, 40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def pictured(app_ctx):
    producer = make_producer("KORA", "Kora Group")
    user = make_user("kora@example.vn", role="producer", producer_code="KORA")
    product = make_product("Hồng đảng sâm", producer=producer, stock=3)
    for colour in ((200, 40, 30), (30, 120, 40), (20, 40, 200)):
        add_picture(user, product.id, _photo(colour=colour), "Chai sâm")
    db.session.commit()
    return product


def _get(client, url) -> Image.Image:
    with client.get(url) as response:
        assert response.status_code == 200
        return Image.open(io.BytesIO(response.data))


def _variants_folder() -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / "products" / "sizes"


def test_the_page_offers_every_width_in_webp_and_jpeg_and_loads_below_the_fold_lazily(
    client, pictured
):
    page = client.get(f"/san-pham/{pictured.code}").text
    name = pictured.images[0].filename
    assert '<source type="image/webp"' in page
    for width in WIDTHS:
        assert f"/media/products/w/{name}-{width}.webp {width}w" in page
        assert f"/media/products/w/{name}-{width}.jpg {width}w" in page
    gallery = page[page.index('class="gallery-main"') : page.index('class="gallery-thumbs"')]
    assert gallery.count('fetchpriority="high"') == 1  # the first picture only
    assert gallery.count('loading="lazy"') == 2
    assert page.count('href="#picture-') == 3  # a thumbnail for each


def test_a_width_is_made_once_then_served_from_disk(client, pictured):
    name = pictured.images[0].filename
    webp = _get(client, f"/media/products/w/{name}-640.webp")
    assert webp.format == "WEBP"
    assert webp.width == 640
    kept = _variants_folder() / f"{name}-640.webp"
    assert kept.exists()
    made_at = kept.stat().st_mtime_ns
    _get(client, f"/media/products/w/{name}-640.webp")
    assert kept.stat().st_mtime_ns == made_at
    jpeg = _get(client, f"/media/products/w/{name}-320.jpg")
    assert jpeg.format == "JPEG"
    assert jpeg.width == 320


@pytest.mark.parametrize(
    "filename",
    ["{name}-500.webp", "{name}-640.png", "../{name}-640.jpg", "kora-000000000000-640.jpg"],
)
def test_anything_but_a_known_width_of_a_stored_picture_is_not_found(client, pictured, filename):
    name = pictured.images[0].filename
    with client.get(f"/media/products/w/{filename.format(name=name)}") as response:
        assert response.status_code == 404


def test_cards_show_the_first_picture_and_others_the_group_drawing(client, pictured):
    plain = make_product("Trà gừng", group="food", stock=3)
    page = client.get("/san-pham").text
    assert f"/media/products/w/{pictured.images[0].filename}-640.jpg" in page
    card = page[page.index(plain.name) - 1500 : page.index(plain.name)]
    assert "/static/img/groups/food.svg" in card


def test_removing_a_picture_removes_its_sizes(client, auth, pictured):
    name = pictured.images[0].filename
    _get(client, f"/media/products/w/{name}-960.jpg")
    assert (_variants_folder() / f"{name}-960.jpg").exists()
    auth.login(make_user("kora2@example.vn", role="producer", producer_code="KORA"))
    client.post(f"/producer/products/{pictured.code}/pictures/{pictured.images[0].id}/delete")
    assert not (_variants_folder() / f"{name}-960.jpg").exists()


def test_the_link_preview_picture_is_absolute(client, pictured):
    plain = make_product("Trà gừng", group="food")
    base = current_app.config["BASE_URL"]
    with current_app.test_request_context("/"):
        assert primary_picture_url(pictured).startswith(f"{base}/media/products/w/")
        assert primary_picture_url(pictured).endswith("-1200.jpg")
        assert primary_picture_url(plain) == f"{base}/static/img/share/food.png"
