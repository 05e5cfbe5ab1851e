"""Running counts: rows per table, events per actor, per target and per month, kept by triggers.

The overview page, the target and actor lists and the API's totals show how many events,
documents, actors and targets the store holds, and how many events each actor, target and
month has. Counting those from the events table scans a million rows on a big store (a
second or more); these tables hold them ready, so those pages read a few hundred rows.

Triggers on `events`, `documents` and `articles` keep every count exact whatever writes
to the store (ingest, a bulk load in plain SQL, a repair script's deletes and updates),
in the writer's own transaction. A month is that of the event's date, else of its
document's publication date (as the overview's activity chart shows them); an event whose
document is not stored is counted under its own date only.
"""

from __future__ import annotations

DATED = "GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*'"
"""What a date must look like to count in a month."""

_PUBLISHED = "(SELECT published FROM documents WHERE id = {0}.doc_id)"
_MONTH = f"coalesce({{0}}.date, {_PUBLISHED})"


def _event_in(row: str) -> str:
    """Statements counting one event in (`row` is NEW, or OLD of an update)."""
    pair = f"actor = {row}.actor AND target_key = {row}.target_key"
    new_pair = f"NOT EXISTS (SELECT 1 FROM actor_target_counts WHERE {pair})"
    month = _MONTH.format(row)
    return "; ".join((
        f"INSERT INTO actor_counts VALUES ({row}.actor, 1, 0) ON CONFLICT DO UPDATE SET events = events + 1",
        f"INSERT INTO target_counts VALUES ({row}.target_key, 1, 0) ON CONFLICT DO UPDATE SET events = events + 1",
        f"UPDATE actor_counts SET targets = targets + 1 WHERE actor = {row}.actor AND {new_pair}",
        f"UPDATE target_counts SET actors = actors + 1 WHERE target_key = {row}.target_key AND {new_pair}",
        f"INSERT INTO actor_target_counts VALUES ({row}.actor, {row}.target_key, 1)"
        " ON CONFLICT DO UPDATE SET events = events + 1",
        f"INSERT INTO month_counts SELECT substr(m, 1, 7), 1 FROM (SELECT {month} AS m) WHERE m {DATED}"
        " ON CONFLICT DO UPDATE SET events = events + 1",
        "UPDATE table_counts SET n = n + 1 WHERE name = 'events'",
    ))


def _event_out(row: str) -> str:
    """Statements counting one event out (`row` is OLD)."""
    pair = f"actor = {row}.actor AND target_key = {row}.target_key"
    emptied = f"(SELECT count(*) FROM actor_target_counts WHERE {pair} AND events = 0)"
    month = _MONTH.format(row)
    return "; ".join((
        f"UPDATE actor_target_counts SET events = events - 1 WHERE {pair}",
        f"UPDATE actor_counts SET events = events - 1, targets = targets - {emptied} WHERE actor = {row}.actor",
        f"UPDATE target_counts SET events = events - 1, actors = actors - {emptied}"
        f" WHERE target_key = {row}.target_key",
        f"DELETE FROM actor_target_counts WHERE {pair} AND events = 0",
        f"DELETE FROM actor_counts WHERE actor = {row}.actor AND events = 0",
        f"DELETE FROM target_counts WHERE target_key = {row}.target_key AND events = 0",
        f"UPDATE month_counts SET events = events - 1 WHERE month = (SELECT substr(m, 1, 7)"
        f" FROM (SELECT {month} AS m) WHERE m {DATED})",
        "DELETE FROM month_counts WHERE events = 0",
        "UPDATE table_counts SET n = n - 1 WHERE name = 'events'",
    ))


def _undated_moved(doc_id: str, old: str, new: str) -> str:
    """Statements moving a document's undated events from the month of publication `old` to
    that of `new` (either may be NULL: the document is being stored or deleted)."""
    undated = f"(SELECT count(*) FROM events WHERE doc_id = {doc_id} AND date IS NULL)"
    return "; ".join((
        f"UPDATE month_counts SET events = events - {undated}"
        f" WHERE {old} {DATED} AND month = substr({old}, 1, 7)",
        f"INSERT INTO month_counts SELECT substr({new}, 1, 7), {undated} WHERE {new} {DATED} AND {undated} > 0"
        " ON CONFLICT DO UPDATE SET events = events + excluded.events",
        "DELETE FROM month_counts WHERE events = 0",
    ))


def _table_count(name: str, sign: str, rows: str = "1") -> str:
    return f"UPDATE table_counts SET n = n {sign} ({rows}) WHERE name = '{name}'"


SCHEMA: tuple[str, ...] = (
    """CREATE TABLE table_counts (
        name TEXT PRIMARY KEY,          -- documents, relevant (documents), articles, events
        n INTEGER NOT NULL
    ) WITHOUT ROWID""",
    """CREATE TABLE actor_counts (
        actor TEXT PRIMARY KEY,
        events INTEGER NOT NULL,
        targets INTEGER NOT NULL        -- distinct targets of its events
    ) WITHOUT ROWID""",
    """CREATE TABLE target_counts (
        target_key TEXT PRIMARY KEY,
        events INTEGER NOT NULL,
        actors INTEGER NOT NULL         -- distinct actors of its events
    ) WITHOUT ROWID""",
    """CREATE TABLE actor_target_counts (
        actor TEXT NOT NULL,
        target_key TEXT NOT NULL,
        events INTEGER NOT NULL,
        PRIMARY KEY (actor, target_key)
    ) WITHOUT ROWID""",
    """CREATE TABLE month_counts (
        month TEXT PRIMARY KEY,         -- YYYY-MM
        events INTEGER NOT NULL
    ) WITHOUT ROWID""",
    f"CREATE TRIGGER counts_event_in AFTER INSERT ON events BEGIN {_event_in('NEW')}; END",
    f"CREATE TRIGGER counts_event_out AFTER DELETE ON events BEGIN {_event_out('OLD')}; END",
    "CREATE TRIGGER counts_event_change AFTER UPDATE OF doc_id, actor, target_key, date ON events"
    f" BEGIN {_event_out('OLD')}; {_event_in('NEW')}; END",
    "CREATE TRIGGER counts_document_in AFTER INSERT ON documents BEGIN"
    f" {_table_count('documents', '+')}; {_table_count('relevant', '+', 'NEW.relevant <> 0')};"
    f" {_undated_moved('NEW.id', 'NULL', 'NEW.published')}; END",
    # before the row goes: a cascade may delete its events once it is gone, when their month is no longer known
    "CREATE TRIGGER counts_document_out BEFORE DELETE ON documents BEGIN"
    f" {_table_count('documents', '-')}; {_table_count('relevant', '-', 'OLD.relevant <> 0')};"
    f" {_undated_moved('OLD.id', 'OLD.published', 'NULL')}; END",
    "CREATE TRIGGER counts_document_change AFTER UPDATE OF relevant, published ON documents BEGIN"
    f" {_table_count('relevant', '+', '(NEW.relevant <> 0) - (OLD.relevant <> 0)')};"
    f" {_undated_moved('NEW.id', 'OLD.published', 'NEW.published')}; END",
    f"CREATE TRIGGER counts_article_in AFTER INSERT ON articles BEGIN {_table_count('articles', '+')}; END",
    f"CREATE TRIGGER counts_article_out AFTER DELETE ON articles BEGIN {_table_count('articles', '-')}; END",
)
"""The tables and triggers (store migration 0007_counts, which also fills the tables with FILL)."""

FILL: tuple[str, ...] = (
    "INSERT INTO table_counts SELECT 'documents', count(*) FROM documents",
    "INSERT INTO table_counts SELECT 'relevant', count(*) FROM documents WHERE relevant",
    "INSERT INTO table_counts SELECT 'articles', count(*) FROM articles",
    "INSERT INTO table_counts SELECT 'events', count(*) FROM events",
    "INSERT INTO actor_target_counts SELECT actor, target_key, count(*) FROM events GROUP BY actor, target_key",
    "INSERT INTO actor_counts SELECT actor, sum(events), count(*) FROM actor_target_counts GROUP BY actor",
    "INSERT INTO target_counts SELECT target_key, sum(events), count(*) FROM actor_target_counts GROUP BY target_key",
    f"INSERT INTO month_counts SELECT substr(m, 1, 7) AS month, count(*) FROM (SELECT {_MONTH.format('e')} AS m"
    f" FROM events e) WHERE m {DATED} GROUP BY month",
)
"""Every count computed afresh from the tables (the migration's fill, and what tests compare with)."""
