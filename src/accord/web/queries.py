"""What the web app reads straight from the store tables: pages of documents and events, counts, activity.

Each function takes an open sqlite3 connection and returns plain dicts, so the JSON API,
the CSV download and the HTML pages share one query. Paged functions return
(total, rows) so a client always knows how many rows match its filters.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

EVENT_COLUMNS = ("id", "doc_id", "doc", "actor", "action", "target_key", "target", "target_type",
                 "target_text", "date", "evidence", "start", "end", "confidence", "rule", "amount")


@dataclass(frozen=True)
class EventFilter:
    """Which events a list shows: every field set narrows it."""

    actor: str | None = None
    action: str | None = None
    target: str | None = None
    doc_id: str | None = None
    since: str | None = None
    until: str | None = None
    min_confidence: float | None = None

    def where(self) -> tuple[str, list[object]]:
        """The SQL condition (over events e) and its arguments."""
        sql, args = ["1=1"], []
        if self.actor:
            sql.append("e.actor = ?")
            args.append(self.actor.upper())
        if self.action:
            sql.append("e.action = ?")
            args.append(self.action.lower())
        if self.target:
            sql.append("e.target_key = ?")
            args.append(self.target)
        if self.doc_id:
            sql.append("e.doc_id = ?")
            args.append(self.doc_id)
        if self.since:
            sql.append("e.date >= ?")
            args.append(self.since)
        if self.until:
            sql.append("e.date <= ?")
            args.append(self.until + "\uffff")
        if self.min_confidence is not None:
            sql.append("e.confidence >= ?")
            args.append(self.min_confidence)
        return " AND ".join(sql), args


def store_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many documents (and relevant ones), articles, events, targets and actors the store holds
    (from the running counts of accord.store.counts: no table is scanned)."""
    kept = dict(conn.execute("SELECT name, n FROM table_counts").fetchall())
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "documents": kept.get("documents", 0),
        "relevant": kept.get("relevant", 0),
        "articles": kept.get("articles", 0),
        "events": kept.get("events", 0),
        "targets": one("SELECT count(*) FROM targets"),
        "actors": one("SELECT count(*) FROM actor_counts"),
    }


def event_page(conn: sqlite3.Connection, where: EventFilter, limit: int = 50, offset: int = 0,
               newest_first: bool = True, count: bool = True) -> tuple[int, list[dict]]:
    """Events matching a filter, by date (newest first unless asked otherwise), and how many match
    (-1 when `count` is False: counting a million rows costs more than fetching a page)."""
    cond, args = where.where()
    total = -1
    if count and where == EventFilter():  # all events: the running count
        total = conn.execute("SELECT n FROM table_counts WHERE name = 'events'").fetchone()[0]
    elif count:
        total = conn.execute(f"SELECT count(*) FROM events e WHERE {cond}", args).fetchone()[0]
    order = "DESC" if newest_first else "ASC"
    rows = conn.execute(
        "SELECT e.id, e.doc_id, d.doc, e.actor, e.action, e.target_key, t.name AS target, t.type AS target_type,"
        " e.target_text, e.date, e.evidence, e.start, e.end, e.confidence, e.rule, e.amount"
        f" FROM (SELECT * FROM events e WHERE {cond} ORDER BY e.date {order}, e.id {order} LIMIT ? OFFSET ?) e"
        " JOIN documents d ON d.id = e.doc_id JOIN targets t ON t.key = e.target_key"
        f" ORDER BY e.date {order}, e.id {order}", [*args, limit, offset]).fetchall()
    return total, [dict(r) for r in rows]


def event_by_id(conn: sqlite3.Connection, event_id: int) -> dict | None:
    """One event with its document and target names."""
    row = conn.execute(
        "SELECT e.id, e.doc_id, d.doc, e.actor, e.action, e.target_key, t.name AS target, t.type AS target_type,"
        " e.target_text, e.date, e.evidence, e.start, e.end, e.confidence, e.rule, e.amount"
        " FROM events e JOIN documents d ON d.id = e.doc_id JOIN targets t ON t.key = e.target_key"
        " WHERE e.id = ?", (event_id,)).fetchone()
    return dict(row) if row else None


def document_page(conn: sqlite3.Connection, relevant: bool | None = None, limit: int = 50,
                  offset: int = 0) -> tuple[int, list[dict]]:
    """Stored documents, newest published first, with their event counts, and how many match."""
    cond = "1=1" if relevant is None else ("d.relevant" if relevant else "NOT d.relevant")
    total = conn.execute(f"SELECT count(*) FROM documents d WHERE {cond}").fetchone()[0]
    rows = conn.execute(
        "SELECT d.id, d.doc, d.source, d.url, d.title, d.published, d.publisher, d.language, d.relevant,"
        " d.relevance_score, d.duplicate_of, (SELECT count(*) FROM events e WHERE e.doc_id = d.id) AS events"
        f" FROM documents d WHERE {cond} ORDER BY d.published DESC, d.rowid DESC LIMIT ? OFFSET ?",
        (limit, offset)).fetchall()
    out = []
    for r in rows:
        item = dict(r)
        item["relevant"] = bool(item["relevant"])
        out.append(item)
    return total, out


def document_detail(conn: sqlite3.Connection, ref: str) -> dict | None:
    """A document by content id, id prefix or FORMAT.md name: metadata, articles, events, removed lines."""
    row = conn.execute("SELECT * FROM documents WHERE id = ? OR doc = ? ORDER BY rowid LIMIT 1", (ref, ref)).fetchone()
    if row is None and 4 <= len(ref) <= 16 and all(c in "0123456789abcdef" for c in ref):  # an id prefix
        row = conn.execute("SELECT * FROM documents WHERE id LIKE ? ORDER BY rowid LIMIT 1", (ref + "%",)).fetchone()
    if row is None:
        return None
    doc = dict(row)
    doc["relevant"] = bool(doc["relevant"])
    doc["relevance_terms"] = json.loads(doc["relevance_terms"] or "[]")
    doc["removed"] = json.loads(doc["removed"] or "[]")
    doc["articles"] = [dict(a) | {"principal": bool(a["principal"])} for a in conn.execute(
        "SELECT position, title, text, principal FROM articles WHERE doc_id = ? ORDER BY position", (doc["id"],))]
    doc["countries"] = [r[0] for r in conn.execute(
        "SELECT code FROM document_countries WHERE doc_id = ? ORDER BY code", (doc["id"],))]
    _, doc["events"] = event_page(conn, EventFilter(doc_id=doc["id"]), limit=10_000, newest_first=False)
    doc["events"].sort(key=lambda e: (e["start"], e["id"]))
    return doc


def activity(conn: sqlite3.Connection) -> list[dict]:
    """Events per month (by event date, else the document's publication date), oldest first."""
    return [dict(r) for r in conn.execute("SELECT month, events FROM month_counts ORDER BY month")]


def target_list(conn: sqlite3.Connection, kind: str | None = None) -> list[dict]:
    """Every target with its type and how many events and actors name it, most named first."""
    rows = conn.execute(
        "SELECT t.key, t.name, t.type, t.aliases, t.catalog, coalesce(c.events, 0) AS events,"
        " coalesce(c.actors, 0) AS actors FROM targets t LEFT JOIN target_counts c ON c.target_key = t.key"
        + (" WHERE t.type = ?" if kind else "") +
        " ORDER BY events DESC, t.name", (kind,) if kind else ()).fetchall()
    return [dict(r) | {"aliases": json.loads(r["aliases"] or "[]"), "catalog": bool(r["catalog"])} for r in rows]


def target_row(conn: sqlite3.Connection, key: str) -> dict | None:
    """One target by key."""
    r = conn.execute("SELECT key, name, type, aliases, catalog FROM targets WHERE key = ?", (key,)).fetchone()
    return dict(r) | {"aliases": json.loads(r["aliases"] or "[]"), "catalog": bool(r["catalog"])} if r else None


def actor_list(conn: sqlite3.Connection) -> list[dict]:
    """Every actor code with how many events and targets it has and its latest event date, most active first."""
    rows = conn.execute(
        "SELECT actor, events, targets, (SELECT max(date) FROM events e WHERE e.actor = c.actor) AS last"
        " FROM actor_counts c ORDER BY events DESC, actor").fetchall()
    return [dict(r) for r in rows]
