"""Documents of local inputs: one file, or a byte stream such as standard input.

The format comes from the file's extension, else from sniffing its first bytes; gzip is
undone on the way (WARC files undo their own). Containers (WARC, JSONL) are streamed
record by record; a single page or feed is read whole, up to a size cap.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import BinaryIO

from accord.records import RawDocument, ReadFailure
from accord.sources.errors import SourceError, one_line, size_text
from accord.sources.feeds import feed_documents
from accord.sources.fetch import Fetcher
from accord.sources.formats import extension_format, sniffed_format
from accord.sources.jsonl import jsonl_documents
from accord.sources.names import stem
from accord.sources.pages import page_document
from accord.sources.streams import capped_bytes, peeked
from accord.sources.warc import warc_documents

STREAMED_FORMATS = frozenset({"warc", "jsonl"})
"""Formats read record by record, so the whole-file size cap does not apply to them."""


def _opening_failure(err: OSError) -> str:
    """The reason a file could not be opened."""
    if isinstance(err, FileNotFoundError):
        return "no such file or directory"
    if isinstance(err, PermissionError):
        return "permission denied"
    if isinstance(err, IsADirectoryError):
        return "is a folder"
    return f"cannot be read: {one_line(err.strerror or err)}"


def file_documents(path: Path, *, reference_date: date | None, fetch: Fetcher | None,
                   max_bytes: int) -> Iterator[RawDocument | ReadFailure]:
    """The documents of one file; failures when it is missing, unreadable, empty or too big."""
    source = str(path)
    fmt = extension_format(path.name)
    try:
        handle = path.open("rb")
    except OSError as err:
        yield ReadFailure(source, _opening_failure(err))
        return
    with handle:
        size = os.fstat(handle.fileno()).st_size
        if size == 0:
            yield ReadFailure(source, "empty file")
        elif size > max_bytes and fmt not in STREAMED_FORMATS:
            yield ReadFailure(source, f"larger than {size_text(max_bytes)} (size limit; file is {size_text(size)})")
        else:
            yield from stream_documents(handle, source=source, stem=stem(path.name), fmt=fmt,
                                        reference_date=reference_date, fetch=fetch, max_bytes=max_bytes)


def stream_documents(stream: BinaryIO, *, source: str, stem: str, fmt: str | None, reference_date: date | None,
                     fetch: Fetcher | None, max_bytes: int) -> Iterator[RawDocument | ReadFailure]:
    """The documents of a byte stream in format `fmt` (None: sniffed); failures instead of errors."""
    try:
        head, stream = peeked(stream)
        if not head:
            yield ReadFailure(source, "empty file")
            return
        sniffed, compressed = sniffed_format(head)
        fmt = fmt or sniffed
        if fmt == "warc":
            yield from warc_documents(stream, source=source, stem=stem, reference_date=reference_date,
                                      max_bytes=max_bytes)
            return
        if compressed:
            stream = gzip.GzipFile(fileobj=stream, mode="rb")
        if fmt == "jsonl":
            yield from jsonl_documents(stream, source=source, stem=stem, reference_date=reference_date,
                                       max_bytes=max_bytes)
            return
        data = capped_bytes(stream, max_bytes)
        if fmt == "feed":
            yield from feed_documents(data, source=source, stem=stem, base_url=None,
                                      reference_date=reference_date, fetch=fetch)
        else:
            yield page_document(data, doc=stem, source=source, kind=fmt, reference_date=reference_date)
    except SourceError as err:
        yield ReadFailure(source, str(err))
    except (EOFError, zlib.error, gzip.BadGzipFile) as err:
        yield ReadFailure(source, f"truncated or corrupt gzip data ({one_line(err)})")
    except OSError as err:
        yield ReadFailure(source, _opening_failure(err))
