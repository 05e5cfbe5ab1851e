"""The stance summary: each actor's facts on each target, judged by the stance table, kept current.

A stance (accord.analyze.stances) is the judgement of the stance table (accord.stance_rules)
on every fact an actor has on a target. Judging them when asked reads and judges every fact
of a target (a thousand or more on a big store) or of an actor, and every fact of the store
for the alignment of countries; `stance_summary` holds one row per (target, actor) with the
judgement made and the facts' counts and dates, so those read one row per stance.

It is kept the way the fact summary is (accord.store.summary), from which it is made: any
write that makes a fact stale lists its (actor, target) in `stance_summary_stale` (a trigger
on `fact_summary_stale`); readers judge the listed pairs afresh from the facts instead of
reading their rows; writers call `refresh` after the fact summary's. Analysts' corrections
are not in it either: readers judge the pairs a correction names afresh, corrections applied.
A store whose rows were judged with another stance table (an Accord whose stances.tsv
differs) has them judged again when opened (`sync`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from itertools import groupby
from typing import NamedTuple

from accord.stance_rules import chronology, fingerprint, judge
from accord.store import summary

SCHEMA: tuple[str, ...] = (
    """CREATE TABLE stance_summary (
        target_key TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,           -- the action of the current stance
        conflict INTEGER NOT NULL,      -- 1: standing facts contradict each other
        judged TEXT NOT NULL,           -- JSON [best, [superseded], [sides], [[action, first_date, last_date,
                                        --   sources, documents], ...]]: positions in the facts, earliest first
        PRIMARY KEY (target_key, actor)
    ) WITHOUT ROWID""",
    "CREATE INDEX stance_summary_actor ON stance_summary(actor, target_key)",
    """CREATE TABLE stance_summary_stale (
        actor TEXT NOT NULL,
        target_key TEXT NOT NULL,
        PRIMARY KEY (actor, target_key)
    ) WITHOUT ROWID""",
    "CREATE TABLE stance_summary_rules (fingerprint TEXT NOT NULL)  -- the stance table the rows were judged by",
    "CREATE TRIGGER stance_summary_fact AFTER INSERT ON fact_summary_stale BEGIN"
    " INSERT OR IGNORE INTO stance_summary_stale VALUES (NEW.actor, NEW.target_key); END",
)
"""The tables and trigger (store migration 0008_stance_summary; `sync` fills them on opening)."""


class Row(NamedTuple):
    """A fact as the stance summary keeps it (what a judgement and a stance's history read)."""

    action: str
    first_date: str | None
    last_date: str | None
    sources: int
    documents: int


_STALE_FACTS = ("SELECT f.target_key, f.actor, f.action, f.first_date, f.last_date, f.sources, f.documents"
                " FROM stance_summary_stale s CROSS JOIN fact_summary f"
                " ON f.target_key = s.target_key AND f.actor = s.actor ORDER BY 1, 2")


def judged(facts: list[Row]) -> tuple[str, int, str]:
    """The action, conflict flag and `judged` column of one pair's facts (in any order)."""
    facts = sorted(facts, key=chronology)
    j = judge(facts)
    return facts[j.best].action, int(bool(j.sides)), json.dumps(
        [j.best, list(j.superseded), list(j.sides), [list(f) for f in facts]], separators=(",", ":"))


def refresh(conn: sqlite3.Connection) -> int:
    """Judge the stale pairs again (after bringing the fact summary up to date), inside the
    caller's transaction if one is open; return how many were stale."""
    stale = conn.execute("SELECT count(*) FROM stance_summary_stale").fetchone()[0]
    if not stale:
        return 0
    summary.refresh(conn)
    cursor = conn.cursor()
    cursor.row_factory = None
    rows = []
    for (target, actor), group in groupby(cursor.execute(_STALE_FACTS), key=lambda r: (r[0], r[1])):
        rows.append((target, actor, *judged([Row(*r[2:]) for r in group])))
    conn.execute("DELETE FROM stance_summary WHERE (target_key, actor) IN"
                 " (SELECT target_key, actor FROM stance_summary_stale)")
    conn.executemany("INSERT INTO stance_summary VALUES (?, ?, ?, ?, ?)", rows)
    conn.execute("DELETE FROM stance_summary_stale")
    return stale


def sync(conn: sqlite3.Connection) -> bool:
    """Judge every pair again if the stored rows were judged by another stance table (or never
    were: a store just given the summary); True if it did. One look-up when nothing is to do."""
    current = fingerprint()
    if conn.execute("SELECT 1 FROM stance_summary_rules WHERE fingerprint = ?", (current,)).fetchone():
        return False
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        if conn.execute("SELECT 1 FROM stance_summary_rules WHERE fingerprint = ?", (current,)).fetchone():
            return False  # another process did it meanwhile
        conn.execute("INSERT OR IGNORE INTO stance_summary_stale SELECT DISTINCT actor, target_key FROM fact_summary")
        conn.execute("INSERT OR IGNORE INTO stance_summary_stale SELECT DISTINCT actor, target_key"
                     " FROM fact_summary_stale")
        refresh(conn)
        conn.execute("DELETE FROM stance_summary_rules")
        conn.execute("INSERT INTO stance_summary_rules VALUES (?)", (current,))
    return True


def stance_rows(conn: sqlite3.Connection, actor: str | None = None, target: str | None = None,
                judged: bool = True) -> Iterator[tuple]:
    """Rows (target_key, actor, action, conflict, judged) in scope, stale pairs included (the
    caller judges those afresh: `stale_pairs`), by target then actor; without `judged`, the
    first four columns only."""
    where, args = summary.scope(actor, None, target, "s")
    cursor = conn.cursor()
    cursor.row_factory = None
    columns = "target_key, actor, action, conflict" + (", judged" if judged else "")
    yield from cursor.execute(f"SELECT {columns} FROM stance_summary s{where} ORDER BY target_key, actor", args)


def stale_pairs(conn: sqlite3.Connection, actor: str | None = None,
                target: str | None = None) -> set[tuple[str, str]]:
    """The (actor, target_key) pairs in scope whose rows are stale."""
    where, args = summary.scope(actor, None, target, "s")
    return {(r[0], r[1]) for r in conn.execute(f"SELECT actor, target_key FROM stance_summary_stale s{where}", args)}
