"""Synthetic catalogue for benchmarks: many made-up certified products, inserted in bulk.

Clearly not real: every producer and showroom is named "… (dữ liệu tổng hợp)", every product code
starts with ``SYN`` and every row is flagged ``is_demo``. The same seed gives the same data. Shared
by the benchmarks (bench/) and the performance work; ``flask seed-synthetic`` loads it.
About 2 % of the products are made of sâm dây Ngọc Linh, like a real province's catalogue. Most
products have stock in their producer's warehouse, a third are also on a showroom's shelf (each
stock level with its opening ledger line), and one in six was certified before: its earlier
certificate is superseded.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import func, insert, select, text

from storefront.catalog import listing_model
from storefront.catalog.certificates import expiry_date
from storefront.catalog.models import Certificate, CertificateStatus, Product, ProductGroup
from storefront.catalog.search_document import place_names, search_fields
from storefront.extensions import db
from storefront.inventory.models import (
    LocationKind,
    MovementKind,
    StockLevel,
    StockLocation,
    StockMovement,
)
from storefront.register.models import Producer, Region, Showroom

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
IN_WAREHOUSE_SHARE = 0.85
ON_SHELF_SHARE = 0.33
RECERTIFIED_SHARE = 0.17
SHOWROOMS = 6


def load_synthetic(
    products: int, progress: Callable[[str], None] = lambda message: None, seed: int = 8
) -> int:
    """Add ``products`` synthetic certified products (and producers to make them) in bulk.
    The caller commits. Returns how many products were added."""
    rng = random.Random(seed)
    today = date.today()
    province, districts = _regions()
    producers = _producers(max(1, products // 25), districts, rng)
    warehouses = _warehouses(producers)
    shelves = _showroom_locations(districts)
    progress(
        f"{len(producers)} synthetic producers in {len(districts)} districts, "
        f"{len(shelves)} showrooms"
    )
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
        added_rows = db.session.execute(
            select(Product.id, Product.producer_id).where(Product.code.in_(codes))
        ).all()
        certificates = []
        for product_id, _producer in added_rows:
            certificates.extend(_certificate_rows(product_id, rng, today))
        db.session.execute(insert(Certificate), certificates)
        levels = _stock_rows(added_rows, warehouses, shelves, rng)
        if levels:
            db.session.execute(insert(StockLevel), levels)
            db.session.execute(insert(StockMovement), [_opening_line(level) for level in levels])
        added += size
        progress(f"  {added:>7} / {products} products")
    # Bulk inserts pass by the read model's listeners. Statistics first: PostgreSQL would plan
    # the rebuild for the empty tables it last saw (a scan of the stock for every product).
    db.session.execute(text("ANALYZE"))
    listing_model.rebuild(db.session.connection())
    return added


def refresh_statistics() -> None:
    """After a bulk load the query planner's statistics describe the tables as they were; until
    autovacuum comes by, PostgreSQL plans the catalogue's queries as if they were empty (seen: the
    search at 100,000 products 370 ms instead of 30), and the words index of the search holds
    the new rows in its pending list, which every search reads through (seen: 7.4 ms of the
    search's 17 instead of 5). Do now what autovacuum would: VACUUM ANALYZE on PostgreSQL,
    ANALYZE on SQLite (which also helps)."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        postgresql = connection.dialect.name == "postgresql"
        connection.exec_driver_sql("VACUUM ANALYZE" if postgresql else "ANALYZE")


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


def _warehouses(producers: list[Producer]) -> dict[int, int]:
    """Each producer's warehouse location id, made where missing."""
    have = dict(
        db.session.execute(
            select(StockLocation.producer_id, StockLocation.id).where(
                StockLocation.producer_id.in_([p.id for p in producers])
            )
        ).all()
    )
    missing = [
        {"kind": LocationKind.WAREHOUSE, "producer_id": p.id} for p in producers if p.id not in have
    ]
    if missing:
        db.session.execute(insert(StockLocation), missing)
        return _warehouses(producers)
    return have


def _showroom_locations(districts: list[Region]) -> list[int]:
    """Stock location ids of the synthetic showrooms, made on the first run."""
    showrooms = list(
        db.session.scalars(select(Showroom).where(Showroom.code.like(f"{CODE_PREFIX}-S%")))
    )
    if not showrooms:
        for n in range(SHOWROOMS):
            district = districts[n % len(districts)]
            showrooms.append(
                Showroom(
                    code=f"{CODE_PREFIX}-S{n:02d}",
                    name=f"Điểm bán OCOP {district.name.removeprefix('Huyện ')} ({MARK})",
                    level="province" if n == 0 else "district",
                    region=district,
                    is_demo=True,
                )
            )
        db.session.add_all(showrooms)
        db.session.flush()
        db.session.execute(
            insert(StockLocation),
            [{"kind": LocationKind.SHOWROOM, "showroom_id": s.id} for s in showrooms],
        )
    return list(
        db.session.scalars(
            select(StockLocation.id).where(StockLocation.showroom_id.in_([s.id for s in showrooms]))
        )
    )


def _stock_rows(products, warehouses, shelves, rng: random.Random) -> list[dict]:
    rows = []
    for product_id, producer_id in products:
        if rng.random() < IN_WAREHOUSE_SHARE:
            rows.append(_level(product_id, warehouses[producer_id], rng.randrange(1, 400)))
        if shelves and rng.random() < ON_SHELF_SHARE:
            rows.append(_level(product_id, rng.choice(shelves), rng.randrange(1, 40)))
    return rows


def _level(product_id: int, location_id: int, quantity: int) -> dict:
    return {"product_id": product_id, "location_id": location_id, "quantity": quantity}


def _opening_line(level: dict) -> dict:
    return {
        "product_id": level["product_id"],
        "location_id": level["location_id"],
        "kind": MovementKind.RECEIPT,
        "delta": level["quantity"],
        "reason": f"Tồn đầu kỳ ({MARK})",
        "actor_name": MARK,
    }


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


def _certificate_rows(product_id: int, rng: random.Random, today: date) -> list[dict]:
    """The product's active certificate, and for some an earlier one it superseded."""
    stars = rng.choices([3, 4, 5], weights=[70, 27, 3])[0]
    issued = today - timedelta(days=rng.randrange(0, 1000))
    rows = [_certificate(product_id, stars, issued, CertificateStatus.ACTIVE, "")]
    if rng.random() < RECERTIFIED_SHARE:
        earlier = issued - timedelta(days=rng.randrange(200, 1000))
        rows.append(_certificate(product_id, 3, earlier, CertificateStatus.SUPERSEDED, "a"))
    return rows


def _certificate(product_id: int, stars: int, issued: date, status: str, suffix: str) -> dict:
    return {
        "product_id": product_id,
        "stars": stars,
        "score": {3: 60, 4: 80, 5: 92}[stars],
        "level": "national" if stars == 5 else "province",
        "decision_number": f"{CODE_PREFIX}-{product_id}{suffix}/QĐ-UBND",
        "issued_on": issued,
        "expires_on": expiry_date(issued),
        "status": status,
        "is_demo": True,
    }
