"""Input formats: decided by a file's extension, else by sniffing its first bytes.

The formats are "text" (page captures), "html", "warc", "jsonl" and "feed" (RSS/Atom).
"""

from __future__ import annotations

import re
import zlib

from accord.sources.decoding import bom_codec

EXTENSION_FORMATS: dict[str, str] = {
    ".txt": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".warc": "warc", ".warc.gz": "warc",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonl.gz": "jsonl", ".ndjson.gz": "jsonl",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
    ".txt.gz": "text", ".html.gz": "html", ".htm.gz": "html", ".xml.gz": "feed", ".rss.gz": "feed",
}
"""The input extensions a folder walk takes, and the format each one means."""

PAGE_FORMATS = frozenset({"text", "html"})

_GZIP_MAGIC = b"\x1f\x8b"
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:rdf)[\s>]")
_HTML_MARK = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]")
_HTML_TAG = re.compile(rb"<(?:p|div|article|section|span|a|h[1-6]|br|meta|title)[\s>/]")


def extension_format(name: str) -> str | None:
    """The format a file name's extension means (longest known extension wins), or None."""
    lower = name.lower()
    matches = [ext for ext in EXTENSION_FORMATS if lower.endswith(ext) and len(lower) > len(ext)]
    return EXTENSION_FORMATS[max(matches, key=len)] if matches else None


def gunzipped_head(head: bytes) -> bytes:
    """As much of the start of gzip data as `head` decompresses to (b"" when it is not gzip)."""
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 1 << 16)
    except zlib.error:
        return b""


def sniffed_format(head: bytes) -> tuple[str, bool]:
    """The format of content starting with `head`, and whether it is gzip-compressed."""
    if head.startswith(_GZIP_MAGIC):
        return sniffed_format(gunzipped_head(head))[0], True
    codec = bom_codec(head)
    if codec and codec != "utf-8-sig":
        head = head.decode(codec, "ignore").encode("utf-8")
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if start.startswith(b"WARC/"):
        return "warc", False
    if start.startswith(b"{"):
        return "jsonl", False
    lower = start[:8192].lower()
    feed, html = _FEED_ROOT.search(lower), _HTML_MARK.search(lower)
    if feed and (not html or feed.start() < html.start()):
        return "feed", False
    if html or (start.startswith(b"<") and _HTML_TAG.search(lower)):
        return "html", False
    return "text", False
