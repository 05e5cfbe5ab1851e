"""Accord's knowledge base: one SQLite file holding documents, articles and events.

A document is written in one transaction, with its articles, countries, events,
near-duplicate signature and the fact and stance summary rows it changes (accord.store.summary,
accord.store.stances), so a run that stops midway leaves every document either fully stored
or absent. Inside `batched()` (a long ingest) a document is a savepoint instead and
transactions hold many documents, committed by `commit()`: a stop loses at most the documents
of the open transaction, each whole, and the next run stores them again. Documents are keyed
by content id: storing one twice changes nothing.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from accord.records import CleanDocument, Event, Extraction, Target
from accord.store import stances, summary
from accord.store.schema import migrate


@dataclass(frozen=True)
class DocumentRow:
    """A stored document, as listed by `accord docs`."""

    id: str
    doc: str
    source: str
    title: str | None
    published: str | None
    relevant: bool
    duplicate_of: str | None
    language: str | None
    events: int


@dataclass(frozen=True)
class EventRow:
    """A stored event with the document it came from."""

    id: int
    doc_id: str
    doc: str
    actor: str
    action: str
    target_key: str
    target: str
    target_type: str
    date: str | None
    evidence: str
    start: int
    end: int
    confidence: float
    rule: str


def target_key(target: Target) -> str:
    """The catalog key, or a slug of the name for a target first named by a document."""
    if target.key:
        return target.key
    text = unicodedata.normalize("NFKD", target.name).encode("ascii", "ignore").decode().lower()
    return "new:" + re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80]


_INSERT_DOCUMENT = "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
_INSERT_EVENTS = ("INSERT INTO events (doc_id, actor, action, target_key, target_text, date, evidence, start, end,"
                  " confidence, rule, amount) VALUES ")
_EVENT_VALUES = "(?,?,?,?,?,?,?,?,?,?,?,?)"
EVENTS_PER_STATEMENT = 1000
"""Events inserted by one statement (12 values each: well under SQLite's 32,766 variables)."""


def _document_row(clean: CleanDocument, duplicate_of: str | None, now: str) -> tuple:
    """The documents row of a cleaned document, stored at `now`."""
    return (clean.id, clean.doc, clean.source, clean.url, clean.title, clean.published, clean.date_note,
            clean.publisher, clean.author, clean.language, int(clean.relevant), clean.relevance.score,
            json.dumps(list(clean.relevance.terms)), duplicate_of, json.dumps(list(clean.removed)),
            clean.reference_date.isoformat() if clean.reference_date else None, now)


class Store:
    """The SQLite store. Open with `Store(path)`; use as a context manager to close it."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.conn = sqlite3.connect(str(self.path), timeout=30)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self._batched = False
        migrate(self.conn)
        stances.sync(self.conn)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    # --- writing ----------------------------------------------------------------
    @contextmanager
    def batched(self) -> Iterator[None]:
        """Writes inside share transactions, each document a savepoint in them, until
        `commit()` or the end of the block (which commits what is whole, even on an error)."""
        self._batched = True
        try:
            yield
        finally:
            self._batched = False
            try:
                self.conn.commit()
            except sqlite3.Error:
                self.conn.rollback()

    @property
    def batching(self) -> bool:
        """True inside `batched()`."""
        return self._batched

    def commit(self) -> None:
        """Commit the open transaction of a batched run."""
        self.conn.commit()

    def _document_scope(self) -> AbstractContextManager:
        """One document's writes: its own transaction, or a savepoint inside a batch."""
        if not self._batched:
            return self.conn
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN")
        return self._savepoint()

    @contextmanager
    def _savepoint(self) -> Iterator[None]:
        self.conn.execute("SAVEPOINT document")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK TO document")
            self.conn.execute("RELEASE document")
            raise
        self.conn.execute("RELEASE document")

    def has(self, doc_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def add(self, clean: CleanDocument, extraction: Extraction, signature: bytes | None = None,
            duplicate_of: str | None = None) -> bool:
        """Store a document and what was extracted from it; False if it was already there."""
        if self.has(clean.id):
            return False
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._document_scope():
            self.conn.execute(_INSERT_DOCUMENT, _document_row(clean, duplicate_of, now))
            self.conn.executemany(
                "INSERT INTO articles VALUES (?,?,?,?,?)",
                [(clean.id, i, a.title, a.text, int(a.principal)) for i, a in enumerate(clean.articles)])
            self.conn.executemany("INSERT OR IGNORE INTO document_countries VALUES (?,?)",
                                  [(clean.id, c) for c in extraction.countries])
            if signature is not None:
                self.conn.execute("INSERT INTO signatures VALUES (?,?)", (clean.id, signature))
            self._add_events(clean.id, extraction.events)
            summary.refresh(self.conn)  # the facts this document reports, current when it commits
            stances.refresh(self.conn)  # and the stances they change
        return True

    def add_bare(self, cleans: list[CleanDocument]) -> int:
        """Store documents that come with nothing else (no articles, countries, events or
        signature: pages the prefilter kept out of cleaning) in one statement, as one unit;
        return how many were new (one stored already is left as it is). Many at once cost a
        fraction of `add` each: a day of news is mostly such pages."""
        if not cleans:
            return 0
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._document_scope():
            added = self.conn.executemany(_INSERT_DOCUMENT.replace("INSERT", "INSERT OR IGNORE", 1),
                                          [_document_row(c, None, now) for c in cleans]).rowcount
            summary.refresh(self.conn)
            stances.refresh(self.conn)
        return added

    def refresh_facts(self) -> int:
        """Bring the fact and stance summaries up to date after writes made in plain SQL (a bulk
        load, a re-extraction); return how many facts were stale. Readers are exact without it."""
        with self.conn:
            facts = summary.refresh(self.conn)
            stances.refresh(self.conn)
            return facts

    def _add_events(self, doc_id: str, events: tuple[Event, ...]) -> None:
        """Store a document's events (and their targets) in as few statements as possible.

        Each statement that writes to the events table runs the full-text index's trigger in a
        savepoint, and FTS5 writes its pending terms out as a new segment at every savepoint;
        the segments are then merged. So one INSERT per event cost about 30 ms each on a store of
        a million events (a document of 20 events: 700 ms), against 3 to 7 ms for the 20 in one
        statement (EVENTS_PER_STATEMENT at most; ids are given in the events' order as before).
        """
        rows = []
        keys: dict[Target, str] = {}  # a document names the same few targets again and again: each looked up once
        for ev in events:
            key = keys.get(ev.target)
            if key is None:
                key = keys[ev.target] = self._target_key_stored(ev.target)
            surface = ev.target.aliases[-1] if ev.target.aliases else ev.target.name
            rows.append((doc_id, ev.actor, ev.action, key, surface, ev.date, ev.evidence, ev.start, ev.end,
                         ev.confidence, ev.rule, ev.amount))
        for i in range(0, len(rows), EVENTS_PER_STATEMENT):
            chunk = rows[i:i + EVENTS_PER_STATEMENT]
            self.conn.execute(_INSERT_EVENTS + ",".join([_EVENT_VALUES] * len(chunk)), [v for r in chunk for v in r])

    def _target_key_stored(self, target: Target) -> str:
        """`target`'s key, its row added to the targets table if new (its new aliases if not)."""
        key = target_key(target)
        row = self.conn.execute("SELECT aliases FROM targets WHERE key = ?", (key,)).fetchone()
        if row is None:
            self.conn.execute("INSERT INTO targets VALUES (?,?,?,?,?)",
                              (key, target.name, target.type, json.dumps(list(target.aliases)), int(bool(target.key))))
        else:
            aliases = json.loads(row["aliases"])
            extra = [a for a in target.aliases if a not in aliases]
            if extra:
                self.conn.execute("UPDATE targets SET aliases = ? WHERE key = ?", (json.dumps(aliases + extra), key))
        return key

    # --- reading ----------------------------------------------------------------
    def signatures(self) -> Iterator[tuple[str, bytes]]:
        """Every stored near-duplicate signature, oldest document first."""
        yield from self.conn.execute(
            "SELECT s.doc_id, s.minhash FROM signatures s JOIN documents d ON d.id = s.doc_id ORDER BY d.rowid")

    def documents(self) -> list[DocumentRow]:
        rows = self.conn.execute(
            "SELECT d.*, (SELECT count(*) FROM events e WHERE e.doc_id = d.id) AS n FROM documents d ORDER BY d.rowid")
        return [DocumentRow(r["id"], r["doc"], r["source"], r["title"], r["published"], bool(r["relevant"]),
                            r["duplicate_of"], r["language"], r["n"]) for r in rows]

    def document(self, ref: str) -> sqlite3.Row | None:
        """A document by content id (or a prefix of it) or by its FORMAT.md name."""
        return self.conn.execute(
            "SELECT * FROM documents WHERE id = ? OR doc = ? OR id LIKE ? ORDER BY rowid LIMIT 1",
            (ref, ref, ref + "%")).fetchone()

    def articles(self, doc_id: str) -> list[sqlite3.Row]:
        return self.conn.execute("SELECT * FROM articles WHERE doc_id = ? ORDER BY position", (doc_id,)).fetchall()

    def events(self, actor: str | None = None, action: str | None = None, target: str | None = None,
               doc_id: str | None = None) -> list[EventRow]:
        """Stored events, filtered by actor code, action, target (key or name words) or document."""
        sql = ("SELECT e.*, d.doc, t.name AS tname, t.type AS ttype FROM events e"
               " JOIN documents d ON d.id = e.doc_id JOIN targets t ON t.key = e.target_key WHERE 1=1")
        args: list[object] = []
        if actor:
            sql += " AND e.actor = ?"
            args.append(actor.upper())
        if action:
            sql += " AND e.action = ?"
            args.append(action.lower())
        if target:
            sql += " AND (e.target_key = ? OR t.name LIKE ? OR t.aliases LIKE ? OR e.target_text LIKE ?)"
            args += [target, f"%{target}%", f"%{target}%", f"%{target}%"]
        if doc_id:
            sql += " AND e.doc_id = ?"
            args.append(doc_id)
        sql += " ORDER BY coalesce(e.date, d.published, ''), e.id"
        return [EventRow(r["id"], r["doc_id"], r["doc"], r["actor"], r["action"], r["target_key"], r["tname"],
                         r["ttype"], r["date"], r["evidence"], r["start"], r["end"], r["confidence"], r["rule"])
                for r in self.conn.execute(sql, args)]

    def counts(self) -> dict[str, int]:
        return {name: self.conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
                for name in ("documents", "articles", "events", "targets")}
