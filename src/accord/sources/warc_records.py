"""The records of a WARC file (plain or gzip), read one at a time with every read bounded.

A record is a `WARC/1.x` line, header lines up to a blank line, a block of exactly
Content-Length bytes, and a blank-line trailer. Each record is named by its byte offset
(in a WARC.gz file, the offset of the gzip member it starts in, as CDX indexes do).

Broken input gives failures naming the offset and the reading goes on where it can:
bytes that are not a record (garbage between records) are skipped up to the next line
starting `WARC/`; a record whose Content-Length does not end where its trailer is gets a
failure and the reader resynchronises after it; data that ends early or corrupt gzip
data ends the file with a failure. Header lines, header counts, the bytes kept of a
block and the number of records are capped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from accord.sources.errors import LimitExceeded, SourceError
from accord.sources.inflate import Inflated
from accord.sources.limits import Limits
from accord.sources.streams import HEAD_BYTES, Chunked

MAX_LINE = 1 << 16
"""Longest WARC header line read."""

MAX_HEADER_LINES = 1000
"""Most header lines a record may have."""

KEEP_HEAD = 1 << 16
"""Bytes of a block read before deciding whether to keep the rest of it."""


@dataclass
class WarcRecord:
    """One WARC record: where it starts, its header fields (names in lower case) and its block.

    `block` holds the whole block when the record was kept and is not over the size cap;
    `head` its first bytes. `problem` is set (and the record is to be reported, not read)
    when the record is broken.
    """

    offset: int
    fields: dict[str, str] = field(default_factory=dict)
    length: int = 0
    head: bytes = b""
    block: bytes | None = None
    problem: str | None = None

    @property
    def type(self) -> str:
        return self.fields.get("warc-type", "").lower()


@dataclass(frozen=True)
class Damage:
    """Bytes that are not WARC records, or a record that ends the file, at a byte offset."""

    offset: int
    reason: str
    fatal: bool = False


Keep = Callable[[WarcRecord], bool]
"""Decides from a record's fields and head whether its whole block is wanted."""


class _Reader:
    """The byte stream of a WARC file and the offsets to name its records by."""

    def __init__(self, stream: BinaryIO, compressed: bool, limits: Limits) -> None:
        self.inflated = Inflated(stream, limits, resync=True) if compressed else None
        if self.inflated is not None:
            self.data = Chunked(self.inflated.chunk)
            self.offset_of: Callable[[int], int] = self.inflated.member_offset
        else:
            self.data = Chunked(lambda: stream.read(HEAD_BYTES))
            self.offset_of = int

    def skipped(self) -> Iterator[Damage]:
        """The runs of bytes between gzip members skipped since last asked."""
        if self.inflated is None:
            return
        for offset, size in self.inflated.skipped:
            yield Damage(offset, f"not gzip data at byte offset {offset} ({size} bytes skipped)")
        self.inflated.skipped.clear()

    def skip_garbage(self) -> int:
        """Pass over bytes up to the next line that starts `WARC/`; how many were passed."""
        skipped, at_line_start = 0, True
        while not (at_line_start and self.data.peek(5) == b"WARC/"):
            piece = self.data.readline(MAX_LINE)
            if not piece:
                break
            skipped += len(piece)
            at_line_start = piece.endswith(b"\n")
        return skipped

    def header_fields(self) -> tuple[dict[str, str], str | None, bool]:
        """The header fields after the version line, a problem if any, and whether the data ended."""
        fields: dict[str, str] = {}
        last = ""
        for _ in range(MAX_HEADER_LINES + 1):
            line = self.data.readline(MAX_LINE)
            if not line:
                return fields, "record header ends early", True
            if not line.endswith(b"\n"):
                if len(line) < MAX_LINE:
                    return fields, "record header ends early", True
                return fields, f"record header line longer than {MAX_LINE} bytes", False
            if not line.strip():
                return fields, None, False
            text = line.decode("utf-8", "replace").strip()
            if line[:1] in (b" ", b"\t") and last:
                fields[last] += " " + text
                continue
            name, sep, value = text.partition(":")
            if sep and name.strip():
                last = name.strip().lower()
                fields[last] = value.strip()
        return fields, f"more than {MAX_HEADER_LINES} header lines", False

    def ends_record(self) -> bool:
        """Read the line breaks that end a record's block; False when they are not there.

        The standard end is CRLF CRLF; two breaks of any kind are taken, one only when the
        data ends or a record follows, none only at the end of the data.
        """
        tail = self.data.peek(4)
        breaks = len(tail) - len(tail.lstrip(b"\r\n"))
        self.data.skip(breaks)
        if breaks >= 2:
            return True
        following = self.data.peek(5)
        return not following or (breaks == 1 and following == b"WARC/")


def _content_length(fields: dict[str, str]) -> int | None:
    value = fields.get("content-length", "")
    return int(value) if value.isdigit() and len(value) <= 18 else None


def warc_records(stream: BinaryIO, *, compressed: bool, limits: Limits,
                 keep: Keep) -> Iterator[WarcRecord | Damage]:
    """The records of a WARC stream, lazily, and the damage found between or in them."""
    reader = _Reader(stream, compressed, limits)
    data = reader.data
    count, where, written = 0, 0, False
    try:
        while True:
            start = data.pos
            line = data.readline(MAX_LINE)
            yield from reader.skipped()
            if not line:
                if not written:
                    yield Damage(0, "no WARC records (only blank lines)")
                return
            where = reader.offset_of(start)
            if not line.strip():
                continue
            written = True
            if not line.startswith(b"WARC/"):
                skipped = len(line) + reader.skip_garbage()
                yield Damage(where, f"not WARC data at byte offset {where} ({skipped} bytes skipped)")
                continue
            count += 1
            if count > limits.max_records:
                yield Damage(where, f"more than {limits.max_records} records (record limit); the rest is not read",
                             fatal=True)
                return
            yield from _record(reader, where, limits, keep)
    except LimitExceeded as err:
        yield Damage(where, f"WARC data from byte offset {where} not read: {err}", fatal=True)
    except SourceError as err:
        yield Damage(where, f"truncated or corrupt WARC data at byte offset {where} ({err})", fatal=True)


def _record(reader: _Reader, offset: int, limits: Limits, keep: Keep) -> Iterator[WarcRecord | Damage]:
    """The record whose version line was just read, or the damage that ends it."""
    data = reader.data
    fields, problem, ended = reader.header_fields()
    record = WarcRecord(offset, fields)
    if ended:
        yield Damage(offset, f"truncated WARC data at byte offset {offset} ({problem})", fatal=True)
        return
    length = _content_length(fields)
    if problem or length is None:
        problem = problem or "record header has no valid Content-Length"
        record.problem = f"{problem} ({reader.skip_garbage()} bytes skipped)"
        yield record
        return
    record.length = length
    record.head = data.read(min(length, KEEP_HEAD))
    got = len(record.head)
    if got == min(length, KEEP_HEAD) and keep(record) and length <= limits.max_bytes:
        record.block = record.head + data.read(length - got)
        got = len(record.block)
    else:
        got += data.skip(length - got)
    if got < length:
        yield Damage(offset, f"truncated WARC data at byte offset {offset} (record ends {length - got} bytes early)",
                     fatal=True)
        return
    if not reader.ends_record():
        skipped = reader.skip_garbage()
        record.block = None
        record.problem = (f"Content-Length {length} does not end the record "
                          f"(no record end after it; {skipped} bytes skipped)")
    yield record
