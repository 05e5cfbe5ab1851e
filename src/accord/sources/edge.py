"""The last check of everything the sources stage gives, whatever reader it came from.

Sources and names are made printable on one line (a file name may hold a line break, an
escape sequence or bytes that are not UTF-8); text fields lose lone surrogates (JSON can
carry them, SQLite cannot store them) and have their mojibake repaired; an HTML page
nested past the depth cap becomes a failure.
"""

from __future__ import annotations

import re
from dataclasses import replace

from accord.records import RawDocument, ReadFailure
from accord.sources.depth import nested_deeper
from accord.sources.errors import one_line
from accord.sources.limits import Limits
from accord.sources.names import shown
from accord.sources.repair import repaired

_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(value: str | None, repair: bool = False) -> str | None:
    """A text field without lone surrogates, and with its mojibake repaired when asked."""
    if not value or value.isascii():
        return value
    value = _SURROGATE.sub("\ufffd", value)
    return repaired(value) if repair else value


def checked(item: RawDocument | ReadFailure, limits: Limits) -> RawDocument | ReadFailure:
    """`item` made safe to store and to print; a failure for HTML nested too deeply."""
    if isinstance(item, ReadFailure):
        return ReadFailure(shown(item.source), one_line(shown(item.reason)))
    source = shown(item.source)
    if item.kind == "html" and nested_deeper(item.content, limits.max_depth):
        return ReadFailure(source, f"HTML nested deeper than {limits.max_depth} elements (depth limit)")
    return replace(item, source=source, doc=shown(item.doc), content=clean_text(item.content, repair=True) or "",
                   title=clean_text(item.title, repair=True), url=clean_text(item.url),
                   published=clean_text(item.published))
