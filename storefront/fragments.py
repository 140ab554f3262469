"""Pieces of HTML made once per process and reused while what they show is the same.

A fragment's key holds everything its HTML is made from (the values it shows, the language, the
address the shop is served under), so a kept fragment is never stale: when a product's price or
stock changes, its card has another key and is made afresh, and so has every list content
holding that card. What a page reads from the database is still read for every request; only
turning it into HTML again is saved.

Two stores, by size: small pieces (a product card ~1 kB, a filter panel, a footer; at most
FRAGMENTS_KEPT) and the content of whole list pages (~40 kB: heading, filters, 24 cards, pages;
at most CONTENTS_KEPT). When a store holds that many, it is emptied at once (cheaper than ordering
its pieces by use; the popular ones are made again within a few pages).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import fields, is_dataclass
from functools import cache
from typing import Literal

from flask import current_app, get_template_attribute, request
from flask_babel import get_locale
from markupsafe import Markup
from sqlalchemy import inspect

Store = Literal["pieces", "contents"]
KEPT = {  # store: (setting, default)
    "pieces": ("FRAGMENTS_KEPT", 20_000),  # ~20 MB per process at most
    "contents": ("CONTENTS_KEPT", 500),  # ~20 MB per process at most
}


def fragment(key: Hashable, make: Callable[[], Markup], store: Store = "pieces") -> Markup:
    """The HTML ``make()`` gives for ``key``, made once per process while it is kept."""
    stores: dict[str, dict] = current_app.extensions.setdefault("html_fragments", {})
    held: dict[Hashable, Markup] = stores.setdefault(store, {})
    html = held.get(key)
    if html is None:
        html = Markup(make())
        setting, default = KEPT[store]
        if len(held) >= current_app.config.get(setting, default):
            held.clear()
        held[key] = html
    return html


def macro_fragment(
    template: str, macro: str, key: Hashable, *args, store: Store = "pieces"
) -> Markup:
    """What ``macro`` of ``template`` makes of ``args``, kept under ``key`` (which must name
    everything the macro shows) together with the language and the address the shop is served
    under, which every piece depends on."""
    full_key = (template, macro, key, str(get_locale()), request.script_root)
    return fragment(full_key, lambda: get_template_attribute(template, macro)(*args), store)


def key_of(value: object) -> Hashable:
    """``value`` as a key: lists and plain tuples item by item, a dataclass that is not frozen
    by its fields (all of them: a field added later is part of the key without anyone
    remembering). A named tuple is its own key (what it holds must be hashable: a list or a
    mutable dataclass in it fails loudly when the key is hashed, never silently)."""
    kind = type(value)
    if kind is list or kind is tuple:
        return tuple([key_of(item) for item in value])
    names = _unfrozen_fields(kind)
    if names is None:
        return value
    return (kind, *[key_of(getattr(value, name)) for name in names])


@cache
def _unfrozen_fields(kind: type) -> tuple[str, ...] | None:
    """The field names of a dataclass that is not frozen (None for anything else), looked up
    once per class: asking ``dataclasses.fields`` for every value was most of a list's key."""
    if is_dataclass(kind) and not kind.__dataclass_params__.frozen:
        return tuple(f.name for f in fields(kind))
    return None


def key_of_rows(*rows: object) -> Hashable:
    """Mapped objects (or lists of them) as a key: each by its class and the value of every
    column it maps, so a change of any column the page could show makes another key."""
    return tuple(
        tuple(key_of_rows(*row)) if isinstance(row, list | tuple) else _row_key(row) for row in rows
    )


def _row_key(row: object) -> Hashable:
    if row is None:
        return None
    columns = _mapped_columns(type(row))
    return (type(row), *(getattr(row, name) for name in columns))


@cache
def _mapped_columns(kind: type) -> tuple[str, ...]:
    return tuple(attribute.key for attribute in inspect(kind).column_attrs)


def forget_fragments() -> None:
    """Drop every fragment this process keeps (benchmarks measuring a cold process)."""
    current_app.extensions.pop("html_fragments", None)
