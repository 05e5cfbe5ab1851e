"""One RawDocument from the bytes of one page (a text capture or an HTML page).

HTML is only read here (decoded, BOM removed); cleaning it is the clean stage's job.
"""

from __future__ import annotations

from datetime import date

from accord.records import RawDocument
from accord.sources.decoding import decoded_text
from accord.sources.errors import SourceError


def page_document(data: bytes, *, doc: str, source: str, kind: str, charset: str | None = None,
                  url: str | None = None, title: str | None = None, published: str | None = None,
                  reference_date: date | None = None) -> RawDocument:
    """The document of one page's bytes; SourceError when they are empty or binary."""
    if not data:
        raise SourceError("empty (no content)")
    content = decoded_text(data, charset)
    if not content.strip():
        raise SourceError("empty (only whitespace)")
    return RawDocument(doc=doc, source=source, kind=kind, content=content, url=url, title=title,
                       published=published, reference_date=reference_date)
