"""Where the search text is indexed, per database, behind one small interface.

SQLite: an FTS5 table over ``products.search_name`` / ``products.search_text`` (external content,
kept in step by triggers, so bulk inserts are indexed too) and an fts5vocab table of its words.
PostgreSQL: a ``pg_trgm`` GIN index on ``products.search_text``; words match at a word start with
LIKE, which that index serves, and trigram similarity finds words one typo away.

The text is folded in Python before it is stored (``catalog.text``), so đ/Đ → d holds on both.
Note for migrations: on SQLite a batch ("move and copy") change of ``products`` drops its
triggers; call ``install_sqlite()`` again after one.
"""

from __future__ import annotations

from sqlalchemy import (
    ColumnElement,
    and_,
    bindparam,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.engine import Connection

from storefront.catalog.models import Product, ProductListing
from storefront.extensions import db

FTS_TABLE = "products_fts"
VOCABULARY_TABLE = "products_fts_terms"
# Tables FTS5 makes for itself; schema comparisons ignore exactly these (tests/test_app.py).
SQLITE_INDEX_TABLES = frozenset(
    {FTS_TABLE, VOCABULARY_TABLE}
    | {f"{FTS_TABLE}_{suffix}" for suffix in ("data", "idx", "docsize", "config", "content")}
)
POSTGRES_INDEXES = frozenset(
    {"ix_products_search_text_trgm", "ix_products_search_words", "ix_listings_search_words"}
)

_SQLITE_DDL = (
    f"""CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        search_name, search_text, content='products', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3')""",
    f"CREATE VIRTUAL TABLE {VOCABULARY_TABLE} USING fts5vocab({FTS_TABLE}, 'col')",
    f"""CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
        INSERT INTO {FTS_TABLE}(rowid, search_name, search_text)
        VALUES (new.id, new.search_name, new.search_text);
    END""",
    f"""CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_name, search_text)
        VALUES ('delete', old.id, old.search_name, old.search_text);
    END""",
    f"""CREATE TRIGGER products_fts_update AFTER UPDATE OF search_name, search_text ON products
    BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_name, search_text)
        VALUES ('delete', old.id, old.search_name, old.search_text);
        INSERT INTO {FTS_TABLE}(rowid, search_name, search_text)
        VALUES (new.id, new.search_name, new.search_text);
    END""",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
)
# The words of the folded text, for "every word typed starts a word" (a prefix tsquery): the
# posting lists of the words typed are intersected, instead of rechecking every row holding a
# trigram of them. The 'simple' configuration keeps words as they are (no stemming, no stop
# words); the text is folded and made of letters and digits already.
POSTGRES_WORDS_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_products_search_words "
    "ON products USING gin (to_tsvector('simple', search_text))"
)
# The same on the listing read model: the catalogue's search reads it without the products
# (made by migration e5b1c9d3a7f2, after the table; this constant names it for the models).
LISTING_WORDS_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_listings_search_words "
    "ON product_listings USING gin (to_tsvector('simple', search_text))"
)
_POSTGRES_DDL = (
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS ix_products_search_text_trgm "
    "ON products USING gin (search_text gin_trgm_ops)",
    POSTGRES_WORDS_INDEX,
)


def install(connection: Connection) -> None:
    """Create the index for this database (from a migration)."""
    if connection.dialect.name == "sqlite":
        install_sqlite(connection)
    elif connection.dialect.name == "postgresql":
        for statement in _POSTGRES_DDL:
            connection.execute(text(statement))


def install_sqlite(connection: Connection) -> None:
    uninstall(connection)
    for statement in _SQLITE_DDL:
        connection.execute(text(statement))


def uninstall(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        for trigger in ("products_fts_insert", "products_fts_delete", "products_fts_update"):
            connection.execute(text(f"DROP TRIGGER IF EXISTS {trigger}"))
        connection.execute(text(f"DROP TABLE IF EXISTS {VOCABULARY_TABLE}"))
        connection.execute(text(f"DROP TABLE IF EXISTS {FTS_TABLE}"))
    elif connection.dialect.name == "postgresql":
        connection.execute(text("DROP INDEX IF EXISTS ix_products_search_text_trgm"))
        connection.execute(text("DROP INDEX IF EXISTS ix_products_search_words"))
        connection.execute(text("DROP INDEX IF EXISTS ix_listings_search_words"))


def is_index_object(name: str | None, type_: str) -> bool:
    """True for the tables and indexes above, which the models do not describe."""
    if type_ == "table":
        return name in SQLITE_INDEX_TABLES
    if type_ == "index":
        return name in POSTGRES_INDEXES
    return False


def _dialect() -> str:
    return db.session.get_bind().dialect.name


class Matching:
    """Restricts a product query to rows matching every word group and says how well each
    row matched. ``groups``: for each word typed, the folded words it may match as a word
    prefix (the word itself, or its corrections)."""

    def __init__(self, groups: list[list[str]], ids=None):
        self.groups = groups
        # The product id column of the query narrowed down (products.id, or the listing read
        # model's product_id).
        self.ids = Product.id if ids is None else ids

    def apply(self, query):
        raise NotImplementedError

    def score(self) -> ColumnElement:
        """Lower is better. After the name tiers (search.relevance), a shorter name holding the
        words is the closer match; unlike bm25 or trigram similarity it costs nothing per
        matched row (bm25 over the 2,500 products "sam day" matches at 100,000 was most of the
        search)."""
        name = Product.search_name if self.ids is Product.id else ProductListing.search_name
        return func.length(name)


class Fts5Matching(Matching):
    """The FTS5 query runs once, materialised, and the products are joined to its rows; left to
    itself SQLite's planner would run the MATCH again for every listed product."""

    def __init__(self, groups: list[list[str]], ids=None):
        super().__init__(groups, ids)
        expression = " AND ".join(
            "(" + " OR ".join(f'"{word}"*' for word in group) + ")" for group in self.groups
        )
        fts = table(FTS_TABLE, column("rowid"))
        self._matched = (
            select(fts.c.rowid.label("product_id"))
            .where(literal_column(FTS_TABLE).op("MATCH")(bindparam("fts_query", expression)))
            .cte("matched")
            .prefix_with("MATERIALIZED")
        )

    def apply(self, query):
        return query.join(self._matched, self._matched.c.product_id == self.ids)


class TrigramMatching(Matching):
    """PostgreSQL: words typed must start words of the text (a prefix tsquery on the GIN index
    of its words); trigram similarity is kept for finding words one typo away."""

    def apply(self, query):
        # The listing read model holds the search text (and its index): no join to products.
        searched = Product.search_text
        if self.ids is ProductListing.product_id:
            searched = ProductListing.search_text
        elif self.ids is not Product.id:
            query = query.join(Product, Product.id == self.ids)
        # Words are letters and digits only (folding.search_words): nothing to escape.
        wanted = " & ".join(
            "(" + " | ".join(f"{word}:*" for word in group) + ")" for group in self.groups
        )
        words = func.to_tsvector(literal_column("'simple'::regconfig"), searched)
        return query.where(
            words.op("@@")(
                func.to_tsquery(literal_column("'simple'::regconfig"), bindparam("words", wanted))
            )
        )


def starts_a_word(column_, word: str) -> ColumnElement:
    """``column_`` (folded, single spaces) has a word beginning with ``word`` (letters/digits)."""
    return or_(column_.like(f"{word}%"), column_.like(f"% {word}%"))


def contains_words(column_, words: list[str]) -> ColumnElement:
    return and_(*(starts_a_word(column_, w) for w in words))


def matching(groups: list[list[str]], ids=None) -> Matching:
    kind = Fts5Matching if _dialect() == "sqlite" else TrigramMatching
    return kind(groups, ids)


def candidate_words(word: str, limit: int = 400) -> list[tuple[str, int]]:
    """Indexed words that may be close to ``word``, with a weight saying how much they are used
    (a product name counts ten times more than the rest). The caller measures the real
    distance; this only narrows the vocabulary down cheaply."""
    weights: dict[str, int] = {}
    if _dialect() == "sqlite":
        shortest, longest = max(1, len(word) - 2), len(word) + 2
        return [(t, w) for t, w in _sqlite_vocabulary().items() if shortest <= len(t) <= longest]
    # Trigram similarity finds the products holding a similar word through the GIN index.
    db.session.execute(text("SELECT set_config('pg_trgm.word_similarity_threshold', '0.3', true)"))
    rows = db.session.execute(
        text("SELECT search_name, search_text FROM products WHERE :word <% search_text LIMIT :n"),
        {"word": word, "n": limit},
    )
    for search_name, search_text in rows:
        for weight, words in ((10, search_name), (1, search_text)):
            for term in set(words.split()):
                if abs(len(term) - len(word)) <= 2:
                    weights[term] = weights.get(term, 0) + weight
    return list(weights.items())


# The vocabulary scan reads the whole FTS index (~0.1 s at 100,000 products), so it is kept
# until the index changes: FTS5 rewrites its structure record (rowid 10 of the _data table,
# FTS5_STRUCTURE_ROWID in its source) on every change.
_vocabulary_cache: dict[str, tuple[bytes, dict[str, int]]] = {}


def _sqlite_vocabulary() -> dict[str, int]:
    key = str(db.session.get_bind().url)
    structure = db.session.scalar(text(f"SELECT block FROM {FTS_TABLE}_data WHERE id = 10"))
    cached = _vocabulary_cache.get(key)
    if cached is not None and structure is not None and cached[0] == structure:
        return cached[1]
    weights: dict[str, int] = {}
    rows = db.session.execute(text(f"SELECT term, col, doc FROM {VOCABULARY_TABLE}"))
    for term, column_name, count in rows:
        weights[term] = weights.get(term, 0) + count * (10 if column_name == "search_name" else 1)
    if structure is not None:
        _vocabulary_cache[key] = (structure, weights)
    return weights
