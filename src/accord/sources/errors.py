"""The one exception the sources stage raises internally, turned into a ReadFailure at its edge.

Readers raise `SourceError` with a one-line reason for the user ("empty file", "HTTP 404
Not Found"); `read_inputs` never lets it (or anything else) escape.
"""

from __future__ import annotations


class SourceError(Exception):
    """An input (or part of one) that cannot be read; the message is the one-line reason."""


def size_text(n: int) -> str:
    """A byte count for people: "50 MB", "10 MB", "512 bytes"."""
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"


def one_line(reason: object) -> str:
    """A reason squeezed onto one line (exception messages may span several)."""
    return " ".join(str(reason).split()) or "unknown error"


class LimitExceeded(SourceError):
    """An input that goes past one of the caps of `accord.sources.limits.Limits`."""


class CorruptData(SourceError):
    """Compressed data that is truncated or corrupt; the message says where."""
