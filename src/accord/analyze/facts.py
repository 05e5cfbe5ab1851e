"""Facts: the same (actor, action, target) found in several documents, as one record with all its sources.

Events are unified by the target's catalog key (or its "new:<slug>" key), so two
documents naming the Paris declaration differently give one fact, and two resolutions
with different keys stay two facts. A fact counts its independent sources: near-duplicate
copies of a document (documents whose `duplicate_of` points to the same original) count
once. Analysts' corrections (accord.analyze.review) are applied on top of what extraction
found, in the order they were made: a rejected fact disappears, an edited one moves, an
added one appears, a confirmed one says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accord.analyze.db import DB, opened
from accord.analyze.names import target_label
from accord.store.corrections import Correction, corrections
from accord.store.database import Store

FactKey = tuple[str, str, str]
"""(actor, action, target_key): what names a fact, and what corrections are keyed by."""


@dataclass(frozen=True)
class Source:
    """One report of a fact: the document, the event's date (else the page's) and the sentence.

    `original_id` is the document this one is a near-duplicate copy of (itself when it is an
    original); sources with the same original are one independent source. A source an analyst
    added has no `event_id`.
    """

    event_id: int | None
    doc_id: str | None
    doc: str | None
    date: str | None
    evidence: str
    original_id: str
    start: int | None = None
    end: int | None = None
    confidence: float | None = None


@dataclass(frozen=True)
class Fact:
    """One (actor, action, target) with every source that reports it.

    `status` is "extracted", "confirmed", "edited", "added" or "rejected" (after corrections);
    `sources` is the number of independent sources, `documents` the number of documents.
    """

    actor: str
    action: str
    target_key: str
    target: str
    target_type: str
    first_date: str | None
    last_date: str | None
    sources: int
    documents: int
    status: str = "extracted"
    evidence: tuple[Source, ...] = ()
    corrections: tuple[Correction, ...] = field(default=())

    @property
    def key(self) -> FactKey:
        return (self.actor, self.action, self.target_key)


class _Draft:
    """A fact being assembled: its sources so far and the corrections applied to it."""

    def __init__(self, key: FactKey):
        self.key = key
        self.sources: list[Source] = []
        self.dates: list[str] = []
        self.originals: set[str] = set()
        self.docs: set[str] = set()
        self.counted_sources = 0        # from SQL aggregates, when sources are not loaded one by one
        self.counted_docs = 0
        self.status = "extracted"
        self.date: str | None = None
        self.corrections: list[Correction] = []

    def add(self, source: Source) -> None:
        self.sources.append(source)
        if source.date:
            self.dates.append(source.date)
        self.originals.add(source.original_id)
        if source.doc_id:
            self.docs.add(source.doc_id)

    def absorb(self, other: _Draft) -> None:
        self.sources += other.sources
        self.dates += other.dates
        self.originals |= other.originals
        self.docs |= other.docs
        self.counted_sources += other.counted_sources
        self.counted_docs += other.counted_docs
        self.corrections = sorted(self.corrections + other.corrections, key=lambda c: c.id)
        self.date = self.date or other.date

    def fact(self, store: Store, labels: dict[str, tuple[str, str]]) -> Fact:
        name, kind = target_label(store, self.key[2], labels)
        first = last = self.date
        if not self.date and self.dates:
            first, last = min(self.dates), max(self.dates)
        evidence = tuple(sorted(self.sources, key=lambda s: (s.date or "9999", s.event_id or 0)))
        return Fact(self.key[0], self.key[1], self.key[2], name, kind, first, last,
                    len(self.originals) + self.counted_sources, len(self.docs) + self.counted_docs,
                    self.status, evidence, tuple(self.corrections))


_SOURCES = ("SELECT e.id, e.doc_id, d.doc, e.actor, e.action, e.target_key, coalesce(e.date, d.published),"
            " e.evidence, coalesce(d.duplicate_of, d.id), e.start, e.end, e.confidence"
            " FROM events e JOIN documents d ON d.id = e.doc_id")
_COUNTS = ("SELECT e.actor, e.action, e.target_key, min(coalesce(e.date, d.published)),"
           " max(coalesce(e.date, d.published)), count(DISTINCT coalesce(d.duplicate_of, d.id)),"
           " count(DISTINCT e.doc_id), min(e.id) FROM events e JOIN documents d ON d.id = e.doc_id")


def _where(actor: str | None, action: str | None, target: str | None) -> tuple[str, list[str]]:
    clauses, args = [], []
    for column, value in (("e.target_key", target), ("e.actor", actor), ("e.action", action)):
        if value is not None:
            clauses.append(f"{column} = ?")
            args.append(value)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), args


def _load(store: Store, drafts: dict[FactKey, _Draft], where: str, args: list[str], evidence: bool | str) -> None:
    """Add the events matching `where` to `drafts`: every source (evidence True), counts and one
    source per fact ("first": the first stored report), or counts only (False)."""
    if evidence is True:
        for r in store.conn.execute(_SOURCES + where, args):
            key = (r[3], r[4], r[5])
            draft = drafts.get(key) or drafts.setdefault(key, _Draft(key))
            draft.add(Source(r[0], r[1], r[2], r[6], r[7], r[8], r[9], r[10], r[11]))
        return
    first: dict[int, _Draft] = {}
    for r in store.conn.execute(_COUNTS + where + " GROUP BY e.actor, e.action, e.target_key", args):
        draft = drafts.setdefault((r[0], r[1], r[2]), _Draft((r[0], r[1], r[2])))
        draft.dates += [d for d in (r[3], r[4]) if d]
        draft.counted_sources += r[5]
        draft.counted_docs += r[6]
        first[r[7]] = draft
    if evidence == "first" and first:
        ids = list(first)
        for i in range(0, len(ids), 900):
            chunk = ids[i:i + 900]
            for r in store.conn.execute(_SOURCES + f" WHERE e.id IN ({','.join('?' * len(chunk))})", chunk):
                first[r[0]].sources.append(Source(r[0], r[1], r[2], r[6], r[7], r[8], r[9], r[10], r[11]))


def _apply(drafts: dict[FactKey, _Draft], correction: Correction) -> None:
    """Change `drafts` as one correction says; a correction whose fact is gone changes nothing."""
    c = correction
    draft = drafts.get(c.fact)
    if c.kind == "add":
        if draft is None:
            draft = drafts[c.fact] = _Draft(c.fact)
        draft.add(Source(None, c.doc_id, None, c.date, c.evidence or "", c.doc_id or f"correction:{c.id}"))
        draft.status, draft.date = "added", c.date or draft.date
    elif draft is None:
        return
    elif c.kind == "confirm":
        draft.status = "confirmed"
    elif c.kind == "reject":
        draft.status = "rejected"
    elif c.kind == "edit":
        del drafts[c.fact]
        draft.key, draft.status, draft.date = c.result, "edited", c.date or draft.date
        if c.result in drafts:
            drafts[c.result].absorb(draft)
            drafts[c.result].status = "edited"
            draft = drafts[c.result]
        else:
            drafts[c.result] = draft
    if c not in draft.corrections:
        draft.corrections.append(c)


def fact_drafts(store: Store, actor: str | None = None, action: str | None = None, target: str | None = None,
                evidence: bool | str = True) -> dict[FactKey, _Draft]:
    """The facts in scope (by actor, action, target key) with every correction applied."""
    def in_scope(key: FactKey) -> bool:
        return all(v is None or key[i] == v for i, v in enumerate((actor, action, target)))

    fixes = corrections(store.conn)
    extra: set[FactKey] = set()
    changed = True
    while changed:  # edits that move a fact into scope: load the fact they started from too
        changed = False
        for c in fixes:
            if c.kind == "edit" and not in_scope(c.fact) and c.fact not in extra \
                    and (in_scope(c.result) or c.result in extra):
                extra.add(c.fact)
                changed = True
    drafts: dict[FactKey, _Draft] = {}
    where, args = _where(actor, action, target)
    _load(store, drafts, where, args, evidence)
    for key in sorted(extra):
        _load(store, drafts, *_where(*key), evidence)
    for c in fixes:
        _apply(drafts, c)
    return {k: d for k, d in drafts.items() if in_scope(k)}


def load_facts(store: Store, actor: str | None = None, action: str | None = None, target: str | None = None,
               include_rejected: bool = False, evidence: bool | str = True) -> list[Fact]:
    """Facts of an open store, earliest first (see `facts`)."""
    labels: dict[str, tuple[str, str]] = {}
    found = [d.fact(store, labels) for d in fact_drafts(store, actor, action, target, evidence).values()
             if include_rejected or d.status != "rejected"]
    return sorted(found, key=lambda f: (f.first_date or "9999", f.actor, f.action, f.target_key))


def facts(db: DB, actor: str | None = None, action: str | None = None, target: str | None = None,
          include_rejected: bool = False, evidence: bool | str = True) -> list[Fact]:
    """Every fact (actor, action, target key) with its sources, dates and independent-source count,
    corrections applied, earliest first. Filters take an actor code, an action and a target key.
    `evidence=False` counts sources without loading any sentence, and `evidence="first"` loads
    one source per fact (the first stored): both much faster on a big store."""
    with opened(db) as store:
        return load_facts(store, actor, action, target, include_rejected, evidence)
