"""The clean stage: a RawDocument becomes a CleanDocument.

For every page: boilerplate removed, the page split into articles with the principal one
marked, its title, publisher and author where printed, its publication date (with a note
when the date was ambiguous), its language, and the AI-governance relevance decision.
Text captures go through Accord's own line classifier (`lines`, `stories`); HTML goes
through trafilatura and htmldate (`markup`) and then the same classifier, so both give
the same records. Near-duplicate detection across the store lives in `duplicates`, used
by the run that stores documents.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from accord.clean.dates import normalized_date, published_date
from accord.clean.language import language_of
from accord.clean.lines import page_lines
from accord.clean.relevance import relevance
from accord.clean.stories import Page, page_structure
from accord.records import CleanDocument, RawDocument, Relevance

__all__ = ["clean_document"]


def _text_page(raw: RawDocument) -> tuple[Page, str | None, str | None, str | None]:
    page = page_structure(page_lines(raw.content), known_title=raw.title)
    published, note = published_date(list(page.header), list(page.trailer), raw.reference_date)
    return page, published, note, page.publisher


def _html_page(raw: RawDocument) -> tuple[Page, str | None, str | None, str | None]:
    from accord.clean.markup import markup_facts, printed_stamps  # trafilatura: loaded where HTML is read

    facts = markup_facts(raw.content, raw.url, raw.reference_date)
    page = facts.page
    published, note = facts.published, "from the page markup" if facts.published else None
    if published is None:
        published, note = published_date(list(page.header), list(page.trailer), raw.reference_date)
    if published is None and raw.reference_date is not None:  # "2 days ago" in a post-meta line
        published, note = published_date(printed_stamps(raw.content), [], raw.reference_date)
    return page, published, note, facts.publisher


def site_name(url: str | None) -> str | None:
    """The publisher a page's address names when the page itself names none: its host without
    "www." ("https://www.reuters.com/world/..." is reuters.com)."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    host = host[4:] if host.startswith("www.") else host
    return host or None


def clean_document(raw: RawDocument) -> CleanDocument:
    """Clean one document: its articles, title, date, language and relevance."""
    page, published, note, publisher = _html_page(raw) if raw.kind == "html" else _text_page(raw)
    given = normalized_date(raw.published, raw.reference_date)
    if given:
        published, note = given, "given with the input"
    title = raw.title or page.title
    publisher = publisher or site_name(raw.url)
    principal = next((a for a in page.articles if a.principal), None)
    decision = Relevance(False, 0.0, ()) if principal is None else relevance(title, principal.text)
    return CleanDocument(
        id=raw.id, doc=raw.doc, source=raw.source, articles=page.articles, relevance=decision,
        url=raw.url, title=title, published=published, date_note=note, publisher=publisher,
        author=page.author, language=language_of(principal.text) if principal else None,
        removed=page.removed, reference_date=raw.reference_date,
    )
