"""Documents of a JSONL file (plain or gzip): one article a line, with `text` or `html`.

Optional fields: `id` (the document name, else `STEM-N` for line N), `url`, `title`,
`published` (kept as given; its day is the document's reference date). A broken line is
a failure naming `file:line` and reading goes on; lines are read one at a time.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from datetime import date
from typing import BinaryIO

from accord.records import RawDocument, ReadFailure
from accord.sources.dates import date_of
from accord.sources.errors import LimitExceeded, SourceError, one_line, size_text
from accord.sources.limits import Limits

CONTENT_FIELDS = (("text", "text"), ("html", "html"))
"""The content fields, in order of preference, and the document kind each gives."""


def _optional_text(item: dict, name: str) -> str | None:
    """An optional string field of a line; SourceError when it is there but not a string."""
    value = item.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise SourceError(f"'{name}' is not a string")
    return value


def article_document(item: object, *, doc: str, source: str, reference_date: date | None) -> RawDocument:
    """The document of one parsed JSONL line; SourceError when the line is not a usable article."""
    if not isinstance(item, dict):
        raise SourceError(f"not a JSON object but {type(item).__name__}")
    found = [(kind, text) for name, kind in CONTENT_FIELDS if (text := _optional_text(item, name)) and text.strip()]
    if not found:
        raise SourceError("no non-empty 'text' or 'html' field")
    kind, content = found[0]
    given_id = item.get("id")
    if isinstance(given_id, str | int) and not isinstance(given_id, bool) and str(given_id).strip():
        doc = str(given_id).strip()
    published = _optional_text(item, "published")
    return RawDocument(doc=doc, source=source, kind=kind, content=content.removeprefix("\ufeff"),
                       url=_optional_text(item, "url"), title=_optional_text(item, "title"),
                       published=published, reference_date=date_of(published) or reference_date)


def _skip_rest_of_line(stream: BinaryIO, chunk: int = 1 << 16) -> None:
    """Read past the end of an overlong line without keeping it."""
    while (part := stream.readline(chunk)) and not part.endswith(b"\n"):
        pass


def _line_item(line: bytes) -> object:
    """The JSON value of one line; SourceError saying why when it is not valid JSON in UTF-8."""
    try:
        text = line.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as err:
        raise SourceError(f"not UTF-8 (byte {err.start + 1})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise SourceError(f"invalid JSON: {err.msg} (column {err.colno})") from None
    except RecursionError:
        raise SourceError("invalid JSON: nested too deeply") from None
    except ValueError as err:
        raise SourceError(f"invalid JSON: {one_line(err).split(':')[0][:100]}") from None


def jsonl_documents(stream: BinaryIO, *, source: str, stem: str, reference_date: date | None,
                    limits: Limits) -> Iterator[RawDocument | ReadFailure]:
    """The article documents of a JSONL stream, lazily; a failure per broken line."""
    number, seen = 0, False
    while True:
        try:
            line = stream.readline(limits.max_bytes + 1)
            if line and number >= limits.max_records:
                raise LimitExceeded(f"more than {limits.max_records} lines (record limit); the rest is not read")
            if len(line) > limits.max_bytes:
                _skip_rest_of_line(stream)
        except SourceError as err:
            yield ReadFailure(f"{source}:{number + 1}", f"{err} (after line {number})")
            return
        except (EOFError, OSError, zlib.error) as err:
            yield ReadFailure(f"{source}:{number + 1}",
                              f"truncated or corrupt gzip data after line {number} ({one_line(err)})")
            return
        if not line:
            if not seen:
                yield ReadFailure(source, "no JSON lines (only blank lines)")
            return
        number += 1
        where = f"{source}:{number}"
        if len(line) > limits.max_bytes:
            yield ReadFailure(where, f"line larger than {size_text(limits.max_bytes)} (size limit)")
            continue
        if not line.strip():
            continue
        seen = True
        try:
            yield article_document(_line_item(line), doc=f"{stem}-{number}", source=where,
                                   reference_date=reference_date)
        except SourceError as err:
            yield ReadFailure(where, str(err))
