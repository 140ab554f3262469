"""The one way names are put in order for people: Vietnamese alphabetical order, numbers in
their natural order.

Code-point order puts "Huyện Đăk Glei" after "Huyện Tu Mơ Rông" (Đ is U+0110) and "KoRa 10%"
before "KoRa 5%". Here each letter is first compared as a letter of the Vietnamese alphabet
(a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, with f j w z where Latin puts them),
then the tones (none, huyền, hỏi, ngã, sắc, nặng: the order of ICU's Vietnamese collation), then
upper before lower case; runs of digits are compared as numbers by natsort.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from natsort import natsort_keygen

T = TypeVar("T")

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Combining marks that make a letter of its own (breve, circumflex, horn).
_MADE_LETTERS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
# huyền, hỏi, ngã, sắc, nặng
_TONES = {"\u0300": "b", "\u0309": "c", "\u0303": "d", "\u0301": "e", "\u0323": "f"}
_LETTER_CODE = {letter: chr(0x4E00 + i) for i, letter in enumerate(ALPHABET)}


def _collation_text(text: str) -> str:
    """``text`` rewritten so that comparing the results as strings (digits left as digits for
    natsort) compares letters, then tones, then case, the Vietnamese way."""
    letters, tones, cases = [], [], []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        base, marks = parts[0], parts[1:]
        lower = base.lower()
        for mark in marks:
            lower = _MADE_LETTERS.get((lower, mark), lower)
        if lower in _LETTER_CODE:
            letters.append(_LETTER_CODE[lower])
            tones.append(next((_TONES[m] for m in marks if m in _TONES), "a"))
            cases.append("a" if base.isupper() else "b")
        else:
            letters.append(char)
    # \x00 sorts before everything: a name that is the start of another comes first.
    return "".join(letters) + "\x00" + "".join(tones) + "\x00" + "".join(cases)


_natural = natsort_keygen(key=_collation_text)


def sort_key(text: str | None) -> Any:
    """The key that puts names in Vietnamese order: ``sorted(names, key=sort_key)``."""
    return _natural(text or "")


def by_name(items: Iterable[T], name: Callable[[T], str | None]) -> list[T]:
    """``items`` in the Vietnamese order of ``name(item)``."""
    return sorted(items, key=lambda item: sort_key(name(item)))
