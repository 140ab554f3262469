"""Loads data/ocop_demo.json: real producers, products, stars and places from the programme's
published news. Prices, stock, certificate numbers, dates and scores are invented (seeded, so
every install gets the same values) and flagged ``is_demo`` so the pages say so."""

from __future__ import annotations

import json
import random
import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from storefront.accounts import services as accounts
from storefront.catalog.certificates import expiry_date
from storefront.catalog.models import Certificate, CertificateStatus, Product, ProductNoticeRule
from storefront.delivery import rules
from storefront.demo import shop_demo
from storefront.extensions import db
from storefront.inventory import services as inventory
from storefront.inventory.models import StockLevel
from storefront.office.models import ProgrammePlan
from storefront.orders.tracking import ensure_default_carriers
from storefront.register import national
from storefront.register.codes import new_product_code
from storefront.register.models import Producer, Region, Showroom
from storefront.traceability.models import BatchDelivery, ProductBatch

DATA_FILE = Path(__file__).parent / "data" / "ocop_demo.json"
# Descriptions and the other texts of each product, notice rules (see its "about").
CONTENT_FILE = Path(__file__).parent / "data" / "product_content.json"
DEMO_ACTOR = "Dữ liệu demo"
# Scores inside each star band, for invented certificate scores.
SCORE_RANGES = {3: (52, 68), 4: (71, 88), 5: (90, 96)}
# A made-up cooperative that shows what revoked, expired and superseded certificates look like,
# so no real producer is shown with a certificate it did not lose.
SAMPLE_PRODUCER_CODE = "HTX-MINHHOA"
STAND_IN_NOTE = (
    "Chủ thể minh hoạ của bản demo: tin của chương trình OCOP nêu các sản phẩm này của huyện mà "
    "không nêu tên chủ thể sản xuất, nên tên này không phải một công ty hay hợp tác xã có thật. "
    "/ A stand-in of the demo: the programme's news lists these products without naming who "
    "makes them, so this is not a real company or cooperative."
)


@dataclass
class DemoAccount:
    role: str
    email: str
    password: str
    note: str


def already_loaded() -> bool:
    return db.session.scalar(select(Product.id).limit(1)) is not None


def load_demo(progress=lambda message: None, today: date | None = None) -> list[DemoAccount]:
    """Load everything in one transaction (the caller commits). Returns the demo accounts."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    rng = random.Random("ocop-demo")
    today = today or date.today()

    regions = _load_regions(data)
    progress(f"{len(regions)} administrative units of the programme")
    national.sync(today, progress=lambda message: progress(f"national units: {message}"))
    progress(f"{rules.load_starting_rates()} delivery fee rules")
    _load_plan(data["programme"])
    progress("the programme plan and its targets")
    producers = _load_producers(data, regions)
    producers[SAMPLE_PRODUCER_CODE] = _sample_producer(regions)
    progress(f"{len(producers)} producers")
    showrooms = _load_showrooms(data, regions)
    shop_demo.load(showrooms)
    progress(f"{len(showrooms)} showrooms, the shop's operator (demo)")
    products = _load_products(data, producers, rng)
    _describe(products, json.loads(CONTENT_FILE.read_text(encoding="utf-8")))
    progress("descriptions and the notices the law asks for")
    products += _sample_products(producers[SAMPLE_PRODUCER_CODE], rng, today)
    progress(f"{len(products)} products with certificates")
    _stock(products, showrooms, rng)
    progress("opening stock received and sent to the showrooms")
    _batches(products, showrooms, today)
    progress("production batches with their labels' codes and deliveries")
    ensure_default_carriers()  # a database emptied by hand keeps its tracking links
    return _accounts(showrooms)


def _load_regions(data) -> dict[str, Region]:
    entries = [data["province"], *data["regions"]]
    regions = {
        e["code"]: Region(
            code=e["code"],
            name=e["name"],
            kind=e["kind"],
            valid_from=_day(e.get("valid_from")),
            valid_to=_day(e.get("valid_to")),
            note=e.get("note"),
        )
        for e in entries
    }
    db.session.add_all(regions.values())
    db.session.flush()
    for e in entries:
        region = regions[e["code"]]
        if e.get("parent"):
            region.parent_id = regions[e["parent"]].id
        if e.get("successor"):
            region.successor_id = regions[e["successor"]].id
    return regions


def _load_plan(entry) -> ProgrammePlan:
    """The province plan the office measures the programme against, with its targets (shares
    are fractions in the data file, per cent in the table). Its number and period are read from
    its title when the data file does not give them apart."""
    targets = entry["targets"]
    low, high = targets["share_producers_modern_channels"]
    number = re.search(r"\d+/[A-ZĐ-]+", entry["plan"])
    years = re.search(r"(\d{4})\s*[–-]\s*(\d{4})", entry["plan"])
    plan = ProgrammePlan(
        number=entry.get("number") or (number[0] if number else entry["plan"][:64]),
        title=entry["plan"],
        period_start=_day(entry.get("period_start")) or date(int(years[1]), 1, 1),
        period_end=_day(entry.get("period_end")) or date(int(years[2]), 12, 31),
        products_3_star_plus=targets["products_3_star_plus"],
        products_5_star=targets["products_5_star"],
        cooperative_share_pct=round(100 * targets["share_producers_cooperative"]),
        sme_share_pct=round(100 * targets["share_producers_sme"]),
        modern_channels_low_pct=round(100 * low),
        modern_channels_high_pct=round(100 * high),
        showrooms_per_district=targets["showrooms_per_district"],
    )
    db.session.add(plan)
    return plan


def _load_producers(data, regions) -> dict[str, Producer]:
    producers = {}
    for e in data["producers"]:
        # A stand-in (the news names the products, not who makes them) is shown as demo.
        stand_in = bool(e.get("attribution_demo"))
        producers[e["code"]] = Producer(
            code=e["code"],
            name=e["name"],
            legal_form=e.get("legal_form"),
            region=regions[e["region"]],
            address=e.get("address"),
            website=e.get("website"),
            description=STAND_IN_NOTE if stand_in else None,
            is_demo=stand_in,
        )
    db.session.add_all(producers.values())
    return producers


def _sample_producer(regions) -> Producer:
    producer = Producer(
        code=SAMPLE_PRODUCER_CODE,
        name="HTX Minh hoạ (dữ liệu demo)",
        legal_form="cooperative",
        region=regions["KT-KP"],
        description=(
            "Hợp tác xã không có thật, chỉ để minh hoạ chứng nhận bị thu hồi, hết hạn và được "
            "thay thế. / A made-up cooperative that shows revoked, expired and superseded "
            "certificates."
        ),
    )
    db.session.add(producer)
    return producer


def _load_showrooms(data, regions) -> list[Showroom]:
    showrooms = [
        Showroom(
            code=e["code"],
            name=e["name"],
            level=e["level"],
            region=regions[e["region"]],
            address=e.get("address_demo"),
            opening_hours=e.get("hours_demo"),
            note=e.get("note"),
            is_demo=True,
        )
        for e in data["showrooms"]
    ]
    db.session.add_all(showrooms)
    return showrooms


def _load_products(data, producers, rng) -> list[Product]:
    products = []
    used_codes: set[str] = set()
    for number, e in enumerate(data["products"], start=1):
        producer = producers[e["producer"]]
        product = Product(
            code=new_product_code(rng, used_codes),
            name=e["name"],
            producer=producer,
            region=producer.region,
            group=e["group"],
            subgroup=e.get("subgroup"),
            unit=e.get("unit") or "sản phẩm",
            price_vnd=int(e["price_vnd_demo"]),
            shipping_weight_grams=plausible_weight(e.get("unit") or ""),
            is_demo=True,
        )
        stars = e.get("stars") or 3  # the source names no stars: the demo shows 3, tagged demo
        issued = date(2025, 7, 15) + timedelta(days=rng.randrange(0, 420))
        certificate = _certify(
            product, stars, e.get("level") or "province", issued, rng, f"{number:03d}"
        )
        certificate.stars_is_demo = e.get("stars") is None
        products.append(product)
    db.session.add_all(products)
    db.session.flush()
    return products


def _describe(products: list[Product], content: dict) -> None:
    """Each product's texts: from the programme's news where it says something, else short
    plain texts written for the demo (shown with the demo tag); and the office's notice rules."""
    defaults = content["defaults"]
    for product in products:
        entry = {**defaults, **content["products"].get(product.name, {})}
        product.subgroup = entry.get("subgroup") or product.subgroup
        product.description = entry.get("description")
        product.ingredients = entry.get("ingredients")
        product.shelf_life = entry.get("shelf_life")
        product.storage = entry.get("storage")
        product.directions = entry.get("directions")
        product.shipping_weight_grams = (
            entry.get("shipping_weight_grams") or product.shipping_weight_grams
        )
        product.net_quantity = _net_quantity(product.unit)
        product.origin = _place(product.region)
        product.content_is_demo = True  # even the news' texts are arranged by the demo
    db.session.add_all(ProductNoticeRule(**rule) for rule in content["notice_rules"])
    db.session.flush()


def _net_quantity(unit: str) -> str | None:
    """'hộp 200g' → '200 g', 'chai 500ml' → '500 ml', 'kg' → '1 kg'."""
    if unit.strip() == "kg":
        return "1 kg"
    found = re.search(r"(\d+)\s*(g|ml|kg|l)\b", unit)
    return f"{found[1]} {found[2]}" if found else None


def _place(region: Region) -> str:
    """The unit and those above it, up to the province: 'Phường Trường Chinh, Thành phố Kon
    Tum, Kon Tum'."""
    names = []
    unit: Region | None = region
    while unit is not None:
        names.append(unit.name)
        unit = unit.parent
    return ", ".join(names)


_AMOUNT = re.compile(r"(\d+)\s*(g|ml)\b")
# Packed weight in grams by the kind of unit, when the unit names no amount.
_PACKED = {"kg": 1100, "chai": 900, "hũ": 650, "lốc": 1200, "hộp": 450, "túi": 550}


def plausible_weight(unit: str) -> int:
    """A packed unit's shipping weight for the demo: what the unit says it holds ("hộp 300g",
    "chai 500ml") plus its packing, else a usual weight for the kind of unit."""
    unit = unit.casefold()
    if match := _AMOUNT.search(unit):
        amount = int(match.group(1))
        packing = 350 if match.group(2) == "ml" or "chai" in unit or "hũ" in unit else 150
        return amount + packing
    return next((grams for word, grams in _PACKED.items() if unit.startswith(word)), 500)


def _sample_products(producer, rng, today: date) -> list[Product]:
    """Three made-up products: one revoked, one expired, one re-evaluated (superseded)."""
    used = set(db.session.scalars(select(Product.code)))

    def sample(name, group, unit, price):
        # Unlisted: they exist to show what /q/ says in each state, not to be sold.
        return Product(
            code=new_product_code(rng, used),
            name=name,
            producer=producer,
            region=producer.region,
            group=group,
            unit=unit,
            price_vnd=price,
            is_demo=True,
            listed=False,
        )

    revoked = sample("Mật ong rừng minh hoạ (đã thu hồi chứng nhận)", "food", "chai 500ml", 240000)
    certificate = _certify(revoked, 3, "province", date(2025, 9, 1), rng, "901")
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_on = date(2026, 3, 10)
    certificate.revoked_reason = (
        "Kiểm tra sau chứng nhận: sản phẩm không còn đạt tiêu chuẩn chất lượng (dữ liệu demo)."
    )

    expired = sample("Trà dây minh hoạ (chứng nhận hết hạn)", "food", "hộp 200g", 90000)
    _certify(expired, 3, "district", date(2021, 11, 2), rng, "902")

    upgraded = sample("Cà phê rang xay minh hoạ (đã đánh giá lại)", "food", "túi 500g", 210000)
    old = _certify(upgraded, 3, "district", date(2023, 5, 20), rng, "903")
    old.status = CertificateStatus.SUPERSEDED  # before the new one: one active per product
    new = _certify(upgraded, 4, "province", date(2025, 10, 6), rng, "904")
    db.session.add_all([revoked, expired, upgraded])
    db.session.flush()
    old.superseded_by_id = new.id
    return [revoked, expired, upgraded]


def _certify(product, stars, level, issued: date, rng, number: str) -> Certificate:
    low, high = SCORE_RANGES[stars]
    certificate = Certificate(
        stars=stars,
        score=rng.randint(low, high),
        level=level,
        decision_number=f"DEMO-{number}/QĐ-UBND",
        issued_on=issued,
        expires_on=expiry_date(issued),
        status=CertificateStatus.ACTIVE,
        is_demo=True,
    )
    product.certificates.append(certificate)
    return certificate


def _stock(products, showrooms, rng) -> None:
    """Invented opening stock: a batch at each producer's warehouse, some sent to showrooms."""
    province_showroom, *district_showrooms = showrooms
    for product in products:
        warehouse = inventory.warehouse_of(product.producer_id)
        inventory.receive(
            product.id,
            warehouse.id,
            rng.randint(8, 60),
            actor=DEMO_ACTOR,
            reason="Tồn kho đầu kỳ (dữ liệu demo)",
        )
        targets = [province_showroom]
        targets += [s for s in district_showrooms if s.region_id == product.region_id]
        for showroom in targets:
            if rng.random() < 0.75:
                location = inventory.showroom_location(showroom.id)
                inventory.transfer(
                    product.id,
                    warehouse.id,
                    location.id,
                    rng.randint(1, 6),
                    actor=DEMO_ACTOR,
                    reason="Gửi bán ký gửi (dữ liệu demo)",
                )


def _batches(products, showrooms, today: date) -> None:
    """Invented batches (dates, units and deliveries are demo data), one per product, delivered to
    the showrooms that hold the product; the sample producer's first product has one past its
    use-by date, to show what a shopper then sees."""
    rng = random.Random("ocop-demo-batches")  # its own: the opening stock stays as it was
    taken: set[str] = set()
    expired_shown = False
    for product in products:
        made = today - timedelta(days=rng.randint(10, 120))
        shelf_life = timedelta(days=rng.choice((180, 365, 730)))
        expired = product.producer.code == SAMPLE_PRODUCER_CODE and not expired_shown
        expired_shown = expired_shown or expired
        expires = today - timedelta(days=5) if expired else made + shelf_life
        batch = ProductBatch(
            product_id=product.id,
            code=new_product_code(rng, taken),
            produced_on=made,
            expires_on=expires,
            quantity=rng.randint(60, 400),
            note="Dữ liệu demo",
            created_by_name=DEMO_ACTOR,
        )
        db.session.add(batch)
        db.session.flush()
        for showroom in showrooms:
            level = db.session.scalar(
                select(StockLevel.quantity).where(
                    StockLevel.product_id == product.id,
                    StockLevel.location_id == inventory.showroom_location(showroom.id).id,
                )
            )
            if level:
                db.session.add(
                    BatchDelivery(
                        batch_id=batch.id,
                        showroom_id=showroom.id,
                        quantity=level,
                        delivered_on=made + timedelta(days=rng.randint(1, 9)),
                        created_by_name=DEMO_ACTOR,
                    )
                )


def _accounts(showrooms) -> list[DemoAccount]:
    wanted = [
        ("office", "office@ocop.demo", None, None, "Văn phòng Điều phối OCOP tỉnh"),
        ("producer", "kora@ocop.demo", "KORA", None, "Kora Group"),
        ("producer", "dgtp@ocop.demo", "DGTP", None, "Đăk Glei TP"),
        ("staff", "staff.kt@ocop.demo", None, showrooms[0].code, showrooms[0].name),
        ("staff", "staff.dg@ocop.demo", None, showrooms[-1].code, showrooms[-1].name),
        ("customer", "khach@ocop.demo", None, None, "Khách hàng"),
    ]
    made = []
    for role, email, producer, showroom, note in wanted:
        password = secrets.token_urlsafe(9)
        accounts.create_user(
            email, role, password, name=note, producer_code=producer, showroom_code=showroom
        )
        made.append(DemoAccount(role, email, password, note))
    return made


def write_accounts_file(instance_path: str, lines: list[str]) -> Path:
    path = Path(instance_path) / "demo-accounts.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
