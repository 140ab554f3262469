"""What a product is found by: its folded name, and the folded text of everything people type
to find it (name, producer, group, places, description)."""

from __future__ import annotations

from functools import lru_cache

from storefront.folding import search_words

# The six groups as people call them, in both languages (the labels in labels.py are msgids).
GROUP_SEARCH_WORDS = {
    "food": "Thực phẩm food",
    "drinks": "Đồ uống drinks",
    "herbal": "Thảo dược dược liệu herbal",
    "handicrafts": "Thủ công mỹ nghệ handicrafts",
    "plants": "Sinh vật cảnh hoa cây cảnh plants flowers",
    "tourism": "Du lịch cộng đồng sinh thái tourism",
}


def search_fields(
    name: str,
    description: str | None = None,
    producer_name: str | None = None,
    group: str | None = None,
    places: list[str] | None = None,
) -> tuple[str, str]:
    """``(search_name, search_text)``: the name first in the text, so it ranks first."""
    folded_name = _folded(name)
    parts = [producer_name, GROUP_SEARCH_WORDS.get(group or "", ""), *(places or []), description]
    return folded_name, " ".join([folded_name, *(_folded(p) for p in parts if p)])


@lru_cache(maxsize=8192)  # producers, places and groups repeat across a catalogue
def _folded(text: str) -> str:
    return " ".join(search_words(text))


def place_names(region) -> list[str]:
    """A region's name, those of the units above it, and of the units that succeeded them
    (an abolished district is still found by today's province)."""
    names: list[str] = []
    seen: set[int] = set()
    pending = [region]
    while pending and len(seen) < 20:
        unit = pending.pop()
        if unit is None or id(unit) in seen:
            continue
        seen.add(id(unit))
        names.append(unit.name)
        pending.extend((unit.parent, unit.successor))
    return names
