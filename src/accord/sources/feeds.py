"""Documents of an RSS or Atom feed: one per item, read with feedparser.

An item's content is its full content (content:encoded, Atom content), else its summary;
its title, link and date come along (the date also becomes its reference date). When an
item has a link but no full content and a fetcher is given, the linked page is fetched
and becomes the item's document; if that fails, the failure is reported and the summary
(if any) is kept. An item is named after its link, else `STEM-N`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from urllib.parse import urljoin

import feedparser

from accord.records import RawDocument, ReadFailure
from accord.sources.dates import date_of_struct
from accord.sources.errors import SourceError
from accord.sources.fetch import Fetcher, page_kind
from accord.sources.names import url_name
from accord.sources.pages import page_document


def _full_content(entry) -> str | None:
    """The longest full content of an item (content:encoded or Atom content), or None."""
    values = [c.get("value") or "" for c in entry.get("content") or ()]
    best = max(values, key=len, default="")
    return best if best.strip() else None


def _item_date(entry) -> date | None:
    """The day an item was published (else updated), or None."""
    return date_of_struct(entry.get("published_parsed") or entry.get("updated_parsed"))


def _item_name(link: str | None, stem: str, number: int, used: set[str]) -> str:
    """A name for the N-th item, unique within its feed."""
    name = url_name(link) if link else f"{stem}-{number}"
    if name in used:
        name = f"{name}-{number}"
    used.add(name)
    return name


def feed_documents(data: bytes, *, source: str, stem: str, base_url: str | None,
                   reference_date: date | None, fetch: Fetcher | None) -> Iterator[RawDocument | ReadFailure]:
    """The item documents of a feed's bytes; SourceError when they are not a feed."""
    parsed = feedparser.parse(data)
    if not parsed.get("version") and not parsed.entries:
        raise SourceError("not an RSS or Atom feed")
    if not parsed.entries:
        raise SourceError("feed has no items")
    used: set[str] = set()
    for number, entry in enumerate(parsed.entries, 1):
        link = urljoin(base_url or "", entry["link"]) if entry.get("link") else None
        doc = _item_name(link, stem, number, used)
        day = _item_date(entry)
        title = entry.get("title") or None
        published = day.isoformat() if day else None
        content = _full_content(entry)
        if content is None and link and fetch is not None:
            try:
                fetched = fetch(link)
                yield page_document(fetched.content, doc=doc, source=link, kind=page_kind(fetched),
                                    charset=fetched.charset, url=fetched.url, title=title, published=published,
                                    reference_date=day or reference_date or fetched.fetched_on)
                continue
            except SourceError as err:
                yield ReadFailure(link, str(err))
        content = content or entry.get("summary") or ""
        if not content.strip():
            if not (link and fetch is not None):
                yield ReadFailure(f"{source}#item-{number}", f"feed item {number} has no content")
            continue
        yield RawDocument(doc=doc, source=f"{source}#item-{number}", kind="html", content=content, url=link,
                          title=title, published=published, reference_date=day or reference_date)
