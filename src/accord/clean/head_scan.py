"""The title and date of an HTML page read from its raw text, where that gives what parsing would.

Parsing a page (lxml) and asking htmldate for its date costs a tenth of a millisecond; a
day of news has hundreds of thousands of pages the prefilter drops, of which only the
head is wanted (accord.clean.head). For the plain page this module finds the same answers
with a few string searches: the date htmldate looks at first, the one in the URL (htmldate's
own function), and the headline `markup_title` picks: with no og:title, the page's only
<h1>, else its <title>, both plain text. Anything less plain (markup or uncommon entities
inside the heading, a heading or title inside a comment or a script, no date in the URL)
gives UNSURE, and the caller parses the page as before.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime
from typing import Final

UNSURE: Final = object()
"""Returned when only parsing the page can tell."""

_HIDDEN = re.compile(r"<!--.*?-->|<(script|style|textarea|template|noscript|xmp|iframe|noembed|noframes|title)\b"
                     r".*?</\1\s*>", re.S)
"""Regions (of the lowercased page) whose content is not markup to the parser: a heading
written inside one is no heading."""

_OPENERS = re.compile(r"<!--|<(?:script|style|textarea|template|noscript|xmp|iframe|noembed|noframes|title)\b")
"""Where such a region starts: more of them than closed regions means one runs to the end."""

_H1 = re.compile(r"<h1(?=[\s/>])")
_PLAIN_H1 = re.compile(r"<h1(?:\s[^<>]*)?>([^<]*)</h1\s*>", re.I)
_PLAIN_TITLE = re.compile(r"<title(?:\s[^<>]*)?>([^<]*)</title\s*>", re.I)

_ENTITY = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z0-9]+)?(;?)")
_SAFE_NAMES = frozenset(("amp", "lt", "gt", "quot", "nbsp"))
"""Named entities libxml2 and Python's html.unescape read alike."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def _plain(text: str) -> str | object:
    """The text of an element as the parser gives it, or UNSURE for entities the two may read apart."""
    if _CONTROL.search(text):
        return UNSURE
    for m in _ENTITY.finditer(text):
        ref, closed = m.groups()
        if ref is None and not text.startswith("#", m.end()):
            continue  # a bare "&" ("AT&T" has a letter after it, so is looked at): kept as it is
        if ref is None or not closed:
            return UNSURE
        if ref.startswith("#"):
            code = int(ref[2:], 16) if ref[1] in "xX" else int(ref[1:])
            if code < 32 or 127 <= code < 160 or code > 0xFFFF:
                return UNSURE
        elif ref not in _SAFE_NAMES:
            return UNSURE
    return html.unescape(text)


def _squeezed(text: str) -> str | None:
    return " ".join(text.split()) or None


def scanned_title(page: str, tail: re.Pattern[str]) -> str | None | object:
    """What `accord.clean.head.markup_title` gives for the parsed page, or UNSURE.

    `tail` is the pattern of the site name after a headline in a <title>.
    """
    low = page.lower()
    if "html" not in low[:50] or "og:title" in low:  # a page the parser may reject; an og:title wins
        return UNSURE
    hidden = [m.span() for m in _HIDDEN.finditer(low)]
    if len(hidden) != len(_OPENERS.findall(low)):  # a comment or script left open
        return UNSURE
    headings: list[str | None] = []
    for m in _H1.finditer(low):
        if any(start <= m.start() < end for start, end in hidden):
            return UNSURE
        plain = _PLAIN_H1.match(page, m.start())
        text = _plain(plain.group(1)) if plain else UNSURE
        if not isinstance(text, str):
            return UNSURE
        headings.append(_squeezed(text))
    if len(headings) == 1 and headings[0]:
        return headings[0]
    titles = [start for start, _ in hidden if low.startswith("<title", start)]
    if len(titles) > 1:
        return UNSURE
    if titles:
        plain = _PLAIN_TITLE.match(page, titles[0])
        text = _plain(plain.group(1)) if plain else UNSURE
        if not isinstance(text, str):
            return UNSURE
        if squeezed := _squeezed(text):
            return tail.sub("", squeezed) or squeezed
    if any(headings):
        return UNSURE  # the first heading with text: a page plain enough to scan has at most one
    return None


def url_date(url: str | None, reference: date | None) -> str | None:
    """The date htmldate reads from the URL first (and then looks no further), or None."""
    if not url:
        return None
    from htmldate.extractors import extract_url_date
    from htmldate.utils import Extractor
    from htmldate.validators import get_max_date, get_min_date

    latest = datetime.combine(reference, datetime.min.time()) if reference else None
    options = Extractor(False, get_max_date(latest), get_min_date(None), True, "%Y-%m-%d")
    return extract_url_date(url, options)
