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

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from accord.analyze.db import DB, opened
from accord.analyze.names import target_label
from accord.store import summary
from accord.store.corrections import Correction, corrections
from accord.store.database import Store

T = TypeVar("T")


def builder(cls: type[T]) -> Callable[..., T]:
    """A constructor for the frozen slots dataclass `cls` taking every field in order, several times
    faster than `cls(...)` (whose generated __init__ sets each field through object.__setattr__), for
    records made by the thousand from summary rows.

    It fills an instance of a plain twin class with the same slots by ordinary assignment, then
    gives it the class `cls`: the two have the same memory layout, so Python allows the change, and
    what comes out is an ordinary, frozen `cls` (equal to, and hashing like, one made by `cls(...)`)."""
    names = [f.name for f in dataclasses.fields(cls)]
    twin = type(f"_{cls.__name__}Draft", (), {"__slots__": tuple(cls.__slots__)})
    lines = [f"def make({', '.join(names)}):", "    record = new(twin)"]
    lines += [f"    record.{name} = {name}" for name in names]
    lines += ["    record.__class__ = cls", "    return record"]
    scope = {"new": object.__new__, "twin": twin, "cls": cls}
    exec("\n".join(lines), scope)  # noqa: S102 - source made above from the field names only
    return scope["make"]

FactKey = tuple[str, str, str]
"""(actor, action, target_key): what names a fact, and what corrections are keyed by."""


@dataclass(frozen=True, slots=True)
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


_source = builder(Source)


@dataclass(frozen=True, slots=True)
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


make_fact = builder(Fact)
"""Fact(...) with every field in order, made the fast way (see `builder`)."""


class _Draft:
    """A fact being assembled: its sources so far and the corrections applied to it."""

    __slots__ = ("key", "sources", "dates", "originals", "docs", "counted_sources", "counted_docs", "status",
                 "date", "corrections")

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


_PAGE_SOURCES = ("WITH page(actor, action, target_key) AS (VALUES {})"
                 " SELECT e.id, e.doc_id, d.doc, e.actor, e.action, e.target_key, coalesce(e.date, d.published),"
                 " e.evidence, coalesce(d.duplicate_of, d.id), e.start, e.end, e.confidence"
                 " FROM page CROSS JOIN events e ON e.actor = page.actor AND e.target_key = page.target_key"
                 " AND e.action = page.action JOIN documents d ON d.id = e.doc_id")
"""The sources of the facts listed in `page`, each found through index events_actor_facts."""


def fact_of_row(row: tuple, name: str, kind: str) -> Fact:
    """A fact summary row (accord.store.summary COUNTS, then FIRST if read) with its target's
    name and type, as the Fact it is when no correction names it."""
    return make_fact(row[0], row[1], row[2], name, kind, row[3], row[4], row[5], row[6], "extracted",
                 (_source(*row[8:]),) if len(row) > 8 else (), ())


Ready = tuple[list[Any], Callable[[tuple, str, str], Any]]
"""Where `_load` puts records made straight from summary rows, and the function making them."""


def order(fact: Fact) -> tuple[str, str, str, str]:
    """The order facts are listed in: first date (undated last), actor, action, target key."""
    return (fact.first_date or "9999", fact.actor, fact.action, fact.target_key)


def _load(store: Store, drafts: dict[FactKey, _Draft], key: tuple[str | None, str | None, str | None],
          evidence: bool | str, ready: Ready | None = None, named: frozenset[FactKey] = frozenset()) -> None:
    """Add the facts matching `key` (actor, action, target; None matches any) to `drafts`: with
    every source read from the events (evidence True), or from the fact summary with counts and
    one source per fact ("first": the first stored report) or counts only (False). Given `ready`,
    summary rows of facts not `named` by a correction are made into records at once (no draft),
    and put in its list in the `order` of facts."""
    if evidence is True:
        where, args = summary.scope(*key, table="e")
        for r in store.conn.execute(_SOURCES + where, args):
            fact = (r[3], r[4], r[5])
            draft = drafts.get(fact) or drafts.setdefault(fact, _Draft(fact))
            draft.add(Source(r[0], r[1], r[2], r[6], r[7], r[8], r[9], r[10], r[11]))
        return
    labels: dict[str, tuple[str, str]] = {}
    made, make = ready if ready is not None else (None, None)
    for r in summary.fact_rows(store.conn, *key, first=evidence == "first", ordered=made is not None):
        if make is not None and not (named and r[:3] in named):
            name, kind = labels.get(r[2]) or target_label(store, r[2], labels)
            made.append(make(r, name, kind))
            continue
        fact = (r[0], r[1], r[2])
        draft = drafts.get(fact)
        if draft is None:
            draft = drafts[fact] = _Draft(fact)
        if r[3]:
            draft.dates.append(r[3])
        if r[4]:
            draft.dates.append(r[4])
        draft.counted_sources += r[5]
        draft.counted_docs += r[6]
        if len(r) > 8:
            draft.sources.append(Source(*r[8:]))


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


def _scope(actor: str | None, action: str | None, target: str | None) -> Callable[[FactKey], bool]:
    """Whether a fact key is in the scope (actor, action, target key; None matches any)."""
    def in_scope(key: FactKey) -> bool:
        return all(v is None or key[i] == v for i, v in enumerate((actor, action, target)))
    return in_scope


def fact_drafts(store: Store, actor: str | None = None, action: str | None = None, target: str | None = None,
                evidence: bool | str = True, ready: Ready | None = None) -> dict[FactKey, _Draft]:
    """The facts in scope (by actor, action, target key) with every correction applied (with
    `ready` and evidence from the summary, those no correction names go there instead)."""
    in_scope = _scope(actor, action, target)
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
    named = frozenset(k for c in fixes for k in (c.fact, c.result))
    _load(store, drafts, (actor, action, target), evidence, ready, named)
    for key in sorted(extra):
        _load(store, drafts, key, evidence)
    for c in fixes:
        _apply(drafts, c)
    return {k: d for k, d in drafts.items() if in_scope(k)}


def load_records(store: Store, of_row: Callable[[tuple, str, str], T], of_fact: Callable[[Fact], T],
                 order_of: Callable[[T], tuple], actor: str | None = None, action: str | None = None,
                 target: str | None = None, include_rejected: bool = False, evidence: bool | str = "first") -> list[T]:
    """Facts of an open store as other records, in the `order` of facts (`order_of` a record gives
    it): made by `of_row` straight from the summary rows of facts no correction names (most of
    them, read in that order: no Fact built on the way, no sorting), by `of_fact` from the
    others. Timelines use it; `load_facts` is its plain case."""
    labels: dict[str, tuple[str, str]] = {}
    made: list[T] = []
    drafts = fact_drafts(store, actor, action, target, evidence, (made, of_row))
    corrected = [of_fact(d.fact(store, labels)) for d in drafts.values()
                 if include_rejected or d.status != "rejected"]
    if corrected or evidence is True:  # facts read from the events or made from drafts: sort them in
        made += corrected
        made.sort(key=order_of)
    return made


def load_window(store: Store, of_row: Callable[[tuple, str, str], T], of_fact: Callable[[Fact], T],
                order_of: Callable[[T], tuple], window: tuple[int, int], actor: str | None = None,
                action: str | None = None, target: str | None = None, include_rejected: bool = False,
                evidence: bool | str = "first") -> tuple[int, list[T]]:
    """How many records `load_records` gives, and those of `window` (offset, limit) among them.

    When no correction names a fact in scope (as it stood before or after), they are the summary's
    rows in the order of facts, so only the window is read (through the order indexes of store
    migration 0009) and the total is a count; else the whole list is made and cut."""
    in_scope = _scope(actor, action, target)
    if evidence is True or any(in_scope(c.fact) or in_scope(c.result) for c in corrections(store.conn)):
        found = load_records(store, of_row, of_fact, order_of, actor, action, target, include_rejected, evidence)
        return len(found), found[window[0]:window[0] + window[1]]
    labels: dict[str, tuple[str, str]] = {}
    rows = summary.fact_rows(store.conn, actor, action, target, first=evidence == "first", ordered=True, window=window)
    return summary.fact_count(store.conn, actor, action, target), [
        of_row(r, *(labels.get(r[2]) or target_label(store, r[2], labels))) for r in rows]


def fact_window(store: Store, window: tuple[int, int], actor: str | None = None, action: str | None = None,
                target: str | None = None, include_rejected: bool = False,
                evidence: bool | str = "first") -> tuple[int, list[Fact]]:
    """How many facts `load_facts` gives, and those of `window` (offset, limit): see `load_window`."""
    return load_window(store, fact_of_row, _itself, order, window, actor, action, target, include_rejected, evidence)


def load_facts(store: Store, actor: str | None = None, action: str | None = None, target: str | None = None,
               include_rejected: bool = False, evidence: bool | str = True) -> list[Fact]:
    """Facts of an open store, earliest first (see `facts`)."""
    return load_records(store, fact_of_row, _itself, order, actor, action, target, include_rejected, evidence)


def with_sources(store: Store, found: list[Fact]) -> list[Fact]:
    """`found` (facts read with counts only, or their first source) again with every source: one
    page of a long list, whose other facts need not be read. Facts no correction names take their
    sources from one query; the others are loaded again whole, corrections applied."""
    plain = [f for f in found if f.status == "extracted"]
    sources: dict[FactKey, list[Source]] = {f.key: [] for f in plain}
    for start in range(0, len(plain), 300):  # a bound on the query's arguments
        keys = [f.key for f in plain[start:start + 300]]
        values = ", ".join("(?, ?, ?)" for _ in keys)
        for r in store.conn.execute(_PAGE_SOURCES.format(values), [v for k in keys for v in k]):
            sources[(r[3], r[4], r[5])].append(_source(r[0], r[1], r[2], r[6], r[7], r[8], r[9], r[10], r[11]))
    out = []
    for f in found:
        if f.key in sources:
            evidence = tuple(sorted(sources[f.key], key=lambda s: (s.date or "9999", s.event_id or 0)))
            out.append(dataclasses.replace(f, evidence=evidence))
        else:
            out.append(next(g for g in load_facts(store, *f.key, include_rejected=True) if g.key == f.key))
    return out


def _itself(fact: Fact) -> Fact:
    return fact


def facts(db: DB, actor: str | None = None, action: str | None = None, target: str | None = None,
          include_rejected: bool = False, evidence: bool | str = True) -> list[Fact]:
    """Every fact (actor, action, target key) with its sources, dates and independent-source count,
    corrections applied, earliest first. Filters take an actor code, an action and a target key.
    `evidence=False` counts sources without loading any sentence, and `evidence="first"` loads
    one source per fact (the first stored): both much faster on a big store."""
    with opened(db) as store:
        return load_facts(store, actor, action, target, include_rejected, evidence)
