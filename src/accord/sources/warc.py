"""Documents of a WARC file (plain or gzip): one per `response` record with an HTML or text payload.

The N-th response record is document `STEM-N`; its source is `path#offset` (the record's
byte offset), its URL the WARC-Target-URI and its reference date the WARC-Date. Records
are read one at a time. A truncated or corrupt record ends the file with a failure that
gives its byte offset; the records before it are kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from accord.records import RawDocument, ReadFailure
from accord.sources.dates import date_of
from accord.sources.errors import SourceError, one_line, size_text
from accord.sources.fetch import media_type
from accord.sources.pages import page_document
from accord.sources.streams import Counted

PAYLOAD_KINDS = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text"}
"""The payload media types read as documents, and the kind each gives."""


def _payload(record) -> tuple[str | None, str | None, bool]:
    """The kind (None when not a page) and charset of a response record, and whether it succeeded."""
    if record.http_headers is not None:
        status = record.http_headers.get_statuscode() or ""
        kind, charset = media_type(record.http_headers.get_header("Content-Type"))
        return PAYLOAD_KINDS.get(kind or ""), charset, status.startswith("2")
    kind, charset = media_type(record.rec_headers.get_header("Content-Type"))
    return PAYLOAD_KINDS.get(kind or ""), charset, True


def _truncated(offset: int, detail: str = "") -> str:
    """The reason given for a WARC that breaks off at `offset`."""
    return f"truncated or corrupt WARC data at byte offset {offset}" + (f" ({detail})" if detail else "")


def _ends_early(record) -> bool:
    """Read the rest of a record's block; True when the file ends before its Content-Length."""
    while record.raw_stream.read(1 << 16):
        pass
    return getattr(record.raw_stream, "limit", 0) > 0


def warc_documents(stream: BinaryIO, *, source: str, stem: str, reference_date: date | None,
                   max_bytes: int) -> Iterator[RawDocument | ReadFailure]:
    """The page documents of a WARC stream, lazily; failures for bad records (each naming its offset)."""
    counted = Counted(stream)
    records = ArchiveIterator(counted)
    number = 0
    try:
        for record in records:
            offset = records.offset
            where = f"{source}#{offset}"
            if record.format != "warc":
                yield ReadFailure(where, _truncated(offset, "no WARC record header"))
                return
            if record.rec_type is None or record.length is None:
                yield ReadFailure(where, _truncated(offset, "record header ends early"))
                return
            wanted = False
            if record.rec_type == "response":
                number += 1
                kind, charset, succeeded = _payload(record)
                wanted = kind is not None and succeeded
            data = record.content_stream().read(max_bytes + 1) if wanted else b""
            if _ends_early(record):
                yield ReadFailure(where, _truncated(offset, "record ends early"))
                return
            if not wanted:
                continue
            if len(data) > max_bytes:
                yield ReadFailure(where, f"record at byte offset {offset} larger than {size_text(max_bytes)} (size limit)")
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI")
            day = date_of(record.rec_headers.get_header("WARC-Date")) or reference_date
            try:
                yield page_document(data, doc=f"{stem}-{number}", source=where, kind=kind, charset=charset,
                                    url=uri, reference_date=day)
            except SourceError as err:
                yield ReadFailure(where, f"record at byte offset {offset}: {err}")
    except Exception as err:  # noqa: BLE001 - warcio raises many kinds on broken input
        detail = one_line(err)[:100] if isinstance(err, ArchiveLoadFailed) else ""
        yield ReadFailure(f"{source}#{records.offset}", _truncated(records.offset, detail))
        return
    if records.offset < counted.drained():
        yield ReadFailure(f"{source}#{records.offset}", _truncated(records.offset))
