"""Document names: file stems without any known input extension, and slugs of URLs.

FORMAT.md names a document by its input file's stem; a container (WARC, JSONL, feed)
names its documents `STEM-N`; a fetched page is named after its URL. File names may hold
anything but "/" and NUL: what cannot be shown on one line (line breaks, control and
format characters, undecodable bytes) is escaped in names and sources (`shown`).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

KNOWN_SUFFIXES = frozenset({
    ".txt", ".html", ".htm", ".xhtml", ".warc", ".gz", ".jsonl", ".ndjson", ".xml", ".rss", ".atom",
})
"""Extensions removed from a file name to make its stem (all of them: `a.warc.gz` -> `a`)."""

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def shown(text: str) -> str:
    """`text` with every character that is not printable on one line escaped ("\\n", "\\x1b", "\\udcff")."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def stem(name: str) -> str:
    """A file name without its known input extensions, or without its one unknown extension."""
    base = PurePosixPath(name).name
    stripped = base
    while (suffix := PurePosixPath(stripped).suffix.lower()) in KNOWN_SUFFIXES and len(stripped) > len(suffix):
        stripped = stripped[: -len(suffix)]
    if stripped == base:
        stripped = PurePosixPath(base).stem or base
    return shown(stripped)


def slug(text: str) -> str:
    """Lower-case letters and digits joined by single hyphens (at most 80 characters)."""
    return _NOT_SLUG.sub("-", text.lower()).strip("-")[:80].strip("-")


def url_name(url: str) -> str:
    """A document name for a URL: the slug of its last path segment's stem, else of its host."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if segments and (name := slug(stem(unquote(segments[-1])))):
        return name
    return slug(parts.hostname or "") or "page"
