"""Text folding for search: case and diacritics never matter, and đ/Đ count as d."""

import unicodedata


def fold(value: str | None) -> str:
    """``"Sâm dây Đăk Glei"`` → ``"sam day dak glei"``."""
    if not value:
        return ""
    value = value.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())
