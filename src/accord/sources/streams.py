"""Byte streams for reading inputs lazily: sniff the head without losing it, cap reads, read lines bounded."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import BinaryIO

from accord.sources.errors import SourceError, size_text

HEAD_BYTES = 65536
"""How much of an input is looked at to decide its format."""


class _Replayed(io.RawIOBase):
    """A stream whose first bytes were already read, giving them again before the rest."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def peeked(stream: BinaryIO, size: int = HEAD_BYTES) -> tuple[bytes, BinaryIO]:
    """The first `size` bytes of a stream, and a stream that reads it all from the start.

    Works on pipes (standard input) as well as files: nothing is seeked.
    """
    chunks, got = [], 0
    while got < size and (chunk := stream.read(size - got)):
        chunks.append(chunk)
        got += len(chunk)
    head = b"".join(chunks)
    return head, io.BufferedReader(_Replayed(head, stream))


def capped_bytes(stream: BinaryIO, limit: int, what: str = "file") -> bytes:
    """All bytes of a stream, refusing (SourceError) to hold more than `limit` of them."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise SourceError(f"{what} larger than {size_text(limit)} (size limit)")
    return data


class Chunked:
    """A byte stream read from a source of chunks, with bounded lines, peeking and skipping.

    `pos` is the number of bytes consumed so far. Nothing ever holds more than a line's
    `limit`, a `read`'s size or a `peek`'s size beyond one chunk, whatever the data holds
    (a file with no line breaks at all, say).
    """

    def __init__(self, next_chunk: Callable[[], bytes]) -> None:
        self._next_chunk = next_chunk
        self._buffer = bytearray()
        self._eof = False
        self.pos = 0

    def _fill(self) -> bool:
        """Append the next chunk to the buffer; False at the end of the data."""
        if self._eof:
            return False
        chunk = self._next_chunk()
        if not chunk:
            self._eof = True
            return False
        self._buffer += chunk
        return True

    def _take(self, n: int) -> bytes:
        data = bytes(self._buffer[:n])
        del self._buffer[:n]
        self.pos += len(data)
        return data

    def peek(self, n: int) -> bytes:
        """The next `n` bytes (fewer at the end), left unread."""
        while len(self._buffer) < n and self._fill():
            pass
        return bytes(self._buffer[:n])

    def readline(self, limit: int) -> bytes:
        """The next line with its line break, or its first `limit` bytes when it is longer."""
        scanned = 0
        while True:
            found = self._buffer.find(b"\n", scanned, limit)
            if found >= 0:
                return self._take(found + 1)
            scanned = len(self._buffer)
            if scanned >= limit or not self._fill():
                return self._take(limit)

    def read(self, n: int) -> bytes:
        """The next `n` bytes (fewer at the end of the data)."""
        while len(self._buffer) < n and self._fill():
            pass
        return self._take(n)

    def skip(self, n: int) -> int:
        """Pass over the next `n` bytes without keeping them; how many there were."""
        skipped = 0
        while skipped < n:
            if not self._buffer and not self._fill():
                break
            step = min(n - skipped, len(self._buffer))
            del self._buffer[:step]
            skipped += step
        self.pos += skipped
        return skipped
