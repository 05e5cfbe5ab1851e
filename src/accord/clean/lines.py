"""What each line of a page capture is: story text, a headline, a dateline, or boilerplate.

Text captures (a page saved as text) have no markup to say where the story is, and no
library cleans them, so Accord reads them line by line. A line is classified by its own
shape (words, closing punctuation, digits, file names) and by the phrases of
data/boilerplate.tsv, which a user can extend. The page structure (title, articles)
is then read from the sequence of kinds by `accord.clean.stories`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from accord.clean.dates import has_date
from accord.datafiles import data_lines


class Kind(Enum):
    """What a line is."""

    BODY = "body"            # a paragraph of the story
    SHORT = "short"          # a short sentence ("Vance also added:"), story text only between paragraphs
    HEADING = "heading"      # a headline or cross-heading
    DATELINE = "dateline"    # a date, time stamp or reading time
    BYLINE = "byline"        # an author or publisher credit
    END = "end"              # a marker after which the story is over (related links, disclaimers)
    JUNK = "junk"            # menus, file names, phone numbers, buttons, tags


@dataclass(frozen=True)
class Line:
    """One non-empty line of a page and what it is."""

    text: str
    kind: Kind


@dataclass(frozen=True)
class Phrases:
    """Boilerplate phrases of data/boilerplate.tsv, by kind."""

    lines: frozenset[str]
    prefixes: tuple[str, ...]
    ends: tuple[str, ...]


@lru_cache(maxsize=1)
def phrases() -> Phrases:
    """The boilerplate phrases, read once per process."""
    table: dict[str, list[str]] = {"line": [], "prefix": [], "end": []}
    for kind, phrase in data_lines("boilerplate.tsv"):
        table[kind].append(phrase.strip().lower())
    return Phrases(frozenset(table["line"]), tuple(table["prefix"]), tuple(table["end"]))


_FILE_NAME = re.compile(r"\S+\.(?:jpe?g|png|gif|webp|svg|bmp|avif|mp4|pdf)(?:\?\S*)?$", re.I)
_PHONE = re.compile(r"^[+(]?[\d][\d\s().+-]{6,}$")
_BULLET = re.compile(r"^[•·▪►*|>-]+\s*")
_READING = re.compile(r"(?i)^\d+\s*(?:min|minute)s?\s+read$|^\d+\s*(?:views?|comments?|shares?)$")
_BYLINE = re.compile(r"(?i)^(?:by|author|written by|words by|reporter)\s*:?\s+[A-Z\u00C0-\u024F]|^[—–-]\s*[A-Z][\w .&]{1,30}$")
_CREDIT = re.compile(r"^[A-Z][\w'.-]+(?: [A-Z][\w'.-]+){0,3}\s+[-–—|,]\s+\w")
_CLOSING = ('.', '!', '?', ':', '…')
_QUOTES = "\"”’'»)]"


def closes(text: str) -> bool:
    """True when a line ends a sentence (a closing quote or bracket may follow the stop)."""
    return text.rstrip(_QUOTES).endswith(_CLOSING)
_SEPARATED = re.compile(r"\S\s{3,}\S|\s[|>/»›·]\s|\[ ")
_BLANKS = re.compile(r"[ \t]+")


def words(text: str) -> list[str]:
    """The words of a line, for counting."""
    return text.split()


@lru_cache(maxsize=8192)
def kind_of(text: str) -> Kind:
    """What one non-empty, stripped line of a page capture is.

    A pure function of the line, remembered for the lines seen last: pages of one site
    repeat their menus, buttons and footers line for line.
    """
    lowered = text.lower()
    bare = _BULLET.sub("", lowered).strip()
    n = len(words(text))
    closed = closes(text)
    p = phrases()
    if n <= 8 and bare.startswith(p.ends):
        return Kind.END
    if _FILE_NAME.match(bare) or _PHONE.match(bare) or bare.strip(" >»›.") in p.lines:
        return Kind.JUNK
    if (n <= 15 or not closed) and bare.startswith(p.prefixes):
        return Kind.JUNK
    if _READING.match(bare):
        return Kind.DATELINE
    if n <= 12 and has_date(text) and not closed:
        return Kind.DATELINE
    if n <= 12 and _BYLINE.match(_BULLET.sub("", text)):
        return Kind.BYLINE
    separated = _SEPARATED.search(text) is not None
    asks = text.rstrip(_QUOTES).endswith(("?", "!")) and n < 16
    if (n >= 8 and closed and not asks) or (n >= 20 and not separated):
        return Kind.BODY
    if separated and not closed:
        return Kind.JUNK
    if closed and n >= 2 and any(w[:1].islower() for w in words(text)):
        return Kind.SHORT
    plain = _BULLET.sub("", text)
    if plain != text and n <= 8 and _CREDIT.match(plain):
        return Kind.BYLINE
    if 3 <= n <= 30 and (text[:1].isupper() or text[:1].isdigit() or text[:1] in "“\"'‘") and not text.endswith((';', ',')):
        return Kind.HEADING
    return Kind.JUNK


_GLUED = re.compile(r"([a-z]{2}[.!?][\"”’]?)([A-Z][a-z])")
"""Two sentences a crawler glued together ("in New York.Representatives from"): a space goes
between them, or the sentence splitter sees one sentence."""


def unwrapped(block: list[str]) -> list[str]:
    """A block of consecutive lines, with hard-wrapped paragraphs joined into one line each.

    A line joins the next when it does not close a sentence and the next goes on in lower
    case, or when the block is a column of similar long lines (text wrapped at a width).
    """
    if len(block) < 2:
        return block
    longest = max(len(x) for x in block)
    open_ended = sum(not closes(x) for x in block[:-1])
    if longest >= 50 and 2 * open_ended >= len(block) - 1 and all(len(x) >= 0.6 * longest for x in block[:-1]) and not any(
            kind_of(x) in (Kind.JUNK, Kind.DATELINE) for x in block):
        return [" ".join(block)]
    out = [block[0]]
    for line in block[1:]:
        if len(out[-1]) >= 40 and not closes(out[-1]) and line[:1].islower() \
                and not _SEPARATED.search(out[-1] + " " + line):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def page_lines(text: str) -> list[Line]:
    """The non-empty lines of a page capture, unwrapped, each with its kind."""
    return list(lines_of(text))


def lines_of(text: str) -> Iterator[Line]:
    """The lines of `page_lines`, one at a time: a reader that needs only the head of a
    page classifies no more than that."""
    block: list[str] = []
    for raw in text.replace("\u00a0", " ").replace("\r", "").split("\n"):
        stripped = _GLUED.sub(r"\1 \2", raw.strip())
        if stripped:
            block.append(_BLANKS.sub(" ", stripped) if not _SEPARATED.search(stripped) else stripped)
        elif block:
            yield from (Line(joined, kind_of(joined)) for joined in unwrapped(block))
            block = []
    yield from (Line(joined, kind_of(joined)) for joined in unwrapped(block))
