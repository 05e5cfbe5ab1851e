"""Documents of an RSS or Atom feed: one per item, read with feedparser.

An item's content is its full content (content:encoded, Atom content), else its summary;
its title, link and date come along (the date also becomes its reference date). When an
item has a link but no full content and a fetcher is given, the linked page is fetched
and becomes the item's document; if that fails, the failure is reported and the summary
(if any) is kept. An item is named after its link, else `STEM-N`.

Feeds come from anywhere, so XML's dangerous corners are closed before feedparser sees
them: a feed whose DOCTYPE declares external entities (`SYSTEM`/`PUBLIC`, the XXE attack),
parameter entities or entities built of other entities (the "billion laughs" bomb) is
refused; feedparser is given the bytes as a stream, never as a string it might take for a
file name or URL to open; and its expat parser does not load external DTDs.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from urllib.parse import urljoin, urlsplit

import feedparser

from accord.records import RawDocument, ReadFailure
from accord.sources.dates import date_of_struct
from accord.sources.decoding import bom_codec
from accord.sources.errors import LimitExceeded, SourceError, one_line, size_text
from accord.sources.fetch import Fetcher, page_kind
from accord.sources.limits import DEFAULT_LIMITS, Limits
from accord.sources.names import url_name
from accord.sources.pages import page_document

_ENTITY_DECLARATION = re.compile(rb"""<!ENTITY\s+(%\s*)?([^\s>]+)\s*((?:"[^"]*"|'[^']*'|[^>"'])*)>""", re.IGNORECASE)
_PLAIN_VALUE = re.compile(rb"""^(?:"(?:&#\w+;|[^&"%])*"|'(?:&#\w+;|[^&'%])*')\s*$""")
MAX_ENTITY_VALUE = 64
"""Longest entity value taken; a long one used many times is the "quadratic blowup" attack."""
_PROLOG_BYTES = 1 << 16


def unsafe_entities(data: bytes) -> str | None:
    """Why the entity declarations at the start of an XML document are unsafe, or None.

    Short plain-text entities (`<!ENTITY nbsp "&#160;">`) are safe; external, parameter,
    nested and long ones are not. Declarations are looked for after the DOCTYPE.
    """
    head = data[:_PROLOG_BYTES]
    codec = bom_codec(head) or ("utf-16-le" if head[1:2] == b"\x00" else "utf-16-be" if head[:1] == b"\x00" else None)
    if codec:
        head = head.decode(codec, "ignore").encode("utf-8")
    doctype = head.upper().find(b"<!DOCTYPE")
    if doctype < 0:
        return None
    for match in _ENTITY_DECLARATION.finditer(head, doctype):
        parameter, value = match[1], match[3].strip()
        if parameter:
            return "declares a parameter entity"
        if re.match(rb"(?:SYSTEM|PUBLIC)\b", value, re.IGNORECASE):
            return "declares an external entity (refused: it could read local files or the network)"
        if not _PLAIN_VALUE.match(value):
            return "declares an entity made of other entities (refused: entity expansion bomb)"
        if len(value) > MAX_ENTITY_VALUE + 2:
            return f"declares an entity longer than {MAX_ENTITY_VALUE} characters (refused: quadratic blowup)"
    return None


def _full_content(entry) -> str | None:
    """The longest full content of an item (content:encoded or Atom content), or None."""
    values = [c.get("value") or "" for c in entry.get("content") or ()]
    best = max(values, key=len, default="")
    return best if best.strip() else None


def _item_link(entry, base_url: str | None) -> str | None:
    """The absolute link of an item, or None when it has none or it is not a URL (an unclosed "[")."""
    if not entry.get("link"):
        return None
    try:
        link = urljoin(base_url or "", entry["link"])
        urlsplit(link)
    except ValueError:
        return None
    return link


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
                   reference_date: date | None, fetch: Fetcher | None,
                   limits: Limits = DEFAULT_LIMITS) -> Iterator[RawDocument | ReadFailure]:
    """The item documents of a feed's bytes; SourceError when they are not a feed."""
    if len(data) > limits.max_feed_bytes:
        raise LimitExceeded(f"feed larger than {size_text(limits.max_feed_bytes)} (size limit)")
    if problem := unsafe_entities(data):
        raise SourceError(f"XML {problem}")
    try:
        parsed = feedparser.parse(io.BytesIO(data))
    except Exception as err:  # noqa: BLE001 - feedparser has bugs on broken input (a non-ASCII encoding name)
        raise SourceError(f"not a readable feed ({type(err).__name__} in feedparser: {one_line(err)[:80]})") from None
    if not parsed.get("version") and not parsed.entries:
        raise SourceError("not an RSS or Atom feed")
    if not parsed.entries:
        raise SourceError("feed has no items")
    if len(parsed.entries) > limits.max_records:
        yield ReadFailure(source, f"more than {limits.max_records} items (record limit); the rest is not read")
    used: set[str] = set()
    for number, entry in enumerate(parsed.entries[: limits.max_records], 1):
        link = _item_link(entry, base_url)
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
