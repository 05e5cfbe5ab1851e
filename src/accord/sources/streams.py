"""Byte streams for reading inputs lazily: sniff the head without losing it, count bytes, cap reads."""

from __future__ import annotations

import io
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


class Counted:
    """A read-only stream that counts the bytes read through it (its `tell()`)."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.offset = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self.offset += len(data)
        return data

    def tell(self) -> int:
        return self.offset

    def drained(self) -> int:
        """Read to the end; the total number of bytes the stream held."""
        while self.read(HEAD_BYTES):
            pass
        return self.offset


def capped_bytes(stream: BinaryIO, limit: int, what: str = "file") -> bytes:
    """All bytes of a stream, refusing (SourceError) to hold more than `limit` of them."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise SourceError(f"{what} larger than {size_text(limit)} (size limit)")
    return data
