"""The SQLite schema of Accord's store, as named migrations applied in order.

Each migration runs once; its name is recorded in the `migrations` table, so opening an
older store brings it up to date and opening a current one changes nothing.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from accord.store import counts, stances, summary

MIGRATIONS: list[tuple[str, str | tuple[str, ...]]] = [
    ("0001_documents", """
        CREATE TABLE documents (
            id TEXT PRIMARY KEY,            -- content id: first 16 hex digits of SHA-256
            doc TEXT NOT NULL,              -- FORMAT.md name: file stem, JSONL id, WARC stem-N
            source TEXT NOT NULL,
            url TEXT,
            title TEXT,
            published TEXT,
            date_note TEXT,
            publisher TEXT,
            author TEXT,
            language TEXT,
            relevant INTEGER NOT NULL,
            relevance_score REAL NOT NULL,
            relevance_terms TEXT NOT NULL,  -- JSON list
            duplicate_of TEXT REFERENCES documents(id),
            removed TEXT NOT NULL,          -- JSON list of boilerplate lines
            reference_date TEXT,
            ingested_at TEXT NOT NULL
        );
        CREATE INDEX documents_doc ON documents(doc);
        CREATE TABLE articles (
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            title TEXT,
            text TEXT NOT NULL,
            principal INTEGER NOT NULL,
            PRIMARY KEY (doc_id, position)
        );
        CREATE TABLE signatures (
            doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            minhash BLOB NOT NULL
        );
        CREATE TABLE document_countries (
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            code TEXT NOT NULL,
            PRIMARY KEY (doc_id, code)
        );
    """),
    ("0002_events", """
        CREATE TABLE targets (
            key TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            aliases TEXT NOT NULL,          -- JSON list
            catalog INTEGER NOT NULL        -- 1: from the catalog, 0: first named by a document
        );
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            target_key TEXT NOT NULL REFERENCES targets(key),
            target_text TEXT NOT NULL,      -- the target as this document names it
            date TEXT,
            evidence TEXT NOT NULL,
            start INTEGER NOT NULL,         -- character span of the evidence in the principal article
            end INTEGER NOT NULL,
            confidence REAL NOT NULL,
            rule TEXT NOT NULL,
            amount TEXT
        );
        CREATE INDEX events_actor ON events(actor, action);
        CREATE INDEX events_target ON events(target_key, actor);
        CREATE INDEX events_doc ON events(doc_id);
    """),
    # Full-text search over article text and event evidence (external-content FTS5: the text
    # stays in articles/events). The triggers that keep the index current contain semicolons,
    # which this file's statement splitter cannot carry, so accord.web.search installs them
    # (with a rebuild) the first time it opens the store; until then the index is empty.
    ("0003_search", """
        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, text, content='articles', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
        );
        CREATE VIRTUAL TABLE evidence_fts USING fts5(
            evidence, content='events', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
        );
        CREATE INDEX events_date ON events(date, id);
        CREATE INDEX events_actor_date ON events(actor, date, id);
        CREATE INDEX events_target_date ON events(target_key, date, id);
        CREATE INDEX documents_published ON documents(published);
    """),
    ("0004_seen_urls", """
        CREATE TABLE seen_urls (
            url TEXT PRIMARY KEY,           -- a page fetched by `accord watch`, never fetched again
            doc_id TEXT,                    -- the document it gave (content id)
            feed TEXT,                      -- the feed that linked it, or NULL for a page watched itself
            seen_at TEXT NOT NULL
        );
    """),
    # The analyze stage: analysts' corrections, kept apart from extracted data and keyed by the
    # fact they name (actor, action, target_key), never by event row ids, so they survive a
    # re-ingest; an audit log of every change; views that read facts in plain SQL (Datasette,
    # pandas, DuckDB) and indexes for per-target, per-actor and near-duplicate lookups.
    ("0005_analyze", """
        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,             -- confirm, reject, edit or add
            actor TEXT NOT NULL,            -- the fact corrected (or added)
            action TEXT NOT NULL,
            target_key TEXT NOT NULL,
            new_actor TEXT,                 -- edit: the new values (NULL: unchanged)
            new_action TEXT,
            new_target_key TEXT,
            date TEXT,                      -- edit or add: the fact's date
            evidence TEXT,                  -- add: the sentence that states it
            doc_id TEXT,                    -- add: the document it is in, if stored
            who TEXT NOT NULL,
            why TEXT NOT NULL,
            at TEXT NOT NULL                -- UTC, ISO 8601
        );
        CREATE INDEX corrections_fact ON corrections(actor, action, target_key);
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            operation TEXT NOT NULL,        -- confirm, reject, edit, add, or refused
            actor TEXT,
            action TEXT,
            target_key TEXT,
            why TEXT,
            detail TEXT NOT NULL            -- JSON: the correction, or the reason it was refused
        );
        CREATE INDEX documents_facts ON documents(id, duplicate_of, published);
        CREATE INDEX events_actor_facts ON events(actor, target_key, action, date, doc_id);
        CREATE INDEX events_target_facts ON events(target_key, actor, action, date, doc_id);
        CREATE VIEW fact_sources AS
            SELECT e.id AS event_id, e.actor, e.action, e.target_key, t.name AS target, t.type AS target_type,
                   coalesce(e.date, d.published) AS date, e.doc_id, d.doc,
                   coalesce(d.duplicate_of, d.id) AS original_id, e.evidence
            FROM events e JOIN documents d ON d.id = e.doc_id JOIN targets t ON t.key = e.target_key;
        CREATE VIEW extracted_facts AS
            SELECT actor, action, target_key, target, target_type, min(date) AS first_date,
                   max(date) AS last_date, count(DISTINCT original_id) AS sources,
                   count(DISTINCT doc_id) AS documents
            FROM fact_sources GROUP BY actor, action, target_key
    """),
    # One row per extracted fact with its dates and counts, so stances, profiles and timelines
    # read a row per fact instead of aggregating every event (see accord.store.summary).
    # Given as separate statements: the triggers' bodies contain semicolons.
    ("0006_fact_summary", (*summary.SCHEMA, summary.FILL)),
    # Rows per table and events per actor, target and month, so lists and totals read a few
    # hundred rows instead of counting every event (see accord.store.counts).
    ("0007_counts", (*counts.SCHEMA, *counts.FILL)),
    # Each actor's facts on each target judged by the stance table, so stances and alignment read
    # one row per stance instead of judging every fact (see accord.store.stances, whose `sync`
    # fills the table when the store is opened).
    ("0008_stance_summary", stances.SCHEMA),
    # A target's or an actor's facts in the order lists show them, so a page of a long list reads
    # its own rows only (see accord.store.summary.INDEXES).
    ("0009_fact_order", summary.INDEXES),
]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply the migrations this store lacks; return their names.

    Each runs in one write transaction, and which have run is read inside it, so two processes
    opening a new store at once apply each migration once."""
    conn.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    applied = []
    for name, sql in MIGRATIONS:
        if conn.execute("SELECT 1 FROM migrations WHERE name = ?", (name,)).fetchone():
            continue
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            if conn.execute("SELECT 1 FROM migrations WHERE name = ?", (name,)).fetchone():
                continue
            _apply(conn, name, sql)
        applied.append(name)
    return applied


def _apply(conn: sqlite3.Connection, name: str, sql: str | tuple[str, ...]) -> None:
    statements = sql.split(";") if isinstance(sql, str) else sql
    for statement in (s.strip() for s in statements):
        if statement:
            conn.execute(statement)
    conn.execute("INSERT INTO migrations VALUES (?, ?)", (name, datetime.now(UTC).isoformat(timespec="seconds")))
