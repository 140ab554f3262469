"""Synthetic catalogue for benchmarks: many made-up certified products, inserted in bulk.

Clearly not real: every producer is named "… (dữ liệu tổng hợp)", every product code starts
with ``SYN`` and every row is flagged ``is_demo``. The same seed gives the same data. Shared by the
search benchmark (bench/search.py) and the performance work; ``flask seed-synthetic`` loads it.
About 2 % of the products are made of sâm dây Ngọc Linh, like a real province's catalogue.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import func, insert, select

from storefront.catalog.certificates import expiry_date
from storefront.catalog.models import Certificate, Producer, Product, ProductGroup, Region
from storefront.catalog.search_document import place_names, search_fields
from storefront.extensions import db

MARK = "dữ liệu tổng hợp"
CODE_PREFIX = "SYN"
CHUNK = 5_000

KINDS = {
    "food": ["Trà", "Mứt", "Bột", "Măng khô", "Mật ong", "Cà phê", "Gạo", "Tiêu", "Hạt điều"],
    "drinks": ["Rượu", "Nước ép", "Rượu cần", "Nước uống"],
    "herbal": ["Cao", "Tinh dầu", "Viên", "Trà túi lọc", "Cao lỏng"],
    "handicrafts": ["Khăn thổ cẩm", "Giỏ mây", "Túi thổ cẩm", "Tượng gỗ"],
    "plants": ["Lan", "Cây cảnh", "Bonsai"],
    "tourism": ["Homestay", "Tour làng", "Trải nghiệm"],
}
INGREDIENTS = [
    "gừng",
    "nghệ",
    "chanh dây",
    "mắc ca",
    "hồng đảng sâm",
    "đinh lăng",
    "linh chi",
    "quế",
    "sả",
    "ớt",
    "bí đỏ",
    "dứa",
    "dưa hấu",
    "cam",
    "bưởi",
    "khoai lang",
    "sắn dây",
    "mít",
    "xoài",
    "chuối",
    "ba kích",
    "atiso",
    "thổ cẩm",
    "mây tre",
    "rừng",
    "núi",
]
PLACES = [
    "Đăk Glei",
    "Đăk Hà",
    "Đăk Tô",
    "Ngọc Hồi",
    "Tu Mơ Rông",
    "Sa Thầy",
    "Kon Rẫy",
    "Kon Plông",
    "Ia H'Drai",
    "Măng Đen",
    "Konkoitu",
    "Kon Tum",
]
SAM_DAY_SHARE = 0.02


def load_synthetic(
    products: int, progress: Callable[[str], None] = lambda message: None, seed: int = 8
) -> int:
    """Add ``products`` synthetic certified products (and producers to make them) in bulk.
    The caller commits. Returns how many products were added."""
    rng = random.Random(seed)
    today = date.today()
    province, districts = _regions()
    producers = _producers(max(1, products // 25), districts, rng)
    progress(f"{len(producers)} synthetic producers in {len(districts)} districts")
    start = db.session.scalar(
        select(func.count()).select_from(Product).where(Product.code.like(f"{CODE_PREFIX}%"))
    )
    places = {d.id: place_names(d) for d in districts}
    added = 0
    while added < products:
        size = min(CHUNK, products - added)
        rows = [_product_row(start + added + i, rng, producers, places) for i in range(size)]
        db.session.execute(insert(Product), rows)
        codes = [row["code"] for row in rows]
        ids = db.session.scalars(select(Product.id).where(Product.code.in_(codes))).all()
        db.session.execute(insert(Certificate), [_certificate_row(pid, rng, today) for pid in ids])
        added += size
        progress(f"  {added:>7} / {products} products")
    return added


def _regions() -> tuple[Region, list[Region]]:
    province = db.session.scalar(select(Region).where(Region.code == "SYN"))
    if province is None:
        province = Region(code="SYN", name=f"Tỉnh Tổng Hợp ({MARK})", kind="province")
        db.session.add(province)
        db.session.flush()
        for n, place in enumerate(PLACES):
            db.session.add(
                Region(
                    code=f"SYN-{n:02d}",
                    name=f"Huyện {place}",
                    kind="district",
                    parent_id=province.id,
                )
            )
        db.session.flush()
    districts = list(db.session.scalars(select(Region).where(Region.parent_id == province.id)))
    return province, districts


def _producers(count: int, districts: list[Region], rng: random.Random) -> list[Producer]:
    existing = list(
        db.session.scalars(select(Producer).where(Producer.code.like(f"{CODE_PREFIX}%")))
    )
    forms = ["cooperative", "enterprise", "household", "cooperative_group", "farm"]
    for n in range(len(existing), count):
        district = rng.choice(districts)
        place = district.name.removeprefix("Huyện ")
        existing.append(
            Producer(
                code=f"{CODE_PREFIX}-P{n:05d}",
                name=f"HTX {rng.choice(INGREDIENTS).title()} {place} {n} ({MARK})",
                legal_form=rng.choice(forms),
                region=district,
            )
        )
    db.session.add_all(existing)
    db.session.flush()
    return existing


def _product_row(n: int, rng: random.Random, producers: list[Producer], places) -> dict:
    producer = rng.choice(producers)
    if rng.random() < SAM_DAY_SHARE:
        group = rng.choice(["food", "herbal", "drinks"])
        name = f"{rng.choice(['Sâm dây Ngọc Linh', 'Mứt sâm dây', 'Rượu sâm dây', 'Cao sâm dây'])}"
        name += f" {rng.choice(['củ tươi', 'củ khô', 'ngâm mật ong', 'hộp quà', 'loại 1'])}"
    else:
        group = rng.choice(list(ProductGroup)).value
        name = f"{rng.choice(KINDS[group])} {rng.choice(INGREDIENTS)} {rng.choice(PLACES)}"
    description = f"Sản phẩm {MARK} để đo hiệu năng. Synthetic product for benchmarks."
    search_name, search_text = search_fields(
        name, description, producer.name, group, places[producer.region_id]
    )
    return {
        "code": f"{CODE_PREFIX}{n:07d}",
        "name": name,
        "producer_id": producer.id,
        "region_id": producer.region_id,
        "group": group,
        "unit": rng.choice(["hộp", "chai 500ml", "túi 200g", "lọ", "gói"]),
        "price_vnd": rng.randrange(20, 2000) * 1000,
        "description": description,
        "search_name": search_name,
        "search_text": search_text,
        "is_demo": True,
    }


def _certificate_row(product_id: int, rng: random.Random, today: date) -> dict:
    stars = rng.choices([3, 4, 5], weights=[70, 27, 3])[0]
    issued = today - timedelta(days=rng.randrange(0, 1000))
    return {
        "product_id": product_id,
        "stars": stars,
        "score": {3: 60, 4: 80, 5: 92}[stars],
        "level": "national" if stars == 5 else "province",
        "decision_number": f"{CODE_PREFIX}-{product_id}/QĐ-UBND",
        "issued_on": issued,
        "expires_on": expiry_date(issued),
        "status": "active",
        "is_demo": True,
    }
