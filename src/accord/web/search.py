"""Full-text search over article text and event evidence (SQLite FTS5).

The FTS tables come from store migration 0003_search. Their triggers are installed here,
as whole statements, together with a rebuild of the index, the first time the web app
opens a store (or when asked to reindex); from then on every insert, update or delete of
an article or event keeps the index current.
"""

from __future__ import annotations

import re
import sqlite3

from accord.web.limits import watched

TRIGGERS: dict[str, str] = {
    "articles_fts_ai": "CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN"
                       " INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END",
    "articles_fts_ad": "CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN"
                       " INSERT INTO articles_fts(articles_fts, rowid, title, text)"
                       " VALUES ('delete', old.rowid, old.title, old.text); END",
    "articles_fts_au": "CREATE TRIGGER articles_fts_au AFTER UPDATE ON articles BEGIN"
                       " INSERT INTO articles_fts(articles_fts, rowid, title, text)"
                       " VALUES ('delete', old.rowid, old.title, old.text);"
                       " INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END",
    "evidence_fts_ai": "CREATE TRIGGER evidence_fts_ai AFTER INSERT ON events BEGIN"
                       " INSERT INTO evidence_fts(rowid, evidence) VALUES (new.id, new.evidence); END",
    "evidence_fts_ad": "CREATE TRIGGER evidence_fts_ad AFTER DELETE ON events BEGIN"
                       " INSERT INTO evidence_fts(evidence_fts, rowid, evidence) VALUES ('delete', old.id, old.evidence); END",
    "evidence_fts_au": "CREATE TRIGGER evidence_fts_au AFTER UPDATE OF evidence ON events BEGIN"
                       " INSERT INTO evidence_fts(evidence_fts, rowid, evidence) VALUES ('delete', old.id, old.evidence);"
                       " INSERT INTO evidence_fts(rowid, evidence) VALUES (new.id, new.evidence); END",
}


def search_index_ready(conn: sqlite3.Connection, reindex: bool = False) -> bool:
    """Install the FTS triggers and rebuild the index if they are missing (or if asked); True if rebuilt."""
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    if not reindex and all(name in present for name in TRIGGERS):
        return False
    with conn:
        for name, sql in TRIGGERS.items():
            if name not in present:
                conn.execute(sql)
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
        conn.execute("INSERT INTO evidence_fts(evidence_fts) VALUES ('rebuild')")
    return True


_TOKEN = re.compile(r'"([^"]+)"|(\S+)')


def fts_query(text: str) -> str:
    """A safe FTS5 query from what a user typed: every word or "quoted phrase" must appear.

    A trailing * on a word keeps its prefix meaning; any other FTS syntax is taken literally,
    so no input can raise an FTS syntax error. NUL characters separate words (FTS5's query
    parser would take one for the end of the query and fail on an unterminated string).
    """
    parts = []
    for phrase, word in _TOKEN.findall(text.replace("\x00", " ")):
        term = phrase or word
        prefix = bool(word) and word.endswith("*") and len(word) > 1
        term = term.rstrip("*") if prefix else term
        term = term.replace('"', "")
        if not term.strip():
            continue
        parts.append(f'"{term}"' + ("*" if prefix else ""))
    return " ".join(parts)


RANKED = 1000
"""Matches are ranked by relevance in blocks of this many, the block stored last first."""


def _hits(conn: sqlite3.Connection, index: str, select: str, text: str, limit: int,
          offset: int) -> tuple[int, list[dict]]:
    """How many rows of the FTS table `index` match the query, and one page of them by `select`.

    The matches are taken in blocks of RANKED, the latest stored first, each block ordered by
    FTS5's bm25 rank: a word found in most of a million rows costs tens of milliseconds instead
    of a ranking of every match, and pages follow one another without gaps or repeats.
    """
    q = fts_query(text)
    if not q:
        return 0, []
    rows: list[sqlite3.Row] = []
    with watched(conn):  # FTS5 matching can take seconds in a handful of steps
        total = conn.execute(f"SELECT count(*) FROM {index} WHERE {index} MATCH ?", (q,)).fetchone()[0]
        while len(rows) < limit:
            block, skip = divmod(offset + len(rows), RANKED)
            newest, oldest = conn.execute(
                f"SELECT max(rowid), min(rowid) FROM (SELECT rowid FROM {index} WHERE {index} MATCH ?"
                " ORDER BY rowid DESC LIMIT ? OFFSET ?)", (q, RANKED, block * RANKED)).fetchone()
            found = conn.execute(f"{select} WHERE {index} MATCH ? AND f.rowid BETWEEN ? AND ?"
                                 " ORDER BY f.rank LIMIT ? OFFSET ?",
                                 (q, oldest, newest, limit - len(rows), skip)).fetchall() if newest else []
            if not found:
                break
            rows += found
    return total, [dict(r) for r in rows]


def article_hits(conn: sqlite3.Connection, text: str, limit: int = 20, offset: int = 0) -> tuple[int, list[dict]]:
    """Articles matching the query, best first (of the latest; see `_hits`), with a snippet marked by \\x02...\\x03 (escaped later)."""
    return _hits(conn, "articles_fts",
                 "SELECT a.doc_id, a.position, a.title, d.doc, d.title AS doc_title, d.published,"
                 " snippet(articles_fts, 1, char(2), char(3), ' … ', 24) AS snippet"
                 " FROM articles_fts f JOIN articles a ON a.rowid = f.rowid JOIN documents d ON d.id = a.doc_id",
                 text, limit, offset)


def evidence_hits(conn: sqlite3.Connection, text: str, limit: int = 20, offset: int = 0) -> tuple[int, list[dict]]:
    """Events whose evidence sentence matches the query, best first (of the latest; see `_hits`), with a marked snippet."""
    return _hits(conn, "evidence_fts",
                 "SELECT e.id, e.doc_id, d.doc, e.actor, e.action, e.target_key, t.name AS target, e.date,"
                 " e.evidence, snippet(evidence_fts, 0, char(2), char(3), ' … ', 32) AS snippet"
                 " FROM evidence_fts f JOIN events e ON e.id = f.rowid JOIN documents d ON d.id = e.doc_id"
                 " JOIN targets t ON t.key = e.target_key",
                 text, limit, offset)
