"""Product pictures: at most eight, even when uploaded all at once; nothing of the upload kept but
its pixels; a large photo decoded at the size we keep, not at its own."""

from __future__ import annotations

import io
import threading
import time
from collections import Counter

import pytest
from PIL import Image
from sqlalchemy import select

from storefront.accounts.models import User
from storefront.catalog import images
from storefront.catalog.models import MAX_IMAGES_PER_PRODUCT, ProductImage
from storefront.extensions import db
from storefront.producers import pictures as portal
from tests.factories import make_producer, make_product, make_user
from tests.inventory.test_concurrency import race


def _jpeg(size=(800, 600), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, "JPEG", **save)
    return out.getvalue()


def _stored(name: str, size_name: str) -> bytes:
    return (images.upload_folder() / f"{name}-{size_name}.jpg").read_bytes()


@pytest.fixture
def owner(app_ctx):
    producer = make_producer("KORA")
    product = make_product(producer=producer)
    user = make_user("kora@example.vn", role="producer", producer_code="KORA")
    return user, product


def test_a_jpeg_comment_and_its_metadata_do_not_survive(app_ctx):
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # camera maker
    exif[0x9286] = "nhà ở 12 Lê Lợi"  # user comment
    data = _jpeg(comment=b"GPS 14.35N 108.00E, call 0912345678", exif=exif.tobytes())
    assert Image.open(io.BytesIO(data)).info["comment"]  # the upload has them

    name = images.store_product_image(data, "T1")

    for size_name in images.SIZES:
        stored = _stored(name, size_name)
        picture = Image.open(io.BytesIO(stored))
        assert "comment" not in picture.info
        assert "exif" not in picture.info
        assert not picture.getexif()
        assert b"0912345678" not in stored
        assert b"SecretCam" not in stored


def test_a_large_jpeg_is_decoded_at_the_size_we_keep():
    decoded = images.decode(_jpeg((4800, 4800), quality=30))
    assert decoded.size == (1200, 1200)  # a quarter each way: 1/16 of the memory


def test_a_large_picture_that_must_be_decoded_whole_is_refused(app_ctx):
    out = io.BytesIO()
    Image.new("L", (4000, 3100)).save(out, "PNG")  # 12.4 million pixels, a small file
    with pytest.raises(images.ImageRejected):
        images.store_product_image(out.getvalue(), "T1")


def test_eight_pictures_at_most_when_twelve_are_uploaded_at_once(app, owner):
    """(Twelve: the connection pool holds 15, and the test's own thread has one.)"""
    user, product = owner
    user_id, product_id = user.id, product.id
    db.session.commit()
    data = _jpeg()

    outcomes = Counter()
    refusals: list[str] = []

    def upload():
        try:
            portal.add_picture(db.session.get(User, user_id), product_id, data)
        except portal.PortalError as refused:
            refusals.append(str(refused))
            db.session.rollback()
            outcomes["refused"] += 1
            return
        outcomes["stored"] += 1

    race(app, 12, upload)
    db.session.expire_all()
    positions = list(
        db.session.scalars(
            select(ProductImage.position).where(ProductImage.product_id == product_id)
        )
    )
    assert sorted(positions) == list(range(MAX_IMAGES_PER_PRODUCT))
    assert outcomes == Counter(stored=8, refused=4)
    assert all("at most 8" in message or "tối đa 8" in message for message in refusals), refusals
    # The refused uploads' files are gone again: two sizes of each stored picture are left.
    prefix = product.code.lower() + "-"
    files = [f for f in images.upload_folder().iterdir() if f.name.startswith(prefix)]
    assert len(files) == 2 * MAX_IMAGES_PER_PRODUCT


def test_a_removed_picture_leaves_no_gap_and_a_new_one_comes_last(app_ctx, owner):
    user, product = owner
    added = [portal.add_picture(user, product.id, _jpeg(), alt=f"{n}") for n in range(3)]
    db.session.commit()
    portal.remove_picture(user, product.id, added[0].id)
    db.session.commit()
    portal.add_picture(user, product.id, _jpeg(), alt="new")
    db.session.commit()
    db.session.expire_all()
    shown = db.session.scalars(
        select(ProductImage)
        .where(ProductImage.product_id == product.id)
        .order_by(ProductImage.position)
    )
    assert [(i.position, i.alt) for i in shown] == [(0, "1"), (1, "2"), (2, "new")]


def test_at_most_two_pictures_are_worked_on_at_once(app, monkeypatch):
    lock, working, most = threading.Lock(), [0], [0]
    decode = images.decode

    def slow_decode(data, *args):
        with lock:
            working[0] += 1
            most[0] = max(most[0], working[0])
        time.sleep(0.05)
        try:
            return decode(data, *args)
        finally:
            with lock:
                working[0] -= 1

    monkeypatch.setattr(images, "decode", slow_decode)

    def upload():
        with app.app_context():
            images.store_product_image(_jpeg((200, 200)), "T1")

    threads = [threading.Thread(target=upload) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert most[0] == images.IMAGE_WORKERS == 2
