"""The analyze stage as the web app sees it: facts, stances, profiles, timelines, alignment, reviews.

The pages and the API call these functions, which call accord.analyze and turn what it
returns into plain dicts for JSON, CSV and templates. Should the analyze stage be
missing, the read functions fall back to a direct reading of the events table (one fact
per actor, action and target; a stance from the latest action) and reviews say they are
unavailable.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import operator
from collections import defaultdict
from typing import Any

from accord.store.database import Store
from accord.web.countries import actor_name

POSITIVE = {"sign", "ratify", "sponsor", "propose", "adopt", "host", "attend", "pledge", "support"}
NEGATIVE = {"refuse", "withdraw", "oppose"}


def analyze_module() -> Any | None:
    """accord.analyze if it provides the functions the app needs, else None."""
    try:
        module = importlib.import_module("accord.analyze")
    except ImportError:
        return None
    return module if hasattr(module, "facts") and hasattr(module, "stances") else None


def plain(value: Any) -> Any:
    """A dataclass, row or container turned into JSON-ready dicts and lists."""
    if value is None or isinstance(value, str | int | float):  # most values: thousands in a profile
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if hasattr(value, "keys") and hasattr(value, "__getitem__"):
        return {k: plain(value[k]) for k in value.keys()}  # noqa: SIM118 - sqlite3.Row iterates values
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _events(store: Store, target: str | None = None, actor: str | None = None) -> list[dict]:
    sql = ("SELECT e.id, e.doc_id, d.doc, e.actor, e.action, e.target_key, t.name AS target, t.type AS target_type,"
           " e.date, e.evidence, e.start, e.end, e.confidence FROM events e"
           " JOIN documents d ON d.id = e.doc_id JOIN targets t ON t.key = e.target_key WHERE 1=1")
    args: list[object] = []
    if target:
        sql += " AND e.target_key = ?"
        args.append(target)
    if actor:
        sql += " AND e.actor = ?"
        args.append(actor.upper())
    sql += " ORDER BY coalesce(e.date, d.published, ''), e.id"
    return [dict(r) for r in store.conn.execute(sql, args)]


def fact_list(store: Store, target: str | None = None, actor: str | None = None,
              action: str | None = None) -> list[dict]:
    """Facts (actor, action, target) with their evidence and review status."""
    module = analyze_module()
    if module is not None:
        try:  # the review table shows rejected facts too, struck through
            found = module.facts(store, target=target, actor=actor, include_rejected=True)
        except TypeError:
            found = module.facts(store, target=target, actor=actor)
        rows = [_fact_row(f) for f in plain(found)]
    else:
        groups: dict[tuple, dict] = {}
        for ev in _events(store, target, actor):
            key = (ev["actor"], ev["action"], ev["target_key"])
            fact = groups.setdefault(key, {
                "actor": ev["actor"], "action": ev["action"], "target_key": ev["target_key"],
                "target": ev["target"], "date": ev["date"], "status": "extracted", "evidence": []})
            fact["date"] = fact["date"] or ev["date"]
            fact["evidence"].append({k: ev[k] for k in ("id", "doc_id", "doc", "evidence", "start", "end", "date")})
        rows = list(groups.values())
    if action:
        rows = [r for r in rows if r.get("action") == action]
    for r in rows:
        r.setdefault("actor_name", actor_name(r.get("actor", "")))
        r.setdefault("sources", len({e.get("doc_id") for e in r.get("evidence", []) if isinstance(e, dict)}))
    return rows


def fact_page(store: Store, target: str | None = None, actor: str | None = None, action: str | None = None,
              limit: int = 50, offset: int = 0) -> tuple[int, list[dict]]:
    """How many facts are in scope, and one page of them with all their evidence and review status:
    a target with thousands of facts has only its page's facts and sources read."""
    module = analyze_module()
    if module is None or not hasattr(module, "fact_window"):
        rows = fact_list(store, target, actor, action)
        return len(rows), rows[offset:offset + limit]
    total, found = module.fact_window(store, offset, limit, target=target, actor=actor, action=action,
                                      include_rejected=True, evidence=False)
    page = [_fact_row(plain(f)) for f in module.fact_sources(store, found)]
    for r in page:
        r.setdefault("actor_name", actor_name(r.get("actor", "")))
    return total, page


def _fact_row(fact: dict) -> dict:
    """An analyze Fact as the pages use it: a date, evidence items with event ids, the latest review."""
    fact["date"] = fact.get("date") or fact.get("first_date")
    evidence = fact.get("evidence") or []
    if isinstance(evidence, str):
        evidence = [{"evidence": evidence, "doc": fact.get("doc")}]
    evidence = [item for item in evidence if item.get("evidence") or item.get("doc_id") or item.get("doc")]
    for item in evidence:
        item.setdefault("id", item.get("event_id"))
        item["doc_id"] = item.get("doc_id") or item.get("doc") or ""
    fact["evidence"] = evidence
    corrections = fact.get("corrections") or []
    if corrections:
        fact["review"] = corrections[-1]
    fact.setdefault("sources", len({e.get("doc_id") for e in evidence}))
    return fact


def stance_class(row: dict) -> str:
    """positive, negative, neutral or mixed: the colour a stance gets on the map."""
    if row.get("conflict"):
        return "mixed"
    action = row.get("action")
    if action:
        try:
            from accord.analyze.stances import rules

            side = rules()[action].side
            return {"+": "positive", "-": "negative"}.get(side, "neutral")
        except (ImportError, KeyError, AttributeError):
            pass
        return "negative" if action in NEGATIVE else "neutral" if action in ("host", "attend") else "positive"
    return row.get("stance") if row.get("stance") in ("positive", "negative", "mixed", "neutral") else "neutral"


LIGHT = ("actor", "action", "first_date", "sources")
"""What stance rows keep of the facts of a stance's history and sides."""


def _light(value: Any, heavy: tuple[str, ...] = ("history", "sides")) -> dict:
    """A dataclass as `plain` gives it, but for its `heavy` fields, lists of facts kept as LIGHT
    dicts: a profile's stances hold thousands of facts whose evidence lists never show."""
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return plain(value)
    row = {name: plain(getattr(value, name)) for name in _field_names(type(value)) if name not in heavy}
    for name in heavy:
        if hasattr(value, name):
            facts = getattr(value, name) or ()
            try:  # a record with every LIGHT field, as analyze facts and stances are: one C call a fact
                row[name] = [dict(zip(LIGHT, _LIGHT_VALUES(f), strict=True)) for f in facts]
            except AttributeError:
                row[name] = [{k: getattr(f, k, None) for k in LIGHT} for f in facts]
    return row


_LIGHT_VALUES = operator.attrgetter(*LIGHT)


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _stance_row(row: dict, actions: set[str] | None = None) -> dict:
    """An analyze Stance as `_light` gives it, as the pages use it: its colour class and the actions
    behind it (those of its history and sides, unless given)."""
    row["word"] = row.get("stance")
    row["stance"] = stance_class(row)
    if actions is None:
        actions = ({row.get("action")} | {f.get("action") for f in row.get("sides") or []}
                   | {f.get("action") for f in row.get("history") or []})
    row["actions"] = sorted(a for a in actions if a)
    row.setdefault("date", row.get("last_date") or row.get("first_date"))
    return row


def stance_list(store: Store, target: str) -> list[dict]:
    """Each actor's stance on one target: positive, negative or mixed, the actions behind it, conflicts."""
    module = analyze_module()
    if module is not None:
        try:  # the rows keep no evidence: skip reading every source of conflicting facts
            found = module.stances(store, target, evidence=False)
        except TypeError:
            found = module.stances(store, target)
        rows = [_stance_row(_light(r)) for r in (list(found.values()) if isinstance(found, dict) else found)]
    else:
        by_actor: dict[str, list[dict]] = defaultdict(list)
        for ev in _events(store, target=target):
            by_actor[ev["actor"]].append(ev)
        rows = []
        for code, evs in by_actor.items():
            actions = sorted({e["action"] for e in evs})
            pos, neg = POSITIVE.intersection(actions), NEGATIVE.intersection(actions)
            stance = "mixed" if pos and neg else "negative" if neg else "positive"
            rows.append({"actor": code, "stance": stance, "actions": actions, "conflict": bool(pos and neg),
                         "date": max((e["date"] or "" for e in evs), default="") or None,
                         "sources": len({e["doc_id"] for e in evs})})
    return _named_in_order(rows)


def _named_in_order(rows: list[dict]) -> list[dict]:
    """Stance rows with their actor's name, by stance then actor (as a target's stances are listed)."""
    for r in rows:
        r.setdefault("actor_name", actor_name(r.get("actor", "")))
    return sorted(rows, key=lambda r: (r.get("stance", ""), r.get("actor", "")))


def target_stances(store: Store, key: str) -> list[dict]:
    """Each actor's stance on the target `key`, as `stance_list` gives it but in brief: the facts of
    a stance's history and sides are left out, their actions kept (a target page shows no more)."""
    module = analyze_module()
    if module is None or not hasattr(module, "brief_stances"):
        return stance_list(store, key)
    return _named_in_order([_brief_row(s) for s in module.brief_stances(store, key)])


def actor_profile(store: Store, code: str) -> dict:
    """An actor's stances across instruments and its events."""
    module = analyze_module()
    if module is not None and hasattr(module, "actor_profile"):
        found = module.actor_profile(store, code.upper())
        profile = _light(found, ("stances",))
        profile["stances"] = [_stance_row(_light(s)) for s in getattr(found, "stances", profile.get("stances", []))]
        profile["facts"] = [_fact_row(f) for f in profile.get("facts", [])]
        profile.setdefault("statements", [e for f in profile["facts"] for e in f["evidence"][:1]][:50])
        return profile
    evs = _events(store, actor=code)
    by_target: dict[str, list[dict]] = defaultdict(list)
    for e in evs:
        by_target[e["target_key"]].append(e)
    stances = []
    for key, tevs in by_target.items():
        actions = sorted({e["action"] for e in tevs})
        pos, neg = POSITIVE.intersection(actions), NEGATIVE.intersection(actions)
        stances.append({"target_key": key, "target": tevs[0]["target"], "actions": actions,
                        "stance": "mixed" if pos and neg else "negative" if neg else "positive"})
    return {"actor": code.upper(), "name": actor_name(code.upper()), "stances": stances, "events": evs}


def timeline(store: Store, target: str | None = None, actor: str | None = None) -> list[dict]:
    """Events in date order, for a target, an actor, or everything."""
    module = analyze_module()
    if module is not None and hasattr(module, "timeline"):
        return [_entry_row(r) for r in plain(module.timeline(store, target=target, actor=actor))]
    return _events(store, target, actor)


def timeline_page(store: Store, target: str | None = None, actor: str | None = None, limit: int = 100,
                  offset: int = 0) -> tuple[int, list[dict]]:
    """How many entries a timeline has, and one page of them as dicts (only those are converted)."""
    module = analyze_module()
    if module is None or not hasattr(module, "timeline_window"):
        rows = _events(store, target, actor)
        return len(rows), rows[offset:offset + limit]
    total, entries = module.timeline_window(store, offset, limit, target=target, actor=actor)
    return total, [_entry_row(plain(e)) for e in entries]


def _entry_row(row: dict) -> dict:
    row.setdefault("doc_id", row.get("doc") or "")
    row.setdefault("id", None)
    return row


def country_view(store: Store, code: str, latest: int) -> dict:
    """What a country page shows: the actor's stances, what it said (the first report of its first
    50 facts), and the `latest` entries of its timeline with how many there are ("events" and
    "total_events"); only the facts shown are read, and the stances in brief from the stance summary."""
    module = analyze_module()
    if module is None or not hasattr(module, "timeline_window"):
        profile = actor_profile(store, code)
        events = timeline(store, None, code)
        return profile | {"events": events[-latest:], "total_events": len(events)}
    found = module.actor_brief(store, code.upper())
    total, first = module.fact_window(store, 0, 50, actor=found.actor)
    statements = [{"evidence": s.evidence, "doc_id": s.doc_id or s.doc or "", "id": s.event_id}
                  for f in first for s in f.evidence[:1]]
    _, entries = module.timeline_window(store, max(0, total - latest), latest, actor=found.actor)
    return {"actor": found.actor, "name": found.name, "conflicts": found.conflicts,
            "stances": [_brief_row(s) for s in found.stances], "statements": statements,
            "events": [_entry_row(plain(e)) for e in entries], "total_events": total}


def _brief_row(stance: Any) -> dict:
    """A stance in brief (analyze `Brief`) as a country page lists it: `_stance_row` of the stance
    without the facts of its history and sides, only their actions."""
    row = {name: getattr(stance, name) for name in _field_names(type(stance)) if name != "actions"}
    row["superseded"] = list(row["superseded"])
    return _stance_row(row, set(stance.actions))


def alignment(store: Store, min_shared: int = 1) -> dict:
    """Pairwise agreement between actors and the blocs it forms ({"pairs": [...], "blocs": [...]})."""
    module = analyze_module()
    if module is None or not hasattr(module, "alignment"):
        return {"pairs": [], "blocs": [], "note": "the analyze stage is not installed"}
    result = plain(module.alignment(store, min_shared=min_shared))
    if isinstance(result, list):
        result = {"pairs": result, "blocs": []}
    return result


def review(store: Store, decision: str, who: str, why: str, actor: str, action: str, target_key: str,
           **changes: Any) -> dict:
    """Record a reviewer's decision on a fact: confirm, reject, edit (with changes) or add."""
    module = analyze_module()
    if module is None:
        raise LookupError("reviews need the analyze stage, which is not installed")
    fn = getattr(module, decision, None)
    if fn is None:
        raise LookupError(f"the analyze stage has no '{decision}' review")
    return plain(fn(store, actor, action, target_key, who=who, why=why, **changes))
