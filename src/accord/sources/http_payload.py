"""The HTTP response inside a WARC response record: status, headers and decoded payload.

Only the first bytes of a record are looked at for the status line and headers; the body
is de-chunked (Transfer-Encoding: chunked) and decompressed (Content-Encoding: gzip or
deflate) with its size capped, so a small record cannot expand into a huge page.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from accord.sources.errors import CorruptData, LimitExceeded, size_text

_HEADER_ENDS = (b"\r\n\r\n", b"\n\n")
_MAX_CHUNK_LINE = 1024


@dataclass(frozen=True)
class HttpResponse:
    """An HTTP response's status code, headers (names in lower case) and where its body starts."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body_start: int = 0

    @property
    def succeeded(self) -> bool:
        return 200 <= self.status < 300


def http_response(head: bytes) -> HttpResponse | None:
    """The status and headers of an HTTP response starting `head`; None when it is not one.

    A response whose headers do not end within `head` gives status 0 (not a success).
    """
    if not head.startswith(b"HTTP/"):
        return None
    ends = [(i, len(mark)) for mark in _HEADER_ENDS if (i := head.find(mark)) >= 0]
    if not ends:
        return HttpResponse(0)
    index, size = min(ends)
    status_line, *lines = head[:index].decode("latin-1").splitlines()
    parts = status_line.split(None, 2)
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() and len(parts[1]) == 3 else 0
    headers: dict[str, str] = {}
    for line in lines:
        name, sep, value = line.partition(":")
        if sep and name.strip():
            headers[name.strip().lower()] = value.strip()
    return HttpResponse(status, headers, index + size)


def dechunked(body: bytes) -> bytes:
    """A chunked body joined up; the body as it is when it is not chunked after all."""
    parts: list[bytes] = []
    pos = 0
    while True:
        eol = body.find(b"\n", pos, pos + _MAX_CHUNK_LINE)
        size_field = body[pos:eol].split(b";")[0].strip() if eol >= 0 else b""
        try:
            size = int(size_field, 16)
        except ValueError:
            return body if pos == 0 else b"".join(parts)
        if size <= 0:
            return b"".join(parts)
        start = eol + 1
        parts.append(body[start:start + size])
        pos = start + size
        pos += 2 if body.startswith(b"\r\n", pos) else 1 if body.startswith(b"\n", pos) else 0


def _inflated(data: bytes, wbits: int, limit: int) -> bytes | None:
    """`data` decompressed (at most `limit` bytes of output); None when it is not such data."""
    inflater = zlib.decompressobj(wbits)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error:
        return None
    if len(out) > limit:
        raise LimitExceeded(f"payload decompresses to more than {size_text(limit)} (size limit)")
    if not inflater.eof:
        raise CorruptData("compressed payload ends early")
    return out


def decoded_body(body: bytes, response: HttpResponse, limit: int) -> bytes:
    """The payload of a response: de-chunked and decompressed, at most `limit` bytes.

    A body that does not decompress is taken as it is (servers mislabel payloads; one
    that is really binary is refused later); one that breaks off raises CorruptData.
    """
    if response.headers.get("transfer-encoding", "").lower() == "chunked":
        body = dechunked(body)
    encoding = response.headers.get("content-encoding", "").lower().strip()
    if encoding not in ("gzip", "x-gzip", "deflate") or not body:
        return body
    for wbits in (32 + zlib.MAX_WBITS,) if encoding != "deflate" else (zlib.MAX_WBITS, -zlib.MAX_WBITS):
        if (out := _inflated(body, wbits, limit)) is not None:
            return out
    return body
