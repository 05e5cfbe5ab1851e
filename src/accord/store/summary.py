"""The fact summary: one row per extracted (actor, action, target_key), kept current by triggers.

Stances, actor profiles and timelines need, for each fact, its first and last dates, its
independent sources, its documents and its first stored report. Aggregating those from the
events table costs a scan of every event of an actor or a target (tens of thousands on a big
store); `fact_summary` holds them ready, so those queries read one row per fact.

It is kept exact whatever writes to the store (ingest, a bulk load in plain SQL, a
re-extraction that deletes events): triggers on `events` and `documents` list the facts a
write touches in `fact_summary_stale`; readers take the summary rows of facts not listed
there and aggregate the listed ones from the events (so a reader never writes and never
reads a stale row); writers call `refresh` to bring the listed facts up to date (every
document a Store adds does, in its own transaction). Analysts' corrections are not in the
summary: they are applied on top of it when facts are read, as they are on top of events.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

FULL_REBUILD = 20_000
"""Past this many stale facts, `refresh` rebuilds the whole summary in one grouped scan (faster)."""

_STALE_ROW = "INSERT OR IGNORE INTO fact_summary_stale VALUES ({0}.actor, {0}.action, {0}.target_key)"
_STALE_DOC = ("INSERT OR IGNORE INTO fact_summary_stale SELECT actor, action, target_key FROM events"
              " WHERE doc_id = {0}.id")

SCHEMA: tuple[str, ...] = (
    """CREATE TABLE fact_summary (
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target_key TEXT NOT NULL,
        first_date TEXT,                -- earliest coalesce(event date, document published)
        last_date TEXT,                 -- latest of the same
        sources INTEGER NOT NULL,       -- independent sources: near-duplicate copies count once
        documents INTEGER NOT NULL,     -- distinct documents
        events INTEGER NOT NULL,        -- stored events
        event_id INTEGER NOT NULL,      -- the first stored report (lowest event id), copied below
        doc_id TEXT NOT NULL,           -- so that a fact's row is all a stance or a timeline reads
        doc TEXT NOT NULL,
        date TEXT,
        evidence TEXT NOT NULL,
        original_id TEXT NOT NULL,
        start INTEGER,
        end INTEGER,
        confidence REAL,
        PRIMARY KEY (actor, action, target_key)
    ) WITHOUT ROWID""",
    "CREATE INDEX fact_summary_target ON fact_summary(target_key, actor, action)",
    """CREATE TABLE fact_summary_stale (
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target_key TEXT NOT NULL,
        PRIMARY KEY (actor, action, target_key)
    ) WITHOUT ROWID""",
    f"CREATE TRIGGER fact_summary_event_in AFTER INSERT ON events BEGIN {_STALE_ROW.format('NEW')}; END",
    f"CREATE TRIGGER fact_summary_event_out AFTER DELETE ON events BEGIN {_STALE_ROW.format('OLD')}; END",
    "CREATE TRIGGER fact_summary_event_change AFTER UPDATE OF id, doc_id, actor, action, target_key, date,"
    f" evidence, start, end, confidence ON events BEGIN {_STALE_ROW.format('OLD')}; {_STALE_ROW.format('NEW')}; END",
    f"CREATE TRIGGER fact_summary_document_in AFTER INSERT ON documents BEGIN {_STALE_DOC.format('NEW')}; END",
    f"CREATE TRIGGER fact_summary_document_out AFTER DELETE ON documents BEGIN {_STALE_DOC.format('OLD')}; END",
    "CREATE TRIGGER fact_summary_document_change AFTER UPDATE OF id, doc, published, duplicate_of ON documents"
    f" BEGIN {_STALE_DOC.format('OLD')}; {_STALE_DOC.format('NEW')}; END",
)
"""The tables and triggers (store migration 0006_fact_summary, which also fills the table)."""

COUNTS = "actor, action, target_key, first_date, last_date, sources, documents, events"
FIRST = "event_id, doc_id, doc, date, evidence, original_id, start, end, confidence"

_ROWS = ("SELECT g.*, e.doc_id AS doc_id, d.doc AS doc, coalesce(e.date, d.published) AS date,"
         " e.evidence AS evidence, coalesce(d.duplicate_of, d.id) AS original_id, e.start AS start, e.end AS end,"
         " e.confidence AS confidence FROM ({}) g CROSS JOIN events e ON e.id = g.event_id"
         " JOIN documents d ON d.id = e.doc_id")
_AGGREGATE = ("SELECT e.actor AS actor, e.action AS action, e.target_key AS target_key,"
              " min(coalesce(e.date, d.published)) AS first_date, max(coalesce(e.date, d.published)) AS last_date,"
              " count(DISTINCT coalesce(d.duplicate_of, d.id)) AS sources, count(DISTINCT e.doc_id) AS documents,"
              " count(*) AS events, min(e.id) AS event_id")
_STALE = (f"{_AGGREGATE} FROM fact_summary_stale s CROSS JOIN events e ON e.actor = s.actor"
          " AND e.target_key = s.target_key AND e.action = s.action JOIN documents d ON d.id = e.doc_id")
FILL = (f"INSERT INTO fact_summary ({COUNTS}, {FIRST}) " + _ROWS.format(
    f"{_AGGREGATE} FROM events e JOIN documents d ON d.id = e.doc_id GROUP BY e.actor, e.target_key, e.action"))
"""Every fact aggregated from the events (the grouping follows index events_actor_facts)."""


def scope(actor: str | None, action: str | None, target: str | None, table: str) -> tuple[str, list[str]]:
    """A WHERE clause over `table`'s actor, action and target_key columns, and its arguments."""
    clauses, args = [], []
    for column, value in (("target_key", target), ("actor", actor), ("action", action)):
        if value is not None:
            clauses.append(f"{table}.{column} = ?")
            args.append(value)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), args


_FIRST_DATE = "coalesce(nullif(first_date, ''), '9999')"
ORDER = f"{_FIRST_DATE}, actor, action, target_key"
"""The order of facts: first date (undated or empty last), actor, action, target (`ordered` reads)."""

INDEXES: tuple[str, ...] = (
    f"CREATE INDEX fact_summary_target_order ON fact_summary(target_key, {_FIRST_DATE}, actor, action)",
    f"CREATE INDEX fact_summary_actor_order ON fact_summary(actor, {_FIRST_DATE}, action, target_key)",
)
"""Facts of a target or an actor in ORDER (store migration 0009_fact_order), so that one page of a
long list is read without reading and sorting the others."""


def _select(conn: sqlite3.Connection, actor: str | None, action: str | None, target: str | None,
            first: bool, ordered: bool) -> tuple[str, list[str]]:
    """The query `fact_rows` runs, and its arguments."""
    columns = f"{COUNTS}, {FIRST}" if first else COUNTS
    where, args = scope(actor, action, target, "f")
    sql = f"SELECT {columns} FROM fact_summary f{where}"
    if conn.execute("SELECT 1 FROM fact_summary_stale LIMIT 1").fetchone():
        stale_where, stale_args = scope(actor, action, target, "s")
        stale = f"{_STALE}{stale_where} GROUP BY s.actor, s.action, s.target_key"
        sql += (f"{' AND' if where else ' WHERE'} NOT EXISTS (SELECT 1 FROM fact_summary_stale s"
                " WHERE s.actor = f.actor AND s.action = f.action AND s.target_key = f.target_key)"
                f" UNION ALL SELECT {columns} FROM ({_ROWS.format(stale) if first else stale})")
        args = args + stale_args
    if ordered:
        sql = f"SELECT * FROM ({sql}) ORDER BY {ORDER}"
    return sql, args


def fact_rows(conn: sqlite3.Connection, actor: str | None = None, action: str | None = None,
              target: str | None = None, first: bool = False, ordered: bool = False,
              window: tuple[int, int] | None = None) -> Iterator[tuple]:
    """The extracted facts in scope, exact even before a refresh: tuples of COUNTS, followed (with
    `first`) by the FIRST stored report's event id, doc_id, doc, date, evidence, original, start,
    end and confidence; `ordered`: in ORDER; `window` (offset, limit): only those rows of them."""
    sql, args = _select(conn, actor, action, target, first, ordered)
    if window is not None:
        sql += " LIMIT ? OFFSET ?"
        args = [*args, window[1], window[0]]
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: a busy actor has thousands of facts
    yield from cursor.execute(sql, args)


def fact_count(conn: sqlite3.Connection, actor: str | None = None, action: str | None = None,
               target: str | None = None) -> int:
    """How many rows `fact_rows` gives for this scope (an index count when nothing is stale)."""
    sql, args = _select(conn, actor, action, target, False, False)
    return conn.execute(f"SELECT count(*) FROM ({sql})", args).fetchone()[0]


def refresh(conn: sqlite3.Connection) -> int:
    """Bring the stale facts of the summary up to date, inside the caller's transaction if one is
    open; return how many were stale."""
    stale = conn.execute("SELECT count(*) FROM fact_summary_stale").fetchone()[0]
    if not stale:
        return 0
    if stale > FULL_REBUILD:
        conn.execute("DELETE FROM fact_summary")
        conn.execute(FILL)
    else:
        conn.execute("DELETE FROM fact_summary WHERE (actor, action, target_key) IN"
                     " (SELECT actor, action, target_key FROM fact_summary_stale)")
        conn.execute(f"INSERT INTO fact_summary ({COUNTS}, {FIRST}) "
                     + _ROWS.format(f"{_STALE} GROUP BY s.actor, s.action, s.target_key"))
    conn.execute("DELETE FROM fact_summary_stale")
    return stale
