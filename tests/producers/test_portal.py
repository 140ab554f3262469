import csv
import io
import re
import struct
import threading
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from storefront.catalog.images import ImageRejected, store_product_image
from storefront.catalog.models import PriceChange, Product
from storefront.extensions import db
from storefront.inventory import services as stock
from storefront.inventory.models import StockMovement, StockTransfer
from tests.factories import make_producer, make_product, make_showroom, make_user


@pytest.fixture
def kora(app_ctx):
    producer = make_producer("KORA", "Kora Group")
    user = make_user("kora@example.vn", role="producer", producer_code="KORA", name="Chị Hoa")
    product = make_product("Hồng đảng sâm", producer=producer, price_vnd=450000, stock=20)
    return user, producer, product


@pytest.fixture
def other(app_ctx):
    producer = make_producer("VINNATE", "Vinnate")
    return make_product("Bột sâm Vinnate", producer=producer, stock=5)


def _warehouse(product):
    return stock.warehouse_of(product.producer_id).id


def _levels(product):
    db.session.expire_all()
    return stock.available(product.id, _warehouse(product)), stock.ledger_sum(
        product.id, _warehouse(product)
    )


def test_dashboard_lists_own_products_with_stock_and_expiring_certificates(
    client, auth, kora, other
):
    user, _producer, product = kora
    auth.login(user)
    page = client.get("/producer/").text
    assert "Hồng đảng sâm" in page
    assert "450.000" in page
    assert "Bột sâm Vinnate" not in page


def test_price_change_is_kept_in_the_history_and_shown_in_the_shop(client, auth, kora):
    user, _producer, product = kora
    auth.login(user)
    response = client.post(
        f"/producer/products/{product.code}/price",
        data={"price-price": "480.000", "price-version": product.version},
    )
    assert response.status_code == 302
    assert "480.000\u00a0₫" in client.get(f"/san-pham/{product.code}").text
    change = db.session.scalar(select(PriceChange))
    assert (change.old_price_vnd, change.new_price_vnd, change.actor_name) == (
        450000,
        480000,
        "Chị Hoa",
    )
    assert "Chị Hoa" in client.get(f"/producer/products/{product.code}").text


def test_second_save_of_the_same_product_is_refused_with_the_new_value(client, auth, kora):
    user, _producer, product = kora
    auth.login(user)
    seen_version = product.version
    first = client.post(
        f"/producer/products/{product.code}/price",
        data={"price-price": "470000", "price-version": seen_version},
    )
    assert first.status_code == 302
    second = client.post(
        f"/producer/products/{product.code}/price",
        data={"price-price": "400000", "price-version": seen_version},
    )
    assert second.status_code == 409
    assert "470.000" in second.text or 'value="470000"' in second.text
    db.session.expire_all()
    assert db.session.get(Product, product.id).price_vnd == 470000


def test_concurrent_saves_with_the_same_version_let_only_one_win(app, kora):
    from storefront.catalog.pricing import ChangedMeanwhile
    from storefront.producers import products as services

    user, _producer, product = kora
    version, product_id, user_id = product.version, product.id, user.id
    barrier = threading.Barrier(2)
    outcomes = []

    def save(price):
        with app.app_context():
            from storefront.accounts.models import User

            actor = db.session.get(User, user_id)
            db.session.get(Product, product_id)  # read before the other commits
            barrier.wait()
            try:
                services.change_price(actor, product_id, price, version)
                db.session.commit()
                outcomes.append("saved")
            except ChangedMeanwhile:
                outcomes.append("refused")
            except Exception as error:  # noqa: BLE001 - a lock timeout would be a finding
                outcomes.append(f"error: {error}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=save, args=(p,)) for p in (500000, 510000)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "saved"], outcomes
    db.session.expire_all()
    assert db.session.scalar(select(func.count(PriceChange.id))) == 1


@pytest.mark.parametrize("price", ["0", "-5", "12.5", "abc", "1000000001", "", "1e9", "120,000.50"])
def test_bad_prices_are_refused_with_a_message_and_change_nothing(client, auth, kora, price):
    user, _producer, product = kora
    auth.login(user)
    response = client.post(
        f"/producer/products/{product.code}/price",
        data={"price-price": price, "price-version": product.version},
    )
    assert response.status_code == 400
    assert 'class="errors"' in response.text
    db.session.expire_all()
    assert db.session.get(Product, product.id).price_vnd == 450000
    assert db.session.scalar(select(func.count(PriceChange.id))) == 0


def test_another_producers_product_is_not_found(client, auth, kora, other):
    user, *_ = kora
    auth.login(user)
    assert client.get(f"/producer/products/{other.code}").status_code == 404
    response = client.post(
        f"/producer/products/{other.code}/price",
        data={"price-price": "1000", "price-version": other.version},
    )
    assert response.status_code == 404
    assert (
        client.post(
            "/producer/stock/receive", data={"product": other.id, "quantity": "5"}
        ).status_code
        == 404
    )
    before = _levels(other)
    response = client.post("/producer/stock", data={f"count-{other.id}": "99", "reason": "x"})
    assert response.status_code == 400 or response.status_code == 404
    assert _levels(other) == before


def test_quick_update_saves_all_counts_in_one_transaction(client, auth, kora):
    user, producer, product = kora
    second = make_product("Nấm linh chi", producer=producer, stock=10)
    auth.login(user)
    response = client.post(
        "/producer/stock",
        data={
            f"count-{product.id}": "18",
            f"count-{second.id}": "13",
            "reason": "Kiểm kê cuối tuần",
        },
    )
    assert response.status_code == 302
    assert _levels(product) == (18, 18)
    assert _levels(second) == (13, 13)
    rows = db.session.scalars(select(StockMovement).filter_by(kind="adjustment")).all()
    assert {(r.delta, r.reason, r.actor_name) for r in rows} == {
        (-2, "Kiểm kê cuối tuần", "Chị Hoa"),
        (3, "Kiểm kê cuối tuần", "Chị Hoa"),
    }


def test_quick_update_with_one_bad_row_changes_nothing(client, auth, kora):
    user, producer, product = kora
    second = make_product("Nấm linh chi", producer=producer, stock=10)
    auth.login(user)
    response = client.post(
        "/producer/stock",
        data={f"count-{product.id}": "18", f"count-{second.id}": "-1", "reason": "x"},
    )
    assert response.status_code == 400
    assert _levels(product) == (20, 20)
    assert _levels(second) == (10, 10)


def test_a_correction_needs_a_reason(client, auth, kora):
    user, _producer, product = kora
    auth.login(user)
    response = client.post("/producer/stock", data={f"count-{product.id}": "15", "reason": ""})
    assert response.status_code == 400
    assert _levels(product) == (20, 20)


def test_a_count_below_what_is_reserved_is_refused(client, auth, kora):
    user, _producer, product = kora
    stock.reserve(product.id, _warehouse(product), 8)
    db.session.commit()
    auth.login(user)
    response = client.post("/producer/stock", data={f"count-{product.id}": "5", "reason": "vỡ"})
    assert response.status_code == 400
    assert "8" in response.text
    db.session.expire_all()
    assert stock.ledger_sum(product.id, _warehouse(product)) == 20


def test_receive_a_batch(client, auth, kora):
    user, _producer, product = kora
    auth.login(user)
    client.post(
        "/producer/stock/receive",
        data={"product": product.id, "quantity": "12", "note": "Lô 11/2026"},
    )
    assert _levels(product) == (32, 32)
    for bad in ("0", "-3", "abc", "99999999"):
        client.post("/producer/stock/receive", data={"product": product.id, "quantity": bad})
    assert _levels(product) == (32, 32)


def test_ledger_filters_and_exports_csv(client, auth, kora):
    user, producer, product = kora
    make_product("Nấm linh chi", producer=producer, stock=10)
    auth.login(user)
    client.post("/producer/stock", data={f"count-{product.id}": "19", "reason": "vỡ 1 chai"})
    page = client.get(f"/producer/ledger?product={product.id}&kind=adjustment").text
    table = page[page.index("<tbody>") :]
    assert "vỡ 1 chai" in table
    assert "Nấm linh chi" not in table
    assert "receipt" not in table
    response = client.get("/producer/ledger?format=csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][0].startswith("time")
    assert any(row[4] == "-1" and row[5] == "vỡ 1 chai" and row[7] == "Chị Hoa" for row in rows)


def test_transfer_to_a_showroom_and_cancel_returns_the_stock(client, auth, kora):
    user, _producer, product = kora
    make_showroom("SR-KT", "Điểm bán tỉnh")
    auth.login(user)
    response = client.post(
        "/producer/transfers",
        data={"showroom": "SR-KT", f"send-{product.id}": "6", "note": "xe chiều"},
    )
    assert response.status_code == 302
    assert _levels(product) == (14, 14)
    transfer = db.session.scalar(select(StockTransfer))
    assert transfer.status == "in_transit"
    assert client.post(f"/producer/transfers/{transfer.id}/cancel").status_code == 302
    assert _levels(product) == (20, 20)
    client.post(f"/producer/transfers/{transfer.id}/cancel")  # twice: nothing more returns
    assert _levels(product) == (20, 20)


def test_a_transfer_of_more_than_available_is_refused(client, auth, kora):
    user, _producer, product = kora
    make_showroom("SR-KT")
    auth.login(user)
    response = client.post(
        "/producer/transfers", data={"showroom": "SR-KT", f"send-{product.id}": "21"}
    )
    assert response.status_code == 400
    assert "Hồng đảng sâm" in response.text
    assert _levels(product) == (20, 20)
    assert db.session.scalar(select(func.count(StockTransfer.id))) == 0


def _picture(fmt="JPEG", size=(1600, 1200), exif=True) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    out = io.BytesIO()
    kwargs = {}
    if exif and fmt == "JPEG":
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        kwargs["exif"] = data.tobytes()
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def test_uploaded_picture_is_reencoded_thumbnailed_and_stripped(client, auth, kora):
    user, _producer, product = kora
    auth.login(user)
    response = client.post(
        f"/producer/products/{product.code}/pictures",
        data={"picture-picture": (io.BytesIO(_picture()), "anh.jpg"), "picture-alt": "Chai sâm"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = client.get(f"/san-pham/{product.code}").text
    # The picture a tap opens: 1200 px, made from the cleaned upload.
    large = re.search(r'data-zoom="(/media/products/w/[^"]+-1200\.jpg)"', page).group(1)
    with client.get(large) as served:
        data = served.data
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert max(image.size) == 1200
    assert b"SecretCam" not in data
    assert not image.getexif()
    with client.get(large.replace("/w/", "/").replace("-1200", "-thumb")) as thumb:
        assert thumb.status_code == 200
        assert max(Image.open(io.BytesIO(thumb.data)).size) == 400


@pytest.mark.parametrize(
    ("payload", "name"),
    [
        (b"%PDF-1.4 not a picture", "anh.jpg"),
        (b"GIF89a" + b"\0" * 50, "anh.gif"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "anh.png"),
    ],
)
def test_uploads_that_are_not_pictures_are_refused(client, auth, kora, payload, name):
    user, _producer, product = kora
    auth.login(user)
    response = client.post(
        f"/producer/products/{product.code}/pictures",
        data={"picture-picture": (io.BytesIO(payload), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert 'class="errors"' in response.text
    db.session.expire_all()
    assert db.session.get(Product, product.id).images == []


def _png_claiming(width: int, height: int) -> bytes:
    """A valid, tiny PNG whose header claims width × height pixels (a decompression bomb)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        checksum = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + checksum

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 1000)  # far fewer than claimed; never decoded
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


@pytest.mark.parametrize("side", [50_000, 7_000])  # past Pillow's own refusal, and below it
def test_a_decompression_bomb_is_refused_by_its_header(client, auth, kora, side):
    user, _producer, product = kora
    bomb = _png_claiming(side, side)
    assert len(bomb) < 200
    auth.login(user)
    started = time.monotonic()
    response = client.post(
        f"/producer/products/{product.code}/pictures",
        data={"picture-picture": (io.BytesIO(bomb), "anh.png")},
        content_type="multipart/form-data",
    )
    assert time.monotonic() - started < 5
    assert response.status_code == 400
    assert "Ảnh có quá nhiều điểm ảnh." in response.text  # "The picture has too many pixels."
    db.session.expire_all()
    assert db.session.get(Product, product.id).images == []


def test_a_picture_over_the_size_limit_is_refused(client, auth, kora, app, monkeypatch):
    user, _producer, product = kora
    monkeypatch.setitem(app.config, "MAX_IMAGE_BYTES", 2**20)
    uploads = Path(app.config["UPLOAD_DIR"])
    files_before = sorted(uploads.rglob("*"))
    picture = _picture() + b"\0" * 2**20  # a real JPEG, one MB too long
    auth.login(user)
    # Encoded here: werkzeug's test client would spool a body this size to a file it leaves open.
    boundary, body = encode_multipart(
        {"picture-picture": FileStorage(io.BytesIO(picture), "anh.jpg", content_type="image/jpeg")}
    )
    response = client.post(
        f"/producer/products/{product.code}/pictures",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 400
    assert "Ảnh lớn hơn 1 MB." in response.text  # "The picture is larger than 1 MB."
    db.session.expire_all()
    assert db.session.get(Product, product.id).images == []
    assert sorted(uploads.rglob("*")) == files_before


def test_the_size_limit_is_said_in_megabytes(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_IMAGE_BYTES", 2**20)
    with app.test_request_context(), pytest.raises(ImageRejected, match="Ảnh lớn hơn 1 MB"):
        store_product_image(b"\xff" * (2**20 + 1), "T1")


def test_a_request_over_the_body_limit_gets_a_clear_413(client, auth, kora, app, monkeypatch):
    user, _producer, product = kora
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 10_000)
    auth.login(user)
    response = client.post(
        f"/producer/products/{product.code}/pictures",
        data={"picture-picture": (io.BytesIO(b"x" * 20_000), "anh.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "site-header" in response.text


def test_proposed_product_waits_for_the_office_and_is_not_listed(client, auth, kora):
    user, *_ = kora
    auth.login(user)
    response = client.post(
        "/producer/proposals/new",
        data={"name": "Trà hoa vàng Kora", "group": "food", "unit": "hộp 100g", "price": "150000"},
    )
    assert response.status_code == 302
    product = db.session.scalar(select(Product).filter_by(name="Trà hoa vàng Kora"))
    assert product.review_status == "pending"
    assert not product.listed
    client.get("/producer/")  # shows (and so clears) the confirmation message
    assert "Trà hoa vàng Kora" not in client.get("/san-pham").text
    assert client.get(f"/san-pham/{product.code}").status_code == 404
    assert "Trà hoa vàng Kora" in client.get("/producer/").text


def test_producer_cannot_change_stars_or_group(client, auth, kora):
    user, _producer, product = kora
    auth.login(user)
    client.post(
        f"/producer/products/{product.code}/details",
        data={
            "details-unit": "chai 500ml",
            "details-description": "Mới",
            "details-version": product.version,
            "group": "drinks",
            "stars": "5",
        },
    )
    db.session.expire_all()
    fresh = db.session.get(Product, product.id)
    assert (fresh.unit, fresh.group, fresh.certificates[0].stars) == ("chai 500ml", "food", 4)


def test_portal_is_for_producers_only(client, auth, app_ctx):
    assert client.get("/producer/").status_code == 302
    customer = make_user("khach@example.vn")
    auth.login(customer)
    assert client.get("/producer/").status_code == 403


def test_transfers_page_title_is_only_its_name_and_its_scripts_load_once(client, auth, kora):
    user, *_ = kora
    auth.login(user)
    page = client.get("/producer/transfers").text
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "script" not in title.lower()
    assert title.startswith("Chuyển hàng · ")
    assert page.count("js/stepper.js") == 1
    assert page.count("js/confirm.js") == 1
