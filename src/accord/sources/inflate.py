"""Gzip data decompressed in bounded steps, with a guard against gzip bombs.

`Inflated` reads a gzip stream of one or more members (as WARC.gz files are: one member a
record) and gives its decompressed bytes at most `step` at a time, so no single call can
blow up memory. It counts compressed and decompressed bytes and refuses (LimitExceeded) to
go on when the output passes `Limits.max_expanded`, or grows more than `Limits.max_ratio`
times larger than the input once past `Limits.bomb_floor`. It remembers where each member
starts in the compressed file, so a WARC record can be named by its usual byte offset.
Truncated or corrupt data raises CorruptData naming the byte offset where it was found;
with `resync`, bytes between members that are not gzip are skipped up to the next member
instead, and noted in `skipped` for the caller to report.
"""

from __future__ import annotations

import io
import zlib
from collections import deque
from typing import BinaryIO

from accord.sources.errors import CorruptData, LimitExceeded, size_text
from accord.sources.limits import Limits

GZIP_MAGIC = b"\x1f\x8b"
MEMBER_START = GZIP_MAGIC + b"\x08"
"""The magic bytes and the deflate method: how every gzip member starts."""
STEP = 1 << 16
_PADDING = b"\x00\r\n\t "
"""Bytes tolerated after the last member (some tools pad files with zeros or a newline)."""


class Inflated(io.RawIOBase):
    """The decompressed bytes of a gzip stream, read in steps of at most `step` bytes."""

    def __init__(self, stream: BinaryIO, limits: Limits, step: int = STEP, resync: bool = False) -> None:
        self._stream = stream
        self._resync = resync
        self.skipped: list[tuple[int, int]] = []
        """(byte offset, size) of each run of bytes between members that was skipped (with `resync`)."""
        self._limits = limits
        self._step = step
        self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._pending = b""
        self._leftover = memoryview(b"")
        self._finished = False
        self.consumed = 0
        """Compressed bytes read from the stream so far."""
        self.produced = 0
        """Decompressed bytes given out so far."""
        self._members: deque[tuple[int, int]] = deque([(0, 0)])

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        if not self._leftover:
            self._leftover = memoryview(self.chunk())
        n = min(len(buffer), len(self._leftover))
        buffer[:n] = self._leftover[:n]
        self._leftover = self._leftover[n:]
        return n

    def chunk(self) -> bytes:
        """The next decompressed bytes (at most `step` of them); b"" at the end of the data."""
        while not self._finished:
            if self._inflater.eof and not self._next_member():
                self._finished = True
                break
            if not self._pending and not self._fill():
                raise CorruptData(f"gzip data ends early (truncated at byte offset {self.consumed})")
            try:
                out = self._inflater.decompress(self._pending, self._step)
            except zlib.error as err:
                raise CorruptData(f"corrupt gzip data before byte offset {self.consumed} ({err})") from None
            self._pending = self._inflater.unused_data if self._inflater.eof else self._inflater.unconsumed_tail
            if out:
                self.produced += len(out)
                self._check()
                return out
        return b""

    def member_offset(self, position: int) -> int:
        """The compressed byte offset of the member holding decompressed byte `position`.

        Members wholly before `position` are forgotten: positions must not go backwards.
        """
        while len(self._members) > 1 and self._members[1][0] <= position:
            self._members.popleft()
        return self._members[0][1]

    def _fill(self) -> bool:
        """Read more compressed bytes into `_pending`; False at the end of the stream."""
        data = self._stream.read(self._step)
        self.consumed += len(data)
        self._pending += data
        return bool(data)

    def _next_member(self) -> bool:
        """Start the next member after the end of one; False when only padding (or nothing) follows."""
        while len(self._pending) < len(GZIP_MAGIC) and self._fill():
            pass
        while self._pending and not self._pending.strip(_PADDING):
            self._pending = b""
            self._fill()
        if not self._pending:
            return False
        start = self.consumed - len(self._pending)
        if not self._pending.startswith(GZIP_MAGIC):
            if not self._resync:
                raise CorruptData(f"data that is not gzip at byte offset {start}")
            if not self._skip_to_member():
                return False
            start = self.consumed - len(self._pending)
        self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._members.append((self.produced, start))
        return True

    def _skip_to_member(self) -> bool:
        """Skip to the next gzip member header, noting what was skipped; False when none follows."""
        start = self.consumed - len(self._pending)
        while (found := self._pending.find(MEMBER_START)) < 0:
            self._pending = self._pending[-(len(MEMBER_START) - 1):]
            if not self._fill():
                self.skipped.append((start, self.consumed - start))
                return False
        self._pending = self._pending[found:]
        self.skipped.append((start, self.consumed - len(self._pending) - start))
        return True

    def _check(self) -> None:
        """Refuse to go on past the decompression caps."""
        limits = self._limits
        if self.produced > limits.max_expanded:
            raise LimitExceeded(f"gzip data expands to more than {size_text(limits.max_expanded)} "
                                "(decompression limit)")
        if self.produced > limits.bomb_floor and self.produced > limits.max_ratio * self.consumed:
            raise LimitExceeded(f"gzip data expands more than {limits.max_ratio}-fold, past "
                                f"{size_text(self.produced)} from {size_text(self.consumed)} "
                                "(decompression limit: a gzip bomb?)")


def gunzipped(stream: BinaryIO, limits: Limits) -> io.BufferedReader:
    """A buffered reader of the decompressed bytes of a gzip stream (errors as SourceErrors)."""
    return io.BufferedReader(Inflated(stream, limits))
