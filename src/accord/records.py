"""The records that flow between Accord's stages.

sources -> RawDocument (or ReadFailure)
clean   -> CleanDocument (with its Articles and Relevance)
extract -> Extraction (countries and Events, each Event naming a Target)

Every record is a frozen dataclass so a stage can never change what an earlier
stage produced; each stage is a plain function from one record type to the next.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

ACTIONS: tuple[str, ...] = (
    "sign", "refuse", "ratify", "withdraw", "sponsor", "propose",
    "adopt", "host", "attend", "pledge", "support", "oppose",
)
"""The twelve actions of FORMAT.md, in its order."""

TARGET_TYPES: tuple[str, ...] = (
    "declaration", "resolution", "convention", "law", "strategy",
    "framework", "organization", "summit",
)
"""The kinds of thing an event acts on (convention covers treaties, strategy covers plans)."""


def content_id(content: str) -> str:
    """A stable document id derived from the content alone (16 hex digits of SHA-256)."""
    return hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True)
class RawDocument:
    """One input document as read, before any cleaning.

    `doc` is the name FORMAT.md records use: the file stem, the JSONL `id`, or
    `STEM-N` for the N-th response record of a WARC file. `kind` says how to clean
    `content`: "text" for page captures, "html" for markup.
    """

    doc: str
    source: str
    kind: str
    content: str
    url: str | None = None
    title: str | None = None
    published: str | None = None
    reference_date: date | None = None

    @cached_property
    def id(self) -> str:
        """The content id, hashed once (every stage asks for it)."""
        return content_id(self.content)


@dataclass(frozen=True)
class ReadFailure:
    """An input that could not be read, with a one-line reason for the user."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass(frozen=True)
class Relevance:
    """Whether an article is about AI governance, with the evidence for the decision."""

    relevant: bool
    score: float
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    """One story of a page: its headline and cleaned body (paragraphs separated by blank lines)."""

    title: str | None
    text: str
    principal: bool = False


@dataclass(frozen=True)
class CleanDocument:
    """A document after cleaning: its stories, metadata and what was removed.

    `published` is an ISO date (YYYY-MM-DD) or None; `date_note` records how it was
    decided, e.g. "day-first (ambiguous)". `removed` keeps the boilerplate lines so a
    user can see what cleaning threw away.
    """

    id: str
    doc: str
    source: str
    articles: tuple[Article, ...]
    relevance: Relevance
    url: str | None = None
    title: str | None = None
    published: str | None = None
    date_note: str | None = None
    publisher: str | None = None
    author: str | None = None
    language: str | None = None
    removed: tuple[str, ...] = ()
    reference_date: date | None = None

    @property
    def principal(self) -> Article | None:
        return next((a for a in self.articles if a.principal), self.articles[0] if self.articles else None)

    @property
    def relevant(self) -> bool:
        return self.relevance.relevant


@dataclass(frozen=True)
class Target:
    """What an event acts on: a canonical name, its type, and other names it goes by."""

    name: str
    type: str
    aliases: tuple[str, ...] = ()
    key: str = ""

    @property
    def names(self) -> list[str]:
        seen: list[str] = []
        for n in (self.name, *self.aliases):
            if n and n not in seen:
                seen.append(n)
        return seen


@dataclass(frozen=True)
class Event:
    """Who did what to which target, when, according to which sentence.

    `start`/`end` is the character span of `evidence` in the principal article's text.
    `rule` names the versioned rule that produced the event (e.g. "accord.verb.v1").
    """

    actor: str
    action: str
    target: Target
    date: str | None
    evidence: str
    start: int
    end: int
    confidence: float
    rule: str = ""
    actor_text: str = ""
    amount: str | None = None


@dataclass(frozen=True)
class Extraction:
    """What the extract stage found in one document."""

    countries: tuple[str, ...] = ()
    events: tuple[Event, ...] = ()
    entities: tuple[tuple[str, str], ...] = field(default=())
