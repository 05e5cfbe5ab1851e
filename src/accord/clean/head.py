"""The title and publication date of a page, read cheaply from its head alone.

Documents the prefilter keeps out of the clean stage (accord.prefilter) are still listed
by `accord docs`, so they keep the metadata that costs little to find. A text capture's
lines are classified only down to its first paragraph, above which its headline and
dateline stand; an HTML page is parsed once for the title its markup gives (og:title,
a single <h1>, <title>) and for htmldate's date, without trafilatura's main-text
extraction. A date given with the input (a JSONL `published`) wins, as in the clean
stage, and then the page's own date is not looked for. A plain page is not even parsed:
its title and URL date are read from the raw text (accord.clean.head_scan), which gives
what parsing gives or stands aside. In the usual case these are the values cleaning the
whole page gives; a date printed only below the story ("Published: ..." in a footer) is
not looked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura
from lxml.html import HtmlElement

from accord.clean.dates import normalized_date, published_date
from accord.clean.head_scan import UNSURE, scanned_title, url_date
from accord.clean.lines import Kind, Line, lines_of
from accord.clean.markup import markup_date
from accord.clean.stories import headline, page_structure
from accord.records import RawDocument

_TITLE_TAIL = re.compile(r"\s+[|\-–—·:]\s+[^|\-–—·:]+$")
"""A site name after the headline in a <title>: "Headline | The Daily Ledger"."""


@dataclass(frozen=True)
class PageHead:
    """What the head of a page says: its title, its publication date and how it was decided."""

    title: str | None
    published: str | None
    date_note: str | None


def page_head(raw: RawDocument) -> PageHead:
    """The title and publication date of a page, without cleaning it."""
    given = normalized_date(raw.published, raw.reference_date)
    if raw.title and given:
        return PageHead(raw.title, given, "given with the input")
    head = _html_head if raw.kind == "html" else _text_head
    title, published, note = head(raw, dated=given is None)
    if given:
        published, note = given, "given with the input"
    return PageHead(raw.title or title, published, note)


def _text_head(raw: RawDocument, dated: bool = True) -> tuple[str | None, str | None, str | None]:
    """Title and date of a text capture; the date only if `dated` (none was given with it)."""
    lines: list[Line] = []
    for line in lines_of(raw.content):
        lines.append(line)
        if line.kind is Kind.BODY:
            break
    else:  # no paragraph: every line has been read, so read the page as cleaning does
        page = page_structure(lines, raw.title)
        if not dated:
            return page.title, None, None
        return (page.title, *published_date(list(page.header), list(page.trailer), raw.reference_date))
    start = len(lines) - 1
    title = raw.title or headline(lines[:start])
    if not dated:
        return title, None, None
    header = [x.text for x in lines[:start]] + [lines[start].text[:80]]
    return (title, *published_date(header, [], raw.reference_date))


def _html_head(raw: RawDocument, dated: bool = True) -> tuple[str | None, str | None, str | None]:
    """Title and date of an HTML page (the date only if `dated`): read from the raw text where
    that is sure to give what parsing gives (accord.clean.head_scan), else from the parsed page."""
    title = raw.title or scanned_title(raw.content, _TITLE_TAIL)
    published = url_date(raw.url, raw.reference_date) if dated else None
    if title is not UNSURE and (published or not dated):
        return title, published, "from the page markup" if published else None  # type: ignore[return-value]
    try:
        tree = trafilatura.load_html(raw.content)
    except (ValueError, TypeError):
        tree = None
    if tree is None:
        return None, None, None
    title = raw.title or markup_title(tree)
    published = markup_date(tree, raw.url, raw.reference_date) if dated else None  # last: htmldate may prune
    return title, published, "from the page markup" if published else None


def markup_title(tree: HtmlElement) -> str | None:
    """The headline a parsed page names: og:title, else its only <h1>, else its <title>
    without the site name, else its first <h1> with text."""
    for meta in tree.iterfind(".//meta[@property='og:title']"):
        if text := _squeezed(meta.get("content")):
            return text
    headings = [_squeezed(h.text_content()) for h in tree.iterfind(".//h1")]
    if len(headings) == 1 and headings[0]:
        return headings[0]
    if text := _squeezed(tree.findtext(".//title")):
        return _TITLE_TAIL.sub("", text) or text
    return next((h for h in headings if h), None)


def _squeezed(text: str | None) -> str | None:
    """The text with its white space folded; None when there is none."""
    return (" ".join(text.split()) or None) if text else None
