"""A page speaks one language: an English page shows no Vietnamese text of the shop's own (data
such as names, places and reasons excepted), and a Vietnamese page no English one. Checked both
ways against the catalogue: every Vietnamese translation is looked for on English pages and
every English message on Vietnamese pages; and an English page's words with Vietnamese letters
must each come from the data or from the short list of proper names below.

When this fails it names the page, the language and the text found, and says where to fix it
(a message missing from the catalogue, a text written in a template without `_()`, or a
translation left in English)."""

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import refresh
from sqlalchemy import String, Text, select

from storefront import clock
from storefront.extensions import db
from storefront.office import certificates as certification
from storefront.office.certificates import Decision
from tests.factories import make_certificate, make_product, make_user

ROOT = Path(__file__).resolve().parent.parent
# Proper names an English page may write in Vietnamese: the province, the programme's own name,
# its decisions, the currency.
PROPER_NAMES = {"quảng", "ngãi", "đồng", "qđ", "mỗi", "xã", "một", "sản", "phẩm", "tiếng", "việt"}
VIETNAMESE_LETTER = re.compile(
    r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]"
)
MIN_WORDS = 3  # shorter messages ("Sao", "Giá") may also be data; three words are the shop's


def _catalogue() -> list[tuple[str, str]]:
    """(English, Vietnamese) pairs of whole messages with no placeholders, that differ."""
    with (ROOT / "storefront/translations/vi/LC_MESSAGES/messages.po").open("rb") as po:
        catalogue = read_po(po, locale="vi")
    pairs = []
    for message in catalogue:
        if not message.id or not isinstance(message.id, str) or "%" in message.id:
            continue
        if message.string and message.string != message.id:
            pairs.append((message.id, message.string))
    return pairs


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(
        r"<(?:br|p|div|li|td|th|tr|h\d|option|dt|dd|section|nav|label)\b[^>]*>", "\n", html
    )
    text = re.sub(r"<[^>]+>", " ", html)
    for entity, char in (
        ("&amp;", "&"),
        ("&#39;", "'"),
        ("&quot;", '"'),
        ("&lt;", "<"),
        ("&gt;", ">"),
    ):
        text = text.replace(entity, char)
    return re.sub(r"[ \t]+", " ", text)


def _data_words() -> set[str]:
    """Every word stored in a text column: names, places, reasons… are data, in any language."""
    words: set[str] = set()
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text)]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)):
            for value in row:
                if value:
                    words.update(w.lower() for w in re.findall(r"\w+", str(value)))
    return words


@pytest.fixture
def pages(client, auth, app_ctx):
    """The shop's main pages, public and the office's, over a small register."""
    product = make_product("Sâm dây Ngọc Linh", stars=None, stock=5)
    make_certificate(product, stars=3, issued_on=date(2024, 11, 5))
    officer = make_user("office@example.vn", role="office", name="Chị Lan")
    certification.issue_certificate(
        officer,
        product.code,
        Decision("412/QĐ-UBND", "province", "2025-09-10", 78, 4),
        clock.today(),
    )
    revoked = make_product("Trà dây", stars=None)
    make_certificate(
        revoked, status="revoked", revoked_on=date(2025, 1, 2), revoked_reason="Làm giả nhãn"
    )
    db.session.commit()
    public = [
        "/",
        "/san-pham",
        f"/san-pham/{product.code}",
        f"/chu-the/{product.producer.code}",
        f"/q/{product.code}",
        f"/q/{revoked.code}",
    ]
    office = [
        "/office/",
        "/office/certificates",
        f"/office/products/{product.code}",
        "/office/audit",
        "/office/reports",
        "/office/payments",
    ]
    auth.login(officer)
    return client, public + office


def _page(client, url: str, language: str) -> str:
    client.get(f"/lang/{language}")
    refresh()  # the test's app context outlives requests: forget the language it cached
    response = client.get(url)
    assert response.status_code == 200, url
    return _visible_text(response.text)


def test_english_pages_show_no_vietnamese_of_the_shops_own(pages):
    client, urls = pages
    pairs = [(en, vi) for en, vi in _catalogue() if len(vi.split()) >= MIN_WORDS]
    allowed = _data_words() | PROPER_NAMES
    problems = []
    for url in urls:
        text = _page(client, url, "en")
        problems += [
            f"{url}: translation shown in English: {vi!r}" for _en, vi in pairs if vi in text
        ]
        for word in set(re.findall(r"\w+", text.lower())):
            if VIETNAMESE_LETTER.search(word) and word not in allowed:
                line = next(li for li in text.splitlines() if word in li.lower())
                problems.append(f"{url}: Vietnamese word {word!r} in {line.strip()[:120]!r}")
    assert problems == [], (
        "English pages with Vietnamese text (put it through _() with an English msgid, or add a "
        "proper name to PROPER_NAMES):\n" + "\n".join(sorted(set(problems)))
    )


def test_vietnamese_pages_show_no_english_of_the_shops_own(pages):
    client, urls = pages
    english = [en for en, _vi in _catalogue() if len(en.split()) >= MIN_WORDS]
    problems = []
    for url in urls:
        text = _page(client, url, "vi")
        problems += [f"{url}: English message shown: {en!r}" for en in english if en in text]
    assert problems == [], (
        "Vietnamese pages with English text (translate the message in "
        "storefront/translations/vi, then compile):\n" + "\n".join(sorted(set(problems)))
    )
