"""Actor profiles: every stance an actor holds and every fact about it, in time order."""

from __future__ import annotations

from dataclasses import dataclass

from accord.analyze.db import DB, opened
from accord.analyze.facts import Fact, load_facts
from accord.analyze.names import actor_name, resolve_actor
from accord.analyze.stances import Brief, Stance, brief_stances, summary_stances


@dataclass(frozen=True)
class ActorProfile:
    """An actor's stances (one per target, by the date of the stance) and its facts, earliest first.

    Facts carry their counts and first stored source; `facts(db, actor=...)` gives every source.
    The stances come from the stance summary: the facts of their histories carry counts and dates."""

    actor: str
    name: str
    stances: tuple[Stance, ...]
    facts: tuple[Fact, ...]
    conflicts: int


def actor_profile(db: DB, code: str, facts: bool = True) -> ActorProfile:
    """The profile of the actor `code` (a code or a known name); NotFound with the closest ones.
    `facts=False` leaves the facts out (a page showing a few reads them with `fact_window`)."""
    with opened(db) as store:
        actor = resolve_actor(store, code)
        found = load_facts(store, actor=actor, evidence="first") if facts else []
        held = sorted(summary_stances(store, actor=actor), key=lambda s: (s.first_date or "9999", s.target_key))
    return ActorProfile(actor, actor_name(actor), tuple(held), tuple(found), sum(s.conflict for s in held))


@dataclass(frozen=True)
class ActorBrief:
    """An actor's stances in brief (one per target, by the date of the stance, without the facts
    of their histories) and how many of them are in conflict: what a country page lists."""

    actor: str
    name: str
    stances: tuple[Brief, ...]
    conflicts: int


def actor_brief(db: DB, code: str) -> ActorBrief:
    """The stances of `actor_profile(db, code, facts=False)`, in brief."""
    with opened(db) as store:
        actor = resolve_actor(store, code)
        held = sorted(brief_stances(store, actor=actor), key=lambda s: (s.first_date or "9999", s.target_key))
    return ActorBrief(actor, actor_name(actor), tuple(held), sum(s.conflict for s in held))
