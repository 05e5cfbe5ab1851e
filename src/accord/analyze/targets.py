"""The targets: the instrument catalog plus targets first named by documents, with their counts."""

from __future__ import annotations

from dataclasses import dataclass

from accord.analyze.db import DB, opened
from accord.analyze.names import catalog, stored_targets


@dataclass(frozen=True)
class TargetInfo:
    """A target: key, type, names, where it comes from, and how much the store says about it.

    `catalog` is True for catalogued instruments (which appear even with no events);
    `events` counts stored events, `actors` distinct actors, `documents` distinct documents.
    """

    key: str
    name: str
    type: str
    aliases: tuple[str, ...]
    catalog: bool
    year: int | None
    led_by: str | None
    place: str | None
    events: int
    actors: int
    documents: int


def targets(db: DB, with_catalog: bool = True) -> list[TargetInfo]:
    """Every target: catalog entries first (in catalog order), then those first named by documents."""
    with opened(db) as store:
        counts = {r[0]: (r[1], r[2], r[3]) for r in store.conn.execute(
            "SELECT target_key, count(*), count(DISTINCT actor), count(DISTINCT doc_id) FROM events"
            " GROUP BY target_key")}
        stored = stored_targets(store)
    cat = catalog() if with_catalog else {}
    found: list[TargetInfo] = []
    for key, t in cat.items():
        aliases = list(t["aliases"]) + [a for a in stored.get(key, {}).get("aliases", []) if a not in t["aliases"]]
        found.append(TargetInfo(key, t["name"], t["type"], tuple(aliases), True, t["year"], t["led_by"], t["place"],
                                *counts.get(key, (0, 0, 0))))
    for key, t in sorted(stored.items(), key=lambda kv: (not kv[1]["catalog"], kv[0])):
        if key not in cat:
            found.append(TargetInfo(key, t["name"], t["type"], tuple(t["aliases"]), t["catalog"], None, None, None,
                                    *counts.get(key, (0, 0, 0))))
    return found
