"""Documents of local inputs: one file, or a byte stream such as standard input.

The format comes from the file's extension, else from sniffing its first bytes; gzip is
undone on the way (WARC files undo their own), in bounded steps and refusing gzip bombs.
Containers (WARC, JSONL) are streamed record by record; a single page or feed is read
whole, up to a size cap. A regular file's size is checked before any of it is read; a
device or pipe given by name is read like standard input, up to the same caps.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import BinaryIO

from accord.records import RawDocument, ReadFailure
from accord.sources.errors import SourceError, one_line, size_text
from accord.sources.feeds import feed_documents
from accord.sources.fetch import Fetcher
from accord.sources.formats import extension_format, sniffed_format
from accord.sources.inflate import gunzipped
from accord.sources.jsonl import jsonl_documents
from accord.sources.limits import Limits
from accord.sources.names import shown, stem
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


def _size_cap(fmt: str | None, limits: Limits) -> int | None:
    """The largest file of format `fmt` read whole (None: streamed, no whole-file cap)."""
    if fmt in STREAMED_FORMATS:
        return None
    return limits.max_feed_bytes if fmt == "feed" else limits.max_bytes


def file_documents(path: Path, *, reference_date: date | None, fetch: Fetcher | None,
                   limits: Limits) -> Iterator[RawDocument | ReadFailure]:
    """The documents of one file; failures when it is missing, unreadable, empty or too big."""
    source = shown(str(path))
    fmt = extension_format(path.name)
    try:
        handle = path.open("rb")
    except OSError as err:
        yield ReadFailure(source, _opening_failure(err))
        return
    with handle:
        info = os.fstat(handle.fileno())
        cap = _size_cap(fmt, limits)
        if stat.S_ISREG(info.st_mode) and info.st_size == 0:
            yield ReadFailure(source, "empty file")
        elif stat.S_ISREG(info.st_mode) and cap is not None and info.st_size > cap:
            yield ReadFailure(source, f"larger than {size_text(cap)} (size limit; file is {size_text(info.st_size)})")
        else:
            yield from stream_documents(handle, source=source, stem=stem(path.name), fmt=fmt,
                                        reference_date=reference_date, fetch=fetch, limits=limits)


def stream_documents(stream: BinaryIO, *, source: str, stem: str, fmt: str | None, reference_date: date | None,
                     fetch: Fetcher | None, limits: Limits) -> Iterator[RawDocument | ReadFailure]:
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
                                      limits=limits, compressed=compressed)
            return
        if compressed:
            stream = gunzipped(stream, limits)
        if fmt == "jsonl":
            yield from jsonl_documents(stream, source=source, stem=stem, reference_date=reference_date,
                                       limits=limits)
            return
        if fmt == "feed":
            data = capped_bytes(stream, limits.max_feed_bytes, "feed")
            yield from feed_documents(data, source=source, stem=stem, base_url=None,
                                      reference_date=reference_date, fetch=fetch, limits=limits)
        else:
            data = capped_bytes(stream, limits.max_bytes)
            yield page_document(data, doc=stem, source=source, kind=fmt, reference_date=reference_date)
    except SourceError as err:
        yield ReadFailure(source, str(err))
    except OSError as err:
        yield ReadFailure(source, _opening_failure(err))
