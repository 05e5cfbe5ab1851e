"""The analyze stage: Accord's one record of the world, read from the store.

Every function takes the store as a `Store` or a path, and returns frozen dataclasses; those
that return lists (and `alignment`, `actor_profile`) take `as_frame=True` to return a pandas
DataFrame instead.

    facts(db, actor=None, action=None, target=None)  one record per (actor, action, target)
    fact_sources(db, facts)                           those facts with every source (a page of a list)
    fact_window(db, offset, limit, ...)               how many facts, and one page of them
    stances(db, target)                               each actor's current stance on a target
    actor_profile(db, code)                           an actor's stances and facts in time order
    actor_brief(db, code)                             its stances without their facts (a country page)
    brief_stances(db, target_key=None, actor=None)    stances without their facts (a target page)
    timeline(db, target=None, actor=None)             facts in time order
    timeline_window(db, offset, limit, target, actor) how many entries, and one page of them
    alignment(db, min_shared=1)                       agreement between pairs of countries, blocs
    targets(db)                                       the catalog plus targets named by documents
    confirm / reject / edit / add (db, actor, action, target_key, who=..., why=...)  corrections
    export(db, what, fmt, out)                        events, facts, stances or alignment to a file

Unknown targets and actors raise NotFound (a LookupError) whose `closest` lists the nearest
known names; a correction of a fact that does not exist raises FactNotFound.
"""

from __future__ import annotations

from typing import Any

from accord.analyze import alignment as _alignment
from accord.analyze import facts as _facts
from accord.analyze import profiles as _profiles
from accord.analyze import stances as _stances
from accord.analyze import targets as _targets
from accord.analyze import timeline as _timeline
from accord.analyze.alignment import Alignment, Bloc, Pair
from accord.analyze.db import DB, opened
from accord.analyze.export import export, export_rows
from accord.analyze.facts import Fact, Source
from accord.analyze.frames import frame
from accord.analyze.names import NotFound
from accord.analyze.profiles import ActorBrief, ActorProfile
from accord.analyze.review import FactNotFound, add, audit_log, confirm, corrections, edit, reject
from accord.analyze.stances import Brief, Stance
from accord.analyze.targets import TargetInfo
from accord.analyze.timeline import TimelineEntry
from accord.store.corrections import AuditEntry, Correction


def facts(db: DB, actor: str | None = None, action: str | None = None, target: str | None = None,
          include_rejected: bool = False, evidence: bool = True, as_frame: bool = False) -> Any:
    """Every fact (filtered by actor code, action, target key), corrections applied, earliest first.
    A filter that matches nothing gives an empty list."""
    found = _facts.facts(db, actor.upper() if actor else None, action, target, include_rejected, evidence)
    return frame(found) if as_frame else found


def fact_window(db: DB, offset: int, limit: int, actor: str | None = None, action: str | None = None,
                target: str | None = None, include_rejected: bool = False,
                evidence: bool | str = "first") -> tuple[int, list[Fact]]:
    """How many facts `facts` gives, and `limit` of them from `offset`: a page of a long list, read
    without the others when no correction touches the list."""
    with opened(db) as store:
        return _facts.fact_window(store, (offset, limit), actor.upper() if actor else None, action, target,
                                  include_rejected, evidence)


def fact_sources(db: DB, found: list[Fact]) -> list[Fact]:
    """`found` (facts read with evidence=False or "first") again with every source: one page of a
    long list gets its sentences without reading those of the others."""
    with opened(db) as store:
        return _facts.with_sources(store, found)


def stances(db: DB, target: str, as_frame: bool = False, evidence: bool = True) -> Any:
    """Each actor's current stance on `target` (key, name or alias), with conflicts and history
    (evidence=False: the facts carry counts and dates but no sentences, which is faster)."""
    found = _stances.stances(db, target, evidence)
    return frame(found) if as_frame else found


def actor_profile(db: DB, code: str, as_frame: bool = False, facts: bool = True) -> Any:
    """An actor's stances and facts in time order (as_frame: the stances; facts=False: no facts)."""
    found = _profiles.actor_profile(db, code, facts)
    return frame(found) if as_frame else found


def actor_brief(db: DB, code: str) -> ActorBrief:
    """An actor's stances in brief (`actor_profile` without facts, and without the facts of each
    stance's history: their actions only) and how many are in conflict."""
    return _profiles.actor_brief(db, code)


def brief_stances(db: DB, target_key: str | None = None, actor: str | None = None) -> list[Brief]:
    """The stances `stances` gives for a target key (or an actor code, or both), in brief: without
    the facts of their histories and sides, only their actions."""
    with opened(db) as store:
        return _stances.brief_stances(store, target_key, actor.upper() if actor else None)


def timeline(db: DB, target: str | None = None, actor: str | None = None, as_frame: bool = False) -> Any:
    """Facts in time order for a target and/or an actor (or everything)."""
    found = _timeline.timeline(db, target, actor)
    return frame(found) if as_frame else found


def timeline_window(db: DB, offset: int, limit: int, target: str | None = None,
                    actor: str | None = None) -> tuple[int, list[TimelineEntry]]:
    """How many entries `timeline` gives, and `limit` of them from `offset` (a page of a long timeline)."""
    return _timeline.timeline_window(db, (offset, limit), target, actor)


def alignment(db: DB, min_shared: int = 1, as_frame: bool = False) -> Any:
    """Agreement between every pair of countries sharing `min_shared` targets, and the blocs
    (as_frame: the pairs, with each country's bloc)."""
    found = _alignment.alignment(db, min_shared)
    return frame(found) if as_frame else found


def targets(db: DB, as_frame: bool = False) -> Any:
    """The catalog plus the targets first named by documents, with their counts."""
    found = _targets.targets(db)
    return frame(found) if as_frame else found


__all__ = [
    "ActorBrief", "ActorProfile", "Alignment", "AuditEntry", "Bloc", "Brief", "Correction", "Fact", "FactNotFound", "NotFound", "Pair",
    "Source", "Stance", "TargetInfo", "TimelineEntry", "actor_profile", "actor_brief", "add", "alignment", "audit_log", "brief_stances",
    "confirm", "corrections", "edit", "export", "export_rows", "fact_sources", "fact_window", "facts", "frame", "reject",
    "stances", "targets", "timeline", "timeline_window",
]
