"""The sources stage: read every input into RawDocuments, or ReadFailures saying why not.

Inputs are files (text captures, HTML, WARC/WARC.gz, JSONL/NDJSON (.gz), RSS/Atom feeds),
folders (walked recursively, sorted, honouring `.accordignore`), URLs (fetched politely)
and "-" for standard input (sniffed). Everything is read lazily, one document at a time,
and nothing raises: an input that cannot be read gives a ReadFailure and the run goes on.

Inputs may be hostile. Memory and time per input are bounded by the caps of `Limits`
(size, decompressed size, records, HTML nesting); reading local files opens no network
connection and XML entities are never expanded from outside the document. Everything
that comes out passes one last check (accord.sources.edge): sources and names are made printable
on one line, text loses lone surrogates and has its mojibake repaired, and HTML nested
past the depth cap becomes a failure.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import BinaryIO

from accord.records import RawDocument, ReadFailure
from accord.sources.edge import checked
from accord.sources.errors import one_line
from accord.sources.fetch import MAX_FETCH_BYTES, USER_AGENT, Fetched, Fetcher, FetchError, HttpFetcher
from accord.sources.files import input_files
from accord.sources.limits import DEFAULT_LIMITS, Limits
from accord.sources.local import file_documents, stream_documents
from accord.sources.remote import url_documents

__all__ = [
    "DEFAULT_LIMITS", "MAX_FETCH_BYTES", "MAX_FILE_BYTES", "USER_AGENT", "FetchError", "Fetched", "Fetcher",
    "HttpFetcher", "Limits", "read_inputs",
]

MAX_FILE_BYTES = DEFAULT_LIMITS.max_bytes
"""Largest single page file read (WARC and JSONL files are streamed; this caps each record)."""

STDIN = "-"
STDIN_SOURCE = "<stdin>"


def is_url(text: str) -> bool:
    """True for http and https URLs."""
    return text.lower().startswith(("http://", "https://"))


def read_inputs(inputs: Iterable[str], *, reference_date: date | None = None, fetch: Fetcher | None = None,
                max_bytes: int | None = None, stdin: BinaryIO | None = None,
                limits: Limits | None = None) -> Iterator[RawDocument | ReadFailure]:
    """One RawDocument per document of the inputs, or one ReadFailure per input (or part) that cannot be read.

    `reference_date` applies to documents whose input gives no date of its own (a WARC-Date,
    a JSONL `published`, a feed item's date take precedence); URLs fall back to the day of
    the fetch. `fetch` fetches URLs (default: an HttpFetcher); for local feed files it is
    used, when given, to fetch the pages of items that carry only a summary. `limits` caps
    what one input may cost (default: DEFAULT_LIMITS); `max_bytes`, when given, replaces its
    cap on a single page, WARC record or JSONL line. `stdin` replaces standard input.
    """
    limits = limits or DEFAULT_LIMITS
    if max_bytes is not None:
        limits = replace(limits, max_bytes=max_bytes)
    for item in _read(inputs, reference_date=reference_date, fetch=fetch, stdin=stdin, limits=limits):
        yield checked(item, limits)


def _read(inputs: Iterable[str], *, reference_date: date | None, fetch: Fetcher | None, stdin: BinaryIO | None,
          limits: Limits) -> Iterator[RawDocument | ReadFailure]:
    """What `read_inputs` gives, before the last check."""
    default_fetcher: HttpFetcher | None = None
    try:
        for entry in inputs:
            given = entry if isinstance(entry, str) else os.fspath(entry)
            try:
                if given == STDIN:
                    stream = stdin if stdin is not None else sys.stdin.buffer
                    yield from stream_documents(stream, source=STDIN_SOURCE, stem="stdin", fmt=None,
                                                reference_date=reference_date, fetch=fetch, limits=limits)
                elif is_url(given):
                    if fetch is None and default_fetcher is None:
                        default_fetcher = HttpFetcher()
                    yield from url_documents(given, fetch=fetch or default_fetcher, reference_date=reference_date,
                                             limits=limits)
                else:
                    yield from _path_documents(Path(given), reference_date=reference_date, fetch=fetch,
                                               limits=limits)
            except Exception as err:  # noqa: BLE001 - reading one input must never stop the run
                yield ReadFailure(given, f"could not be read: {type(err).__name__}: {one_line(err)}")
    finally:
        if default_fetcher is not None:
            default_fetcher.close()


def _path_documents(path: Path, *, reference_date: date | None, fetch: Fetcher | None,
                    limits: Limits) -> Iterator[RawDocument | ReadFailure]:
    """The documents of a file, or of every input file under a folder."""
    if not path.is_dir():
        yield from file_documents(path, reference_date=reference_date, fetch=fetch, limits=limits)
        return
    for item in input_files(path):
        if isinstance(item, ReadFailure):
            yield item
        else:
            yield from file_documents(item, reference_date=reference_date, fetch=fetch, limits=limits)
