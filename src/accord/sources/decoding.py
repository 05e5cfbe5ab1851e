"""Text from bytes: UTF-8 first, then the declared or meta charset, then detection.

A BOM is honoured and removed. Content with NUL bytes or many control characters is
binary, not a page, and is refused with a reason.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from accord.sources.errors import SourceError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
_CONTROL = re.compile(r"[\x01-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_MAX_CONTROL_SHARE = 0.01


def bom_codec(data: bytes) -> str | None:
    """The codec named by a byte-order mark at the start of `data`, or None."""
    return next((codec for bom, codec in _BOMS if data.startswith(bom)), None)


def meta_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a <meta> tag near its start, or None."""
    match = _META_CHARSET.search(data[:8192])
    return match[1].decode("ascii", "replace") if match else None


def _strict(data: bytes, codec: str | None) -> str | None:
    """`data` decoded with `codec`, or None when the codec is unknown or does not fit."""
    if not codec:
        return None
    try:
        return data.decode(codec)
    except (LookupError, UnicodeDecodeError):
        return None


def decoded_text(data: bytes, declared: str | None = None) -> str:
    """The text of a page's bytes; `declared` is a charset from HTTP or WARC headers.

    Raises SourceError when the bytes are binary rather than text.
    """
    text = _strict(data, bom_codec(data))
    if text is None:
        if b"\x00" in data:
            raise SourceError("binary content (NUL bytes), not text")
        for codec in ("utf-8", declared, meta_charset(data)):
            if (text := _strict(data, codec)) is not None:
                break
    if text is None:
        best = from_bytes(data).best()
        if best is None:
            raise SourceError("binary content (not decodable as text)")
        text = str(best)
    text = text.removeprefix("\ufeff")
    if len(_CONTROL.findall(text[:100_000])) > _MAX_CONTROL_SHARE * min(len(text), 100_000):
        raise SourceError("binary content (control characters), not text")
    return text
