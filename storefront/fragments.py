"""Pieces of HTML made once per process and reused while what they show is the same.

A fragment's key holds everything its HTML is made from (the values it shows, the language, the
address the shop is served under), so a kept fragment is never stale: when a product's price or
stock changes, its card has another key and is made afresh. What a page reads from the database
is still read for every request; only turning it into HTML again is saved (a list of 24 product
cards is most of the work of a catalogue page). At most FRAGMENTS_KEPT are kept per process; when
that many are held they are all dropped together (cheaper than ordering them by use, and a full
set of popular cards is made again within a few pages).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from flask import current_app, get_template_attribute, request
from flask_babel import get_locale
from markupsafe import Markup

DEFAULT_KEPT = 20_000  # a product card is about 1 kB: ~20 MB per process at most


def fragment(key: Hashable, make: Callable[[], Markup]) -> Markup:
    """The HTML ``make()`` gives for ``key``, made once per process while it is kept."""
    held: dict[Hashable, Markup] = current_app.extensions.setdefault("html_fragments", {})
    html = held.get(key)
    if html is None:
        html = Markup(make())
        if len(held) >= current_app.config.get("FRAGMENTS_KEPT", DEFAULT_KEPT):
            held.clear()
        held[key] = html
    return html


def macro_fragment(template: str, macro: str, key: Hashable, *args, **kwargs) -> Markup:
    """What ``macro`` of ``template`` makes of ``args``, kept under ``key`` (which must name
    everything the macro shows) together with the language and the address the shop is served
    under, which every piece depends on."""
    full_key = (template, macro, key, str(get_locale()), request.script_root)
    return fragment(full_key, lambda: get_template_attribute(template, macro)(*args, **kwargs))


def forget_fragments() -> None:
    """Drop every fragment this process keeps (benchmarks measuring a cold process)."""
    current_app.extensions.pop("html_fragments", None)
