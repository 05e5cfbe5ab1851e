"""Pieces of an article's text, each marked with the events whose evidence covers it.

The document page highlights extracted events in place from their stored character spans.
It renders these pieces one by one through Jinja's autoescape, so source text is never
trusted as markup; a span that no longer matches the text is found again by its evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Piece:
    """A run of text, the ids of the events whose evidence covers all of it, and of those that start here."""

    text: str
    events: tuple[int, ...] = ()
    starts: tuple[int, ...] = ()


def evidence_span(text: str, start: int, end: int, evidence: str) -> tuple[int, int] | None:
    """The span of `evidence` in `text`: the stored one if it matches, else the first place it occurs."""
    if 0 <= start < end <= len(text) and text[start:end] == evidence:
        return start, end
    if evidence:
        at = text.find(evidence)
        if at >= 0:
            return at, at + len(evidence)
    return None


def highlighted_pieces(text: str, spans: Iterable[tuple[int, int, int]]) -> list[Piece]:
    """Cut `text` at every span boundary; spans are (event id, start, end), overlaps allowed."""
    spans = [(i, s, e) for i, s, e in spans if 0 <= s < e <= len(text)]
    cuts = sorted({0, len(text), *(s for _, s, _ in spans), *(e for _, _, e in spans)})
    pieces: list[Piece] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        ids = tuple(sorted(i for i, s, e in spans if s <= a and b <= e))
        starts = tuple(sorted(i for i, s, _ in spans if s == a))
        pieces.append(Piece(text[a:b], ids, starts))
    return pieces


def marked_pieces(snippet: str, open_mark: str = "\x02", close_mark: str = "\x03") -> list[Piece]:
    """An FTS5 snippet split at its match markers; matched runs carry the pseudo-event id 1."""
    pieces: list[Piece] = []
    rest = snippet
    while rest:
        a = rest.find(open_mark)
        if a < 0:
            pieces.append(Piece(rest))
            break
        if a:
            pieces.append(Piece(rest[:a]))
        b = rest.find(close_mark, a + 1)
        b = len(rest) if b < 0 else b
        pieces.append(Piece(rest[a + 1:b], (1,)))
        rest = rest[b + 1:]
    return [p for p in pieces if p.text]


def plain_snippet(pieces: Sequence[Piece]) -> str:
    """A snippet's text without markers."""
    return "".join(p.text for p in pieces)
