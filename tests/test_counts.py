"""The running counts (accord.store.counts): always equal to the same counts computed afresh,
whatever writes to the store (ingest, re-ingest, plain-SQL inserts, updates and deletes,
a document deleted with or without its events), and filled when an older store is opened."""

from __future__ import annotations

import sqlite3

import pytest

from accord.store import counts
from accord.store.database import Store
from accord.store.schema import MIGRATIONS
from test_summary import load

TABLES = ("table_counts", "actor_counts", "target_counts", "actor_target_counts", "month_counts")


def kept(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    """What the count tables hold."""
    return {t: sorted(tuple(r) for r in conn.execute(f"SELECT * FROM {t}")) for t in TABLES}


def afresh(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    """The same counts computed from the tables now, in a scratch copy of the count tables."""
    conn.execute("SAVEPOINT afresh")
    try:
        for table in TABLES:
            conn.execute(f"DELETE FROM {table}")
        for statement in counts.FILL:
            conn.execute(statement)
        return kept(conn)
    finally:
        conn.execute("ROLLBACK TO afresh")
        conn.execute("RELEASE afresh")


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.db") as s:
        load(s)
        yield s


def test_counts_after_ingest_match_a_recount(store):
    conn = store.conn
    now = kept(conn)
    assert now == afresh(conn)
    assert dict(now["table_counts"]) == {"documents": 4, "relevant": 4, "articles": 4, "events": 8}
    assert dict((a, (e, t)) for a, e, t in now["actor_counts"])["FRA"] == (3, 1)
    assert dict((k, (e, a)) for k, e, a in now["target_counts"])["paris-ai-declaration"] == (6, 3)  # FRA, USA, DEU
    # USA refused in r1, undated: it counts in r1's month of publication; GBR's undated event in r3
    # (no publication date) counts in no month
    assert dict(now["month_counts"]) == {"2024-05": 1, "2025-02": 6}
    load(store)  # re-ingest: nothing new
    assert kept(conn) == now


def test_plain_sql_writes_keep_counts_exact(store):
    conn = store.conn
    with conn:
        conn.execute("UPDATE documents SET published = '2024-12-31' WHERE id = 'r3'")  # GBR's event gets a month
        conn.execute("UPDATE documents SET relevant = 0 WHERE id = 'r2copy'")
        conn.execute("UPDATE events SET actor = 'DEU', target_key = 'seoul-declaration' WHERE evidence LIKE 'France%'")
        conn.execute("UPDATE events SET date = NULL WHERE evidence LIKE 'India%'")
        conn.execute("DELETE FROM events WHERE evidence LIKE 'Germany%'")
        conn.execute("INSERT INTO events (doc_id, actor, action, target_key, target_text, date, evidence, start, end,"
                     " confidence, rule) VALUES ('r3', 'JPN', 'sign', 'seoul-declaration', 'Seoul', '2023-07',"
                     " 'Japan signed.', 0, 13, 0.8, 'test.v1')")
        conn.execute("DELETE FROM articles WHERE doc_id = 'r1'")
    assert kept(conn) == afresh(conn)
    months = dict(kept(conn)["month_counts"])
    assert months["2024-12"] == 1 and months["2023-07"] == 1 and months["2025-03"] == 1  # India: r2's month
    assert dict(kept(conn)["table_counts"])["relevant"] == 3


@pytest.mark.parametrize("cascade", [True, False])
def test_deleting_documents_keeps_counts_exact(store, cascade):
    conn = store.conn
    conn.execute(f"PRAGMA foreign_keys={'ON' if cascade else 'OFF'}")  # off: the events stay, orphaned
    with conn:
        conn.execute("DELETE FROM documents WHERE id IN ('r1', 'r3')")
    assert kept(conn) == afresh(conn)
    assert dict(kept(conn)["table_counts"])["documents"] == 2
    with conn:  # everything goes
        conn.execute("DELETE FROM events")
        conn.execute("DELETE FROM articles")
        conn.execute("DELETE FROM documents")
    assert kept(conn) == afresh(conn)
    assert all(not rows for table, rows in kept(conn).items() if table != "table_counts")
    load(store, ("r3", "r1"))
    assert kept(conn) == afresh(conn)


def test_an_older_store_gets_its_counts_when_opened(tmp_path):
    path = tmp_path / "old.db"
    with Store(path) as s:
        load(s)
        before = kept(s.conn)
    conn = sqlite3.connect(path)
    for kind, name in conn.execute("SELECT type, name FROM sqlite_master WHERE (name LIKE '%_counts'"
                                   " OR name LIKE 'counts_%') AND type IN ('table', 'trigger')").fetchall():
        conn.execute(f"DROP {kind} IF EXISTS {name}")
    conn.execute("DELETE FROM migrations WHERE name = '0007_counts'")
    conn.commit()
    conn.close()
    assert "0007_counts" in [m[0] for m in MIGRATIONS]
    with Store(path) as s:
        assert kept(s.conn) == before


def test_a_document_stored_after_its_undated_events_counts_them_in_its_month(store):
    """Events are stored after their document, but a plain-SQL load with foreign keys off may
    write them first: the document's month then counts its undated events."""
    conn = store.conn
    conn.execute("PRAGMA foreign_keys=OFF")
    with conn:
        conn.execute("INSERT INTO events (doc_id, actor, action, target_key, target_text, date, evidence, start,"
                     " end, confidence, rule) VALUES ('early', 'JPN', 'sign', 'seoul-declaration', 'Seoul', NULL,"
                     " 'Japan signed.', 0, 13, 0.8, 'test.v1')")
        conn.execute("INSERT INTO documents (id, doc, source, published, relevant, relevance_score, relevance_terms,"
                     " removed, ingested_at) VALUES ('early', 'doc-early', '/tmp/early.txt', '2022-09-14', 1, 2.0,"
                     " '[]', '[]', '2026-11-23')")
    assert kept(conn) == afresh(conn)
    assert dict(kept(conn)["month_counts"])["2022-09"] == 1
