"""Documents of a WARC file (plain or gzip): one per `response` record with an HTML or text payload.

The N-th response record is document `STEM-N`; its source is `path#offset` (the record's
byte offset), its URL the WARC-Target-URI and its reference date the WARC-Date. Records
are read one at a time (accord.sources.warc_records). A broken record, or bytes between
records that are not records, give a failure naming their byte offset and the records
after them are still read; data that ends early or corrupt gzip data ends the file with
a failure, keeping the records before it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import BinaryIO

from accord.records import RawDocument, ReadFailure
from accord.sources.dates import date_of
from accord.sources.errors import SourceError, size_text
from accord.sources.fetch import media_type
from accord.sources.http_payload import HttpResponse, decoded_body, http_response
from accord.sources.limits import Limits
from accord.sources.pages import page_document
from accord.sources.warc_records import Damage, WarcRecord, warc_records

PAYLOAD_KINDS = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text"}
"""The payload media types read as documents, and the kind each gives."""

HTTP_SCHEMES = ("http:", "https:")


def _target_uri(record: WarcRecord) -> str:
    """The record's WARC-Target-URI (some writers put it in angle brackets)."""
    return record.fields.get("warc-target-uri", "").strip().removeprefix("<").removesuffix(">")


def _page_kind(record: WarcRecord) -> tuple[str | None, str | None, HttpResponse | None]:
    """The document kind (None when the record is not a successful page), charset and HTTP
    response (None when it holds none) of a record."""
    if record.type != "response":
        return None, None, None
    response = None
    if _target_uri(record).lower().startswith(HTTP_SCHEMES):
        response = http_response(record.head)
    if response is None:
        kind, charset = media_type(record.fields.get("content-type"))
    elif not response.succeeded:
        return None, None, response
    else:
        kind, charset = media_type(response.headers.get("content-type"))
    return PAYLOAD_KINDS.get(kind or ""), charset, response


def _payload(record: WarcRecord, response: HttpResponse | None, limits: Limits) -> bytes:
    """The page bytes of a kept record: its HTTP body decoded, or its whole block."""
    block = record.block or b""
    if response is None:
        return block
    return decoded_body(block[response.body_start:], response, limits.max_bytes)


def warc_documents(stream: BinaryIO, *, source: str, stem: str, reference_date: date | None,
                   limits: Limits, compressed: bool) -> Iterator[RawDocument | ReadFailure]:
    """The page documents of a WARC stream, lazily; failures for bad records (each naming its offset)."""
    number = 0
    kinds: dict[int, tuple[str | None, str | None, HttpResponse | None]] = {}

    def keep(record: WarcRecord) -> bool:
        kinds[record.offset] = found = _page_kind(record)
        return found[0] is not None

    for record in warc_records(stream, compressed=compressed, limits=limits, keep=keep):
        if isinstance(record, Damage):
            yield ReadFailure(f"{source}#{record.offset}", record.reason)
            continue
        where, offset = f"{source}#{record.offset}", record.offset
        number += record.type == "response"
        if record.problem:
            yield ReadFailure(where, f"broken WARC record at byte offset {offset}: {record.problem}")
            continue
        kind, charset, response = kinds.pop(record.offset, None) or _page_kind(record)
        kinds.clear()  # what `keep` saw of records that never got here
        if kind is None:
            continue
        if record.block is None:
            yield ReadFailure(where, f"record at byte offset {offset} larger than {size_text(limits.max_bytes)} "
                                     "(size limit)")
            continue
        try:
            yield page_document(_payload(record, response, limits), doc=f"{stem}-{number}", source=where, kind=kind,
                                charset=charset, url=_target_uri(record) or None,
                                reference_date=date_of(record.fields.get("warc-date")) or reference_date)
        except SourceError as err:
            yield ReadFailure(where, f"record at byte offset {offset}: {err}")
