"""Text that people write in Markdown (product descriptions, policy pages), shown as safe HTML.

One way to do it: `markdown-it-py` (CommonMark, maintained by the Executable Books project) turns
the text into HTML, with raw HTML in the source left as text; `nh3` (Python binding of the Rust
`ammonia` sanitiser) then keeps only the tags and attributes below, so whatever a producer pastes,
no script, style or event handler reaches a page.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt(
    "commonmark", {"html": False, "linkify": False, "typographer": False}
).enable("table")

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "h2", "h3", "h4", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "a", "code", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


# The same text always gives the same HTML: a product page's description is turned into HTML
# once per process, not at every request (a few hundred kept, about a kilobyte each).
KEPT = 512


def render_markdown(text: str | None) -> Markup:
    """The text's Markdown as sanitised HTML (empty for no text). Headings of level 1 become
    level 2: the page's own title is the only h1. Links open as plain links, `rel` added by nh3."""
    if not text or not text.strip():
        return Markup("")
    return _rendered(text)


@lru_cache(maxsize=KEPT)
def _rendered(text: str) -> Markup:
    html = _markdown.render(text).replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="nofollow noopener noreferrer",
    )
    return Markup(clean)  # noqa: S704 — sanitised by nh3 just above


def plain_text(text: str | None, limit: int = 200) -> str:
    """The Markdown's words without markup, cut at a word boundary (for meta descriptions)."""
    if not text:
        return ""
    return _plain(text, limit)


@lru_cache(maxsize=KEPT)
def _plain(text: str, limit: int) -> str:
    words = " ".join(nh3.clean(_markdown.render(text), tags=set()).split())
    if len(words) <= limit:
        return words
    return words[: limit + 1].rsplit(" ", 1)[0] + "…"
