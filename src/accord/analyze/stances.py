"""Stances: each actor's current position on a target, with its history and any conflict between sources.

An actor's facts on one target are read with the table in accord/data/stances.tsv
(accord.stance_rules): a fact is superseded when a contradicting fact is clearly later (a
withdrawal after a signature, a signature after an earlier refusal); two contradicting facts
of the same period that neither supersedes are a conflict, flagged with both sides' evidence.
Of the facts still standing, the one of highest precedence (row order of the table) gives the
current stance, the latest one when several tie. Every fact stays in the history.

Stances without evidence (lists, profiles, alignment) are read from the store's stance
summary (accord.store.stances), where each pair's judgement is kept; the pairs it cannot
answer (stale, or named by an analyst's correction) are judged here from their facts.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from accord.analyze.db import DB, opened
from accord.analyze.facts import Fact, builder, load_facts, make_fact
from accord.analyze.names import resolve_target, target_label, target_labels
from accord.stance_rules import Judgement, StanceRule, chronology, judge, rules, stance_word
from accord.store import stances as summary
from accord.store.corrections import corrections
from accord.store.database import Store

__all__ = ["Brief", "Stance", "StanceRule", "brief", "brief_stances", "load_stances", "rules", "stance_actions", "stance_of", "stance_word", "stances",
           "stances_from", "summary_stances"]


@dataclass(frozen=True, slots=True)
class Stance:
    """An actor's current stance on a target.

    `stance` is the word ("signed", "withdrew"), `action` the action behind it; dates and
    `sources` (independent sources) are those of that fact. `conflict` is True when sources
    disagree for the same period; `sides` then holds the contradicting facts with their
    evidence. `superseded` lists the earlier stances a later fact replaced, and `history`
    every fact of the actor on the target, earliest first.
    """

    actor: str
    target_key: str
    target: str
    stance: str
    action: str
    first_date: str | None
    last_date: str | None
    sources: int
    conflict: bool
    sides: tuple[Fact, ...] = ()
    superseded: tuple[str, ...] = ()
    history: tuple[Fact, ...] = ()


_stance = builder(Stance)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Brief:
    """A stance as a list of an actor's hundreds of stances shows it: `Stance` without the facts
    of its history and sides, only their actions (`actions`, sorted)."""

    actor: str
    target_key: str
    target: str
    stance: str
    action: str
    first_date: str | None
    last_date: str | None
    sources: int
    conflict: bool
    superseded: tuple[str, ...]
    actions: tuple[str, ...]


_brief = builder(Brief)


def brief(stance: Stance) -> Brief:
    """`stance` without the facts of its history and sides."""
    actions = {stance.action, *(f.action for f in stance.sides), *(f.action for f in stance.history)}
    return _brief(stance.actor, stance.target_key, stance.target, stance.stance, stance.action, stance.first_date,
                  stance.last_date, stance.sources, stance.conflict, stance.superseded, tuple(sorted(actions)))


def stance_of(history: list[Fact]) -> Stance:
    """The current stance given one actor's facts on one target (at least one)."""
    if len(history) == 1:
        (f,) = history
        return _stance(f.actor, f.target_key, f.target, stance_word(f.action), f.action, f.first_date, f.last_date,
                       f.sources, False, (), (), (f,))
    history = sorted(history, key=chronology)
    return judged(history, judge(history))


def judged(history: list[Fact], judgement: Judgement) -> Stance:
    """The stance `judgement` gives of `history` (one actor's facts on one target, in chronology)."""
    best = history[judgement.best]
    return _stance(best.actor, best.target_key, best.target, stance_word(best.action), best.action,
                   best.first_date, best.last_date, best.sources, bool(judgement.sides),
                   tuple(history[i] for i in judgement.sides),
                   tuple(dict.fromkeys(stance_word(history[i].action) for i in judgement.superseded)),
                   tuple(history))


def stances_from(facts: list[Fact]) -> list[Stance]:
    """One stance per (actor, target) among `facts`, by target then actor."""
    groups: dict[tuple[str, str], list[Fact]] = {}
    for f in facts:
        key = (f.target_key, f.actor)
        group = groups.get(key)
        if group is None:
            groups[key] = [f]
        else:
            group.append(f)
    return [stance_of(groups[k]) for k in sorted(groups)]


AFRESH_ONE_BY_ONE = 20
"""Up to this many pairs to judge afresh, their facts are read pair by pair; past it, every fact in scope once."""


def _afresh(store: Store, target: str | None, actor: str | None) -> set[tuple[str, str]]:
    """The (actor, target_key) pairs in scope that the stance summary cannot answer: those whose
    rows are stale, and those a correction names (as it stood before it, or after)."""
    pairs = summary.stale_pairs(store.conn, actor, target)
    for c in corrections(store.conn):
        for code, _, key in (c.fact, c.result):
            if (actor is None or code == actor) and (target is None or key == target):
                pairs.add((code, key))
    return pairs


def _judged_afresh(store: Store, pairs: set[tuple[str, str]], target: str | None, actor: str | None) -> list[Stance]:
    """The stances of `pairs` (in scope), judged from their facts, corrections applied."""
    if len(pairs) <= AFRESH_ONE_BY_ONE:
        return [s for code, key in sorted(pairs) for s in stances_from(load_facts(store, code, None, key, evidence=False))]
    return stances_from([f for f in load_facts(store, actor=actor, target=target, evidence=False)
                         if (f.actor, f.target_key) in pairs])


def _from_summary(store: Store, target: str | None, actor: str | None, make: Callable[..., T],
                  afresh_made: Callable[[Stance], T]) -> list[T]:
    """`make(code, key, name, kind, best, superseded, sides, facts)` for each stance in scope, from
    the stance summary's judgement (JSON), and `afresh_made(stance)` for the pairs it cannot
    answer (stale, or named by a correction), judged again from their facts; by target then actor."""
    afresh = _afresh(store, target, actor)
    labels = target_labels(store) if target is None else {}  # many targets: their names in one query
    found = []
    for key, code, _, _, text in summary.stance_rows(store.conn, actor, target):
        if afresh and (code, key) in afresh:
            continue
        name, kind = labels.get(key) or target_label(store, key, labels)
        found.append(make(code, key, name, kind, *json.loads(text)))
    if afresh:
        found += [afresh_made(s) for s in _judged_afresh(store, afresh, target, actor)]
        found.sort(key=lambda s: (s.target_key, s.actor))
    return found


def _stance_of_judgement(code: str, key: str, name: str, kind: str, best: int, superseded: list[int],
                         sides: list[int], facts: list[list]) -> Stance:
    history = [make_fact(code, a, key, name, kind, first, last, sources, documents, "extracted", (), ())
               for a, first, last, sources, documents in facts]
    return judged(history, Judgement(best, tuple(superseded), tuple(sides)))


def _brief_of_judgement(code: str, key: str, name: str, kind: str, best: int, superseded: list[int],
                        sides: list[int], facts: list[list]) -> Brief:
    action, first, last, sources, _ = facts[best]
    return _brief(code, key, name, stance_word(action), action, first, last, sources, bool(sides),
                  tuple(dict.fromkeys(stance_word(facts[i][0]) for i in superseded)),
                  tuple(sorted({f[0] for f in facts})))


def summary_stances(store: Store, target: str | None = None, actor: str | None = None) -> list[Stance]:
    """The stances `stances_from(load_facts(store, actor, target, evidence=False))` gives, read from
    the stance summary (accord.store.stances): one row per stance instead of every fact, judged
    again only for the pairs the summary cannot answer (stale, or named by a correction)."""
    return _from_summary(store, target, actor, _stance_of_judgement, lambda s: s)


def brief_stances(store: Store, target: str | None = None, actor: str | None = None) -> list[Brief]:
    """`[brief(s) for s in summary_stances(store, target, actor)]`, read from the stance summary's
    judgements without making the facts of each history (an actor has thousands)."""
    return _from_summary(store, target, actor, _brief_of_judgement, brief)


def stance_actions(store: Store, target: str | None = None, actor: str | None = None) -> dict[tuple[str, str], str]:
    """{(target_key, actor): the action of the current stance} for the stances in scope, as
    `summary_stances` gives them, from the summary's action column (no history read)."""
    afresh = _afresh(store, target, actor)
    held = {(key, code): action for key, code, action, _ in summary.stance_rows(store.conn, actor, target, False)
            if not (afresh and (code, key) in afresh)}
    held.update(((s.target_key, s.actor), s.action) for s in _judged_afresh(store, afresh, target, actor))
    return held


def load_stances(store: Store, target: str | None = None, actor: str | None = None,
                 evidence: bool = True) -> list[Stance]:
    """Stances of an open store, for one target key and/or one actor code (or all).

    With `evidence`, history facts carry their first stored source (their counts are complete)
    and the facts of a conflict every source, so both sides can be shown; without, the facts
    carry counts and dates only, and the stances are read from the stance summary."""
    if not evidence:
        return summary_stances(store, target, actor)
    found = stances_from(load_facts(store, actor=actor, target=target, evidence="first"))
    return [replace(s, sides=tuple(_full(store, f) for f in s.sides)) if s.conflict else s for s in found]


def _full(store: Store, fact: Fact) -> Fact:
    """`fact` with every one of its sources."""
    loaded = load_facts(store, *fact.key, include_rejected=True)
    return next((f for f in loaded if f.key == fact.key), fact)


def stances(db: DB, target: str, evidence: bool = True) -> list[Stance]:
    """Each actor's current stance on `target` (a key, name or alias), sorted by actor.
    Raises NotFound (with the closest names) for an unknown target."""
    with opened(db) as store:
        return load_stances(store, target=resolve_target(store, target), evidence=evidence)
