"""The SQLite schema of Accord's store, as named migrations applied in order.

Each migration runs once; its name is recorded in the `migrations` table, so opening an
older store brings it up to date and opening a current one changes nothing.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

MIGRATIONS: list[tuple[str, str]] = [
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
]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply the migrations this store lacks; return their names."""
    conn.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = {row[0] for row in conn.execute("SELECT name FROM migrations")}
    applied = []
    for name, sql in MIGRATIONS:
        if name in done:
            continue
        with conn:
            _apply(conn, name, sql)
        applied.append(name)
    return applied


def _apply(conn: sqlite3.Connection, name: str, sql: str) -> None:
    for statement in (s.strip() for s in sql.split(";")):
        if statement:
            conn.execute(statement)
    conn.execute("INSERT INTO migrations VALUES (?, ?)", (name, datetime.now(UTC).isoformat(timespec="seconds")))
