"""The language of an article, by py3langid (a compact, fast language identifier)."""

from __future__ import annotations

import py3langid

SAMPLE = 2000
"""Characters looked at: enough to decide, and the cost stays flat for long articles."""


def language_of(text: str) -> str | None:
    """The ISO 639-1 code of the text's language, or None for text too short to tell."""
    sample = text[:SAMPLE]
    if sum(c.isalpha() for c in sample) < 20:
        return None
    code, _ = py3langid.classify(sample)
    return code
