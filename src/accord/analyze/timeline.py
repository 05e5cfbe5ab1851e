"""Timelines: facts in the order they happened, for a target, an actor, or everything.

Each entry is one fact (the same event reported by several documents appears once) at its
first date, with its stance word, independent-source count and the sentence of the first
stored report of it. Undated facts come last.
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.analyze.db import DB, opened
from accord.analyze.facts import Fact, builder, load_records, load_window
from accord.analyze.names import resolve_actor, resolve_target
from accord.analyze.stances import stance_word
from accord.store.database import Store


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One fact on a timeline."""

    date: str | None
    last_date: str | None
    actor: str
    action: str
    stance: str
    target_key: str
    target: str
    sources: int
    status: str
    evidence: str
    doc: str | None


_entry = builder(TimelineEntry)


def entry(fact: Fact) -> TimelineEntry:
    """A fact as a timeline entry (the sentence of its first source as evidence)."""
    first = fact.evidence[0] if fact.evidence else None
    return TimelineEntry(fact.first_date, fact.last_date, fact.actor, fact.action, stance_word(fact.action),
                         fact.target_key, fact.target, fact.sources, fact.status,
                         first.evidence if first else "", (first.doc or first.doc_id) if first else None)


def entry_of_row(row: tuple, name: str, kind: str) -> TimelineEntry:
    """A fact summary row read with its first report (accord.store.summary COUNTS then FIRST) as
    the entry `entry` makes of the Fact it is when no correction names it."""
    return _entry(row[3], row[4], row[0], row[1], stance_word(row[1]), row[2], name, row[5], "extracted",
                  row[12], row[10] or row[9])


def load_timeline(store: Store, target: str | None = None, actor: str | None = None) -> list[TimelineEntry]:
    """The timeline of an open store for a target key and/or an actor code."""
    return load_records(store, entry_of_row, entry, _order, actor=actor, target=target, evidence="first")


def _order(e: TimelineEntry) -> tuple[str, str, str, str]:
    """The `order` of facts, read from their entries."""
    return (e.date or "9999", e.actor, e.action, e.target_key)


def _resolved(store: Store, target: str | None, actor: str | None) -> tuple[str | None, str | None]:
    """The target key and actor code named (NotFound, with the closest names, for unknown ones)."""
    return (resolve_target(store, target) if target else None, resolve_actor(store, actor) if actor else None)


def timeline(db: DB, target: str | None = None, actor: str | None = None) -> list[TimelineEntry]:
    """Facts in time order, for a target (key, name or alias) and/or an actor (code or name).
    Raises NotFound (with the closest names) for an unknown target or actor."""
    with opened(db) as store:
        return load_timeline(store, *_resolved(store, target, actor))


def timeline_window(db: DB, window: tuple[int, int], target: str | None = None,
                    actor: str | None = None) -> tuple[int, list[TimelineEntry]]:
    """How many entries `timeline` gives, and those of `window` (offset, limit) among them: a page
    of a long timeline, read without the others where no correction touches it."""
    with opened(db) as store:
        key, code = _resolved(store, target, actor)
        return load_window(store, entry_of_row, entry, _order, window, actor=code, target=key, evidence="first")
