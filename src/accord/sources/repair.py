"""Mojibake repaired with ftfy: "CafÃ©" (UTF-8 read as windows-1252, perhaps twice) becomes "Café".

Only the encoding is fixed: quotes, widths, ligatures, line breaks and HTML entities are
left as they are, so text that is not broken is returned unchanged (and keeps its content
id). ftfy is slow on big texts, so only the lines that show a sign of mojibake are given
to it, and at most `MAX_REPAIRED` characters of them per document.
"""

from __future__ import annotations

import re

import ftfy

MAX_REPAIRED = 1 << 21
"""Characters of suspect lines given to ftfy per document; beyond that lines are kept as they are."""

_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False, remove_terminal_escapes=False, fix_latin_ligatures=False, fix_character_width=False,
    uncurl_quotes=False, fix_line_breaks=False, remove_control_chars=False, normalization=None, explain=False,
)
_SIGN = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014"
    "\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]|[\u0080-\u009f]"
)
"""A UTF-8 lead byte read as windows-1252 or Latin-1 followed by a continuation byte so read, or a C1 control."""

_LEAD = re.compile("[\u0080-\u009f\u00c2-\u00f4]")
"""The first character of any `_SIGN`, as one class: scanned for twice as fast, and absent from most
pages that are not ASCII (their "©", non-breaking spaces, curly quotes and dashes)."""


def repaired(text: str) -> str:
    """`text` with its mojibake fixed; the same string when it shows none."""
    if text.isascii() or not _LEAD.search(text) or not _SIGN.search(text):  # isascii: a C loop
        return text
    budget = MAX_REPAIRED
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if budget > 0 and _SIGN.search(line):
            budget -= len(line)
            lines[i] = ftfy.fix_text(line, _CONFIG)
    return "".join(lines)
