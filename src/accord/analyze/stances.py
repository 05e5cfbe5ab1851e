"""Stances: each actor's current position on a target, with its history and any conflict between sources.

An actor's facts on one target are read with the table in accord/data/stances.tsv: a fact is
superseded when a contradicting fact is clearly later (a withdrawal after a signature, a
signature after an earlier refusal); two contradicting facts of the same period that
neither supersedes are a conflict, flagged with both sides' evidence. Of the facts still
standing, the one of highest precedence (row order of the table) gives the current stance,
the latest one when several tie. Every fact stays in the history.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

from accord.analyze.db import DB, opened
from accord.analyze.facts import Fact, builder, load_facts
from accord.analyze.names import resolve_target
from accord.store.database import Store


@dataclass(frozen=True)
class StanceRule:
    """How one action reads as a stance (a row of stances.tsv)."""

    action: str
    stance: str
    side: str
    rank: int
    contradicts: frozenset[str]
    follows: frozenset[str]


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


def _list(field: str) -> frozenset[str]:
    return frozenset() if field.strip() in ("", "-") else frozenset(x.strip() for x in field.split("|") if x.strip())


@lru_cache(maxsize=1)
def rules() -> dict[str, StanceRule]:
    """The stance table by action, read from accord/data/stances.tsv (contradiction made symmetric)."""
    text = resources.files("accord").joinpath("data").joinpath("stances.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    contradicts: dict[str, set[str]] = {r[0]: set(_list(r[3])) for r in rows}
    for action, others in list(contradicts.items()):
        for other in others:
            contradicts.setdefault(other, set()).add(action)
    return {r[0]: StanceRule(r[0], r[1], r[2], rank, frozenset(contradicts[r[0]]), _list(r[4]))
            for rank, r in enumerate(rows)}


def stance_word(action: str) -> str:
    """The stance an action shows ("sign" -> "signed")."""
    rule = rules().get(action)
    return rule.stance if rule else action


def _supersedes(later: Fact, earlier: Fact, rule: StanceRule | None = None) -> bool:
    """Whether `later` replaces `earlier`: they contradict and `later` clearly comes after, or
    they are of the same period (or undated) and `later` presumes `earlier` (withdrew, signed).
    `rule` is later's row of the stance table, when the caller has it at hand.

    Dates compare at their common precision: "2024" is neither before nor after "2024-05"
    (a[:len(b)] against b[:len(a)] cuts both to the shorter one)."""
    rule = rule or rules().get(later.action)
    if rule is None or earlier.action not in rule.contradicts:
        return False
    a, b = earlier.last_date, later.first_date
    if a and b and a[:len(b)] < b[:len(a)]:
        return True
    a, b = later.last_date, earlier.first_date
    if a and b and a[:len(b)] < b[:len(a)]:
        return False
    return earlier.action in rule.follows


def stance_of(history: list[Fact]) -> Stance:
    """The current stance given one actor's facts on one target (at least one)."""
    table = rules()
    if len(history) == 1:
        (f,) = history
        return _stance(f.actor, f.target_key, f.target, stance_word(f.action), f.action, f.first_date, f.last_date,
                       f.sources, False, (), (), (f,))
    history = sorted(history, key=_chronology)
    # only facts whose actions contradict can supersede or conflict: look those pairs up by action
    by_action: dict[str, list[Fact]] = {}
    for f in history:
        same = by_action.get(f.action)
        if same is None:
            by_action[f.action] = [f]
        else:
            same.append(f)
    superseded: set[int] = set()
    for g in history:  # does g supersede f? (`_supersedes`, spelled out: it runs for every pair)
        rule = table.get(g.action)
        if rule is None:
            continue
        g_first, g_last = g.first_date, g.last_date
        for a in rule.contradicts:
            same = by_action.get(a)
            if same is None:
                continue
            follows = a in rule.follows
            for f in same:
                if f is g:
                    continue
                earlier = f.last_date
                if earlier and g_first and earlier[:len(g_first)] < g_first[:len(earlier)]:
                    superseded.add(id(f))
                    continue
                later = f.first_date
                if g_last and later and g_last[:len(later)] < later[:len(g_last)]:
                    continue
                if follows:
                    superseded.add(id(f))
    standing = [f for f in history if id(f) not in superseded] if superseded else history
    standing = standing or history
    standing_count: dict[str, int] = {}
    for f in standing:
        standing_count[f.action] = standing_count.get(f.action, 0) + 1
    # a standing fact is on a side when another standing fact contradicts it (itself not counted)
    contested = set()
    for action in standing_count:
        rule = table.get(action)
        if rule and any(standing_count.get(a, 0) > (a == action) for a in rule.contradicts):
            contested.add(action)
    sides = [f for f in standing if f.action in contested] if contested else []
    best = max(standing, key=lambda f: (-(table[f.action].rank if f.action in table else 99), f.last_date or ""))
    return _stance(best.actor, best.target_key, best.target, stance_word(best.action), best.action,
                   best.first_date, best.last_date, best.sources, bool(sides), tuple(sides),
                   tuple(dict.fromkeys(stance_word(f.action) for f in history if id(f) in superseded))
                   if superseded else (), tuple(history))


def _chronology(f: Fact) -> tuple[str, str, str]:
    return (f.first_date or "9999", f.last_date or "", f.action)


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


def load_stances(store: Store, target: str | None = None, actor: str | None = None,
                 evidence: bool = True) -> list[Stance]:
    """Stances of an open store, for one target key and/or one actor code (or all).

    History facts carry their first stored source only (their counts are complete); with
    `evidence`, the facts of a conflict carry every source, so both sides can be shown."""
    found = stances_from(load_facts(store, actor=actor, target=target, evidence="first" if evidence else False))
    if not evidence:
        return found
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
