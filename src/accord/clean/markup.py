"""The stories of an HTML page, through trafilatura (main text, metadata) and htmldate.

trafilatura finds the main text of a page and drops navigation, asides and footers;
htmldate reads the publication date from the page's markup and printed dates. The text
trafilatura keeps then goes through the same line classifier as a text capture, so both
paths give the same article records (and repeated headlines or "Related" blocks that
slipped through are cut the same way).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

import trafilatura
from htmldate import find_date
from lxml.html import HtmlElement

from accord.clean.lines import page_lines
from accord.clean.stories import Page, page_structure


@dataclass(frozen=True)
class MarkupFacts:
    """What the markup itself says about a page."""

    page: Page
    published: str | None
    publisher: str | None


def markup_date(html: str | HtmlElement, url: str | None, reference: date | None) -> str | None:
    """The publication date the page's markup gives (htmldate, no extensive search), as ISO text."""
    latest = datetime.combine(reference, datetime.min.time()) if reference else None
    try:
        return find_date(html, extensive_search=False, original_date=True, url=url, max_date=latest)
    except (ValueError, TypeError):
        return None


_STAMP_CLASS = re.compile(r"(?i)date|time|meta|byline|posted|publish|stamp")
"""Class or id words of the elements where pages print when a story was posted."""


def printed_stamps(html: str) -> list[str]:
    """The texts of the elements where a page prints its date ("By Staff | 2 days ago" in a
    <div class="post-meta">, a <time>), which trafilatura's main text leaves out; the
    clean stage reads relative stamps in them against the crawl date."""
    try:
        tree = trafilatura.load_html(html)
    except (ValueError, TypeError):
        return []
    if tree is None:
        return []
    found: list[str] = []
    for el in tree.iter("time", "div", "span", "p", "small", "li"):
        if el.tag == "time" or _STAMP_CLASS.search(f"{el.get('class', '')} {el.get('id', '')}"):
            text = " ".join(el.text_content().split())
            if text and len(text) <= 200:
                found.append(text)
        if len(found) >= 12:
            break
    return found


def markup_facts(html: str, url: str | None = None, reference: date | None = None) -> MarkupFacts:
    """The stories, publication date and publisher of an HTML page."""
    found = trafilatura.bare_extraction(html, url=url, include_comments=False, include_tables=False,
                                        with_metadata=True, favor_precision=True)
    if found is None:
        return MarkupFacts(page_structure([]), markup_date(html, url, reference), None)
    text = found.text or ""
    page = page_structure(page_lines(text), known_title=found.title or None)
    if found.author and not page.author:
        page = Page(page.title, page.articles, page.header, page.trailer, page.removed, found.author, page.publisher)
    return MarkupFacts(page, markup_date(html, url, reference), found.sitename or page.publisher)
