"""The language of an article, by py3langid (a compact, fast language identifier)."""

from __future__ import annotations

import py3langid

SAMPLE = 2000
"""Characters looked at: enough to decide, and the cost stays flat for long articles."""


def language_of(text: str) -> str | None:
    """The ISO 639-1 code of the text's language, or None for text too short to tell."""
    sample = text[:SAMPLE]
    if not _letters_at_least(sample, 20):
        return None
    code, _ = py3langid.classify(sample)
    return code


def _letters_at_least(text: str, count: int) -> bool:
    """True when `text` holds `count` letters or more (it stops counting there)."""
    for c in text:
        if c.isalpha():
            count -= 1
            if not count:
                return True
    return False
