"""Text from bytes: UTF-8 first, then the declared or meta charset, then detection.

A BOM is honoured and removed. Charset labels are read as browsers read them (WHATWG):
"iso-8859-1" and "ascii" mean windows-1252, "shift_jis" means cp932, and so on, since
pages so labelled use those code pages' extra characters. Bytes that are UTF-8 but for a
few broken sequences are read as UTF-8 (the broken bytes become U+FFFD) rather than
guessed at; among equally good guesses windows-1252 wins, as in browsers. Content with
NUL bytes or many control characters is binary, not a page, and is refused with a reason.
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


WHATWG_CODECS = {
    "ascii": "cp1252", "us-ascii": "cp1252", "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252",
    "latin-1": "cp1252", "l1": "cp1252", "iso_8859-1": "cp1252", "windows-1252": "cp1252",
    "iso-8859-9": "cp1254", "latin5": "cp1254", "iso-8859-11": "cp874", "tis-620": "cp874",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "ms_kanji": "cp932",
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "euc-kr": "cp949", "ks_c_5601-1987": "cp949",
    "big5": "big5hkscs", "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8",
}
"""Charset labels that browsers read as another, larger code page."""


def codec_for(label: str | None) -> str | None:
    """The Python codec that reads text labelled `label` as a browser would; None when unknown."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = WHATWG_CODECS.get(name, name)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return None if codec in _NOT_TEXT_CODECS else codec


_NOT_TEXT_CODECS = frozenset({"base64", "bz2", "hex", "quopri", "rot-13", "uu", "zlib", "utf-7", "idna", "punycode",
                              "raw-unicode-escape", "unicode-escape", "undefined", "mbcs", "oem", "palmos"})
"""Codecs Python knows that no page is written in (some are bytes-to-bytes, or unsafe to trust)."""


def _meta_codec(data: bytes) -> str | None:
    """The codec a page's <meta> tag names; a UTF-16 or UTF-32 label means UTF-8 there (WHATWG)."""
    codec = codec_for(meta_charset(data))
    return "utf-8" if codec and codec.startswith(("utf-16", "utf-32")) else codec


def _strict(data: bytes, codec: str | None) -> str | None:
    """`data` decoded with `codec`, or None when the codec is unknown or does not fit."""
    codec = codec_for(codec)
    if not codec:
        return None
    try:
        return data.decode(codec)
    except (LookupError, UnicodeDecodeError, TypeError, ValueError):
        return None


def _mostly_utf8(data: bytes) -> str | None:
    """`data` read as UTF-8 when its broken sequences are few next to its good multi-byte ones."""
    text = data.decode("utf-8", "replace")
    replaced = text.count("\ufffd")
    broken = replaced - data.count("\ufffd".encode())
    good = len(text) - len(text.encode("ascii", "ignore")) - replaced
    return text if good >= 2 * broken else None


def _detected(data: bytes) -> str | None:
    """The text of `data` in the code page detection finds best; windows-1252 among equals."""
    matches = list(from_bytes(data))
    if not matches:
        return None
    best = matches[0]
    preferred = next((m for m in matches if m.encoding == "cp1252" and m.chaos <= best.chaos), best)
    return str(preferred)


def decoded_text(data: bytes, declared: str | None = None) -> str:
    """The text of a page's bytes; `declared` is a charset from HTTP or WARC headers.

    Raises SourceError when the bytes are binary rather than text.
    """
    text = _strict(data, bom_codec(data))
    if text is None:
        if b"\x00" in data:
            raise SourceError("binary content (NUL bytes), not text")
        for codec in ("utf-8", declared, _meta_codec(data)):
            if (text := _strict(data, codec)) is not None:
                break
    if text is None:
        text = _mostly_utf8(data) or _detected(data)
        if text is None:
            raise SourceError("binary content (not decodable as text)")
    text = text.removeprefix("\ufeff")
    if len(_CONTROL.findall(text[:100_000])) > _MAX_CONTROL_SHARE * min(len(text), 100_000):
        raise SourceError("binary content (control characters), not text")
    return text
