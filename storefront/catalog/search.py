"""The catalogue's one search, used by the catalogue page, the suggestion box and the API.

Diacritics, case and đ/d never matter (both the query and the stored text are folded the same
way); every word typed must start a word of the product's name, producer, group, places or
description. Ranking: the exact phrase in the name first, then all words in the name, then the
database's own score (FTS5 bm25 / trigram similarity). When nothing matches, a word one typo away
from an indexed word is tried instead, and "no results" offers the nearest indexed words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape
from sqlalchemy import case

from storefront.catalog import search_index
from storefront.catalog.models import Product
from storefront.folding import fold_char, search_words

MAX_WORDS = 8
MAX_WORD_LENGTH = 40
# A typo is only guessed at in words this long: in shorter ones one letter makes another word.
MIN_CORRECTABLE_LENGTH = 4


@dataclass(frozen=True)
class SearchTerms:
    """The folded words of a query; ``groups`` says what each word may match (itself, or
    the indexed words it was corrected to)."""

    words: tuple[str, ...] = ()
    groups: tuple[tuple[str, ...], ...] = ()
    corrected: bool = False

    def __bool__(self) -> bool:
        return bool(self.words)

    @property
    def phrase(self) -> str:
        return " ".join(self.words)

    @property
    def highlighted_words(self) -> list[str]:
        return [word for group in self.groups for word in group]


@dataclass
class SearchOutcome:
    """What a list page says about its query: the words to highlight, the query it really ran
    when it corrected a typo, and nearest words to try when nothing matched."""

    terms: SearchTerms
    suggestions: list[str] = field(default_factory=list)

    @property
    def corrected_query(self) -> str | None:
        return self.terms.phrase if self.terms.corrected else None


def parse(query: str | None) -> SearchTerms:
    """Fold a query into at most eight words. Punctuation and FTS or SQL syntax (quotes, ``*``,
    ``NEAR``, ``'; --``) are just characters that separate words, or words, never operators."""
    words: list[str] = []
    for word in search_words(query or ""):
        word = word[:MAX_WORD_LENGTH]
        if word not in words:
            words.append(word)
        if len(words) == MAX_WORDS:
            break
    return SearchTerms(tuple(words), tuple((w,) for w in words))


def matching(terms: SearchTerms, ids=None) -> search_index.Matching:
    """``ids``: the product id column of the query to narrow down (default ``products.id``)."""
    return search_index.matching([list(group) for group in terms.groups], ids)


def relevance(terms: SearchTerms, score, name=None) -> list:
    """ORDER BY clauses: the name starting with the phrase, the phrase anywhere in the name,
    every word in the name, then ``score``. ``name``: the folded name column (default
    ``products.search_name``)."""
    name = Product.search_name if name is None else name
    tier = case(
        (name.like(f"{terms.phrase}%"), 0),
        (search_index.starts_a_word(name, terms.phrase), 1),
        (search_index.contains_words(name, [group[0] for group in terms.groups]), 2),
        else_=3,
    )
    return [tier, score]


def correct(terms: SearchTerms) -> SearchTerms | None:
    """The same query with each word that starts no indexed word widened to the indexed words
    one typo away (``arabika`` → ``arabica``); None when no word could be corrected."""
    groups = []
    changed = False
    for word in terms.words:
        near = _near_words(word, 1) if len(word) >= MIN_CORRECTABLE_LENGTH else None
        if near:
            groups.append(tuple(near[:3]))
            changed = True
        else:
            groups.append((word,))
    if not changed:
        return None
    return SearchTerms(tuple(group[0] for group in groups), tuple(groups), corrected=True)


def suggestions(terms: SearchTerms, limit: int = 5) -> list[str]:
    """Queries to try instead: the query with one word replaced by a near indexed word."""
    found: list[str] = []
    for index, word in enumerate(terms.words):
        if len(word) < 3:
            continue
        for near in _near_words(word, 1 if len(word) < 5 else 2) or []:
            words = list(terms.words)
            words[index] = near
            suggestion = " ".join(words)
            if suggestion not in found:
                found.append(suggestion)
    return found[:limit]


def _near_words(word: str, max_distance: int) -> list[str] | None:
    """Indexed words within ``max_distance`` edits of ``word``, most used first; None when the
    word itself starts an indexed word (it needs no correction)."""
    candidates = search_index.candidate_words(word)
    if any(term.startswith(word) for term, _count in candidates):
        return None
    scored = []
    for term, count in candidates:
        distance = edit_distance(word, term, max_distance)
        if 0 < distance <= max_distance:
            scored.append((distance, -count, term))
    return [term for *_rank, term in sorted(scored)]


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Optimal-string-alignment distance (insert, delete, substitute, swap two neighbours);
    anything above ``limit`` is reported as ``limit + 1``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def highlight(value: str | None, words: list[str] | tuple[str, ...]) -> Markup:
    """``value`` HTML-escaped, with every word that begins with one of the folded ``words``
    marked (``<mark>Sâm</mark> <mark>dây</mark> Ngọc Linh`` for ``sam day``)."""
    if not value:
        return Markup("")
    if not words:
        return escape(value)
    folded, owner = [], []
    for index, ch in enumerate(value):
        piece = fold_char(ch)
        folded.append(piece)
        owner.extend([index] * len(piece))
    folded_text = "".join(folded)
    marked = [False] * len(value)
    pattern = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True) if w)
    for match in re.finditer(rf"(?<![^\W_])(?:{pattern})", folded_text):
        for position in range(match.start(), match.end()):
            marked[owner[position]] = True
    for index, piece in enumerate(folded):
        if not piece and index:  # a lone combining mark belongs to the letter before it
            marked[index] = marked[index - 1]
    html, start = [], 0
    for index in range(1, len(value) + 1):
        if index == len(value) or marked[index] != marked[start]:
            segment = escape(value[start:index])
            html.append(Markup("<mark>%s</mark>") % segment if marked[start] else segment)
            start = index
    return Markup("").join(html)
