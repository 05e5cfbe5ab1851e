"""The stance table (accord/data/stances.tsv) and the judgement it gives on one actor's facts on one target.

An actor's facts on one target are read with the table: a fact is superseded when a
contradicting fact is clearly later (a withdrawal after a signature, a signature after an
earlier refusal); two contradicting facts of the same period that neither supersedes are a
conflict. Of the facts still standing, the one of highest precedence (row order of the table)
gives the current stance, the latest one when several tie.

This module knows nothing of stores or records beyond an action and two dates per fact, so
that the analyze stage (accord.analyze.stances, on its Facts) and the store's stance summary
(accord.store.stances, on summary rows) judge with the same code.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from accord.datafiles import data_texts


@dataclass(frozen=True)
class StanceRule:
    """How one action reads as a stance (a row of stances.tsv)."""

    action: str
    stance: str
    side: str
    rank: int
    contradicts: frozenset[str]
    follows: frozenset[str]


class Dated(Protocol):
    """What a judgement reads of a fact: its action and its first and last dates."""

    @property
    def action(self) -> str: ...
    @property
    def first_date(self) -> str | None: ...
    @property
    def last_date(self) -> str | None: ...


@dataclass(frozen=True)
class Judgement:
    """What the table says of one actor's facts on one target, as positions in their chronology:
    the fact giving the current stance, the superseded facts, and the facts on the sides of a
    conflict (both ascending; no sides: no conflict)."""

    best: int
    superseded: tuple[int, ...]
    sides: tuple[int, ...]


def _list(field: str) -> frozenset[str]:
    return frozenset() if field.strip() in ("", "-") else frozenset(x.strip() for x in field.split("|") if x.strip())


def _text() -> str:
    return "\n".join(text for _, text in data_texts("stances.tsv"))


@lru_cache(maxsize=1)
def rules() -> dict[str, StanceRule]:
    """The stance table by action, read from accord/data/stances.tsv (contradiction made symmetric)."""
    rows = [line.split("\t") for line in _text().splitlines() if line.strip() and not line.startswith("#")]
    contradicts: dict[str, set[str]] = {r[0]: set(_list(r[3])) for r in rows}
    for action, others in list(contradicts.items()):
        for other in others:
            contradicts.setdefault(other, set()).add(action)
    return {r[0]: StanceRule(r[0], r[1], r[2], rank, frozenset(contradicts[r[0]]), _list(r[4]))
            for rank, r in enumerate(rows)}


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """A digest of the table's rows: what a stored judgement was made with (accord.store.stances)."""
    rows = [line for line in _text().splitlines() if line.strip() and not line.startswith("#")]
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]


def stance_word(action: str) -> str:
    """The stance an action shows ("sign" -> "signed")."""
    rule = rules().get(action)
    return rule.stance if rule else action


def chronology(fact: Dated) -> tuple[str, str, str]:
    """The order of an actor's facts on a target: first date (undated last), last date, action."""
    return (fact.first_date or "9999", fact.last_date or "", fact.action)


def judge(history: Sequence[Dated]) -> Judgement:
    """The judgement of one actor's facts on one target, given in `chronology` order (at least one).

    `g` supersedes `f` when their actions contradict and f's last date is before g's first, or,
    unless g's last date is before f's first, when g's action presumes f's ("withdrew" after
    "signed"). Dates compare at their common precision: "2024" is neither before nor after
    "2024-05" (a[:len(b)] against b[:len(a)] cuts both to the shorter one)."""
    table = rules()
    if len(history) == 1:
        return Judgement(0, (), ())
    # only facts whose actions contradict can supersede or conflict: look those pairs up by action
    by_action: dict[str, list[int]] = {}
    for i, f in enumerate(history):
        same = by_action.get(f.action)
        if same is None:
            by_action[f.action] = [i]
        else:
            same.append(i)
    superseded: set[int] = set()
    for j, g in enumerate(history):  # does g supersede f?
        rule = table.get(g.action)
        if rule is None:
            continue
        g_first, g_last = g.first_date, g.last_date
        for a in rule.contradicts:
            same = by_action.get(a)
            if same is None:
                continue
            follows = a in rule.follows
            for i in same:
                if i == j:
                    continue
                f = history[i]
                earlier = f.last_date
                if earlier and g_first and earlier[:len(g_first)] < g_first[:len(earlier)]:
                    superseded.add(i)
                    continue
                later = f.first_date
                if g_last and later and g_last[:len(later)] < later[:len(g_last)]:
                    continue
                if follows:
                    superseded.add(i)
    standing = [i for i in range(len(history)) if i not in superseded] or list(range(len(history)))
    standing_count: dict[str, int] = {}
    for i in standing:
        action = history[i].action
        standing_count[action] = standing_count.get(action, 0) + 1
    # a standing fact is on a side when another standing fact contradicts it (itself not counted)
    contested = set()
    for action in standing_count:
        rule = table.get(action)
        if rule and any(standing_count.get(a, 0) > (a == action) for a in rule.contradicts):
            contested.add(action)
    sides = tuple(i for i in standing if history[i].action in contested) if contested else ()
    best = max(standing, key=lambda i: (-(table[history[i].action].rank if history[i].action in table else 99),
                                        history[i].last_date or ""))
    return Judgement(best, tuple(sorted(superseded)), sides)
