"""Text folding for search: case and diacritics never matter, and đ/Đ count as d."""

import re
import unicodedata

# Anything that is not a letter or a digit separates words ("Ia H'Drai", "10%", "sâm-dây").
_NOT_A_WORD = re.compile(r"[\W_]+")


def fold(value: str | None) -> str:
    """``"Sâm dây Đăk Glei"`` → ``"sam day dak glei"``."""
    if not value:
        return ""
    return " ".join(_strip_marks(value).split())


def search_words(value: str | None) -> list[str]:
    """Folded words, punctuation dropped: ``"Ia H'Drai!"`` → ``["ia", "h", "drai"]``."""
    if not value:
        return []
    return _NOT_A_WORD.sub(" ", _strip_marks(value)).split()


def fold_char(ch: str) -> str:
    """One character folded (may be empty for a lone combining mark, or longer: ß → ss)."""
    return _strip_marks(ch)


def _strip_marks(value: str) -> str:
    value = value.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def contains_pattern(text: str) -> str:
    """A LIKE pattern (with ``escape="\\\\"``) matching ``text`` anywhere, its own ``%`` and ``_``
    taken literally: "10%" finds "KoRa 10%", never everything."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
