"""Documents of a URL: a fetched page, or the items of a fetched feed.

Feed or page is decided by the content type, then by sniffing. A page is named after its
URL; its reference date is the caller's, else the day it was fetched.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date

from accord.records import RawDocument, ReadFailure
from accord.sources.errors import SourceError
from accord.sources.feeds import feed_documents
from accord.sources.fetch import Fetched, Fetcher
from accord.sources.formats import PAGE_FORMATS, sniffed_format
from accord.sources.limits import Limits
from accord.sources.local import stream_documents
from accord.sources.names import url_name
from accord.sources.pages import page_document

FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
SNIFFED_TYPES = frozenset({"application/xml", "text/xml", "text/plain", "application/octet-stream",
                           "application/warc", "application/x-ndjson", "application/jsonl", "application/json"})
"""Content types whose real format is decided by looking at the content."""


def fetched_format(fetched: Fetched) -> str:
    """The format of a fetched body: "feed", "html", "text", "warc" or "jsonl".

    SourceError for content types that are not pages (PDF, images...).
    """
    kind = fetched.content_type
    sniffed, _ = sniffed_format(fetched.content[:65536])
    if kind in FEED_TYPES or sniffed == "feed":
        return "feed"
    if kind in HTML_TYPES:
        return "html"
    if kind is None or kind in SNIFFED_TYPES:
        return "text" if kind == "text/plain" and sniffed in PAGE_FORMATS else sniffed
    raise SourceError(f"unsupported content type {kind}")


def url_documents(url: str, *, fetch: Fetcher, reference_date: date | None,
                  limits: Limits) -> Iterator[RawDocument | ReadFailure]:
    """The documents of a URL (one page, or a feed's items with their linked pages fetched)."""
    try:
        fetched = fetch(url)
        fmt = fetched_format(fetched)
        name = url_name(url)
        day = reference_date or fetched.fetched_on
        if fmt == "feed":
            yield from feed_documents(fetched.content, source=url, stem=name, base_url=fetched.url,
                                      reference_date=day, fetch=fetch, limits=limits)
        elif fmt in PAGE_FORMATS:
            yield page_document(fetched.content, doc=name, source=url, kind=fmt, charset=fetched.charset,
                                url=fetched.url, reference_date=day)
        else:
            yield from stream_documents(io.BytesIO(fetched.content), source=url, stem=name, fmt=fmt,
                                        reference_date=day, fetch=fetch, limits=limits)
    except SourceError as err:
        yield ReadFailure(url, str(err))
