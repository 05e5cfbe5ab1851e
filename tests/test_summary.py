"""The fact summary (accord.store.summary): always equal to the facts aggregated afresh from the
events, whatever writes to the store (ingest, review, re-ingest, plain-SQL deletes and updates),
read exactly before it is refreshed, and filled when an older store is opened."""

from __future__ import annotations

import sqlite3

import pytest

from accord import analyze
from accord.records import Article, CleanDocument, Event, Extraction, Relevance, Target
from accord.store import summary
from accord.store.database import Store
from accord.store.schema import MIGRATIONS

PARIS = Target("Paris AI Declaration", "declaration", key="paris-ai-declaration")
SEOUL = Target("Seoul Declaration", "declaration", key="seoul-declaration")
CHARTER = Target("Charter on Frontier Labs", "framework")  # first named by a document: a new: key

DOCS = {
    "r1": ([("FRA", "sign", PARIS, "2025-02-11", "France signed the declaration."),
            ("USA", "refuse", PARIS, None, "The US refused to sign."),
            ("DEU", "attend", PARIS, "2025-02-10", "Germany attended.")], "2025-02-12", None),
    "r2": ([("FRA", "sign", PARIS, "2025-02", "France had signed it."),
            ("IND", "sign", SEOUL, "2024-05-21", "India signed in Seoul.")], "2025-03-01", None),
    "r2copy": ([("FRA", "sign", PARIS, "2025-02", "France had signed it.")], "2025-03-02", "r2"),
    "r3": ([("USA", "sign", PARIS, "2025-02-11", "The US signed, one outlet said."),
            ("GBR", "sign", CHARTER, None, "Britain signed the charter.")], None, None),
}

# The facts computed by an independent query: the plain-SQL views of migration 0005 and the
# lowest event id of each fact (its first stored report).
EXPECTED = """
    SELECT x.actor, x.action, x.target_key, x.first_date, x.last_date, x.sources, x.documents,
           (SELECT count(*) FROM fact_sources s WHERE s.actor = x.actor AND s.action = x.action
                AND s.target_key = x.target_key),
           (SELECT min(event_id) FROM fact_sources s WHERE s.actor = x.actor AND s.action = x.action
                AND s.target_key = x.target_key)
    FROM extracted_facts x ORDER BY 1, 2, 3"""
STORED = ("SELECT actor, action, target_key, first_date, last_date, sources, documents, events, event_id"
          " FROM fact_summary ORDER BY 1, 2, 3")


def load(store: Store, only: tuple[str, ...] = tuple(DOCS)) -> None:
    """Store (or store again) documents, as an ingest does."""
    for doc_id in only:
        events, published, duplicate_of = DOCS[doc_id]
        text = " ".join(e[4] for e in events)
        clean = CleanDocument(id=doc_id, doc=f"doc-{doc_id}", source=f"/tmp/{doc_id}.txt",
                              articles=(Article("T", text, True),), relevance=Relevance(True, 2.0),
                              published=published)
        evs = tuple(Event(a, act, t, d, ev, 0, len(ev), 0.9, "test.v1") for a, act, t, d, ev in events)
        store.add(clean, Extraction(events=evs), duplicate_of=duplicate_of)


def expected(conn: sqlite3.Connection) -> list[tuple]:
    return [tuple(r) for r in conn.execute(EXPECTED)]


def stored(conn: sqlite3.Connection) -> list[tuple]:
    return [tuple(r) for r in conn.execute(STORED)]


def read(conn: sqlite3.Connection) -> list[tuple]:
    """What a reader gets from the summary, stale facts included (read from the events)."""
    return sorted(r[:8] + (r[8],) for r in summary.fact_rows(conn, first=True))


def stale(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM fact_summary_stale").fetchone()[0]


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.db") as s:
        load(s)
        yield s


def test_summary_equals_a_recomputation_after_ingest_review_and_reingest(store):
    conn = store.conn
    assert len(stored(conn)) == 6 and stored(conn) == expected(conn) and stale(conn) == 0
    fra = next(r for r in stored(conn) if r[:3] == ("FRA", "sign", "paris-ai-declaration"))
    assert fra[3:8] == ("2025-02", "2025-02-11", 2, 3, 3)  # r2 and its copy are one source
    analyze.reject(store, "DEU", "attend", "paris-ai-declaration", who="ana", why="summit, not declaration")
    analyze.edit(store, "USA", "refuse", "paris-ai-declaration", who="bo", why="misread", action="sign")
    analyze.add(store, "CAN", "sign", "paris-ai-declaration", who="cy", why="missed", date="2025-02-11")
    assert stored(conn) == expected(conn)  # corrections live apart: the summary is of extraction only
    load(store)  # re-ingest: nothing new
    assert stored(conn) == expected(conn) and stale(conn) == 0
    with conn:  # re-extraction: every event and document deleted in plain SQL, then stored again
        conn.execute("DELETE FROM events")
        conn.execute("DELETE FROM articles")
        conn.execute("DELETE FROM documents")
    assert stale(conn) == 6 and read(conn) == [] and expected(conn) == []
    load(store, ("r3", "r1"))  # stored again in another order: new event ids, a new first report
    assert stale(conn) == 0 and stored(conn) == expected(conn)
    load(store)
    assert stored(conn) == expected(conn)
    states = {f.key: f.status for f in analyze.facts(store, include_rejected=True, evidence="first")}
    assert states[("DEU", "attend", "paris-ai-declaration")] == "rejected"
    assert states[("USA", "sign", "paris-ai-declaration")] == "edited"
    assert states[("CAN", "sign", "paris-ai-declaration")] == "added"


def test_readers_are_exact_before_a_refresh_and_the_refresh_matches(store):
    conn = store.conn
    with conn:  # writes in plain SQL, as a bulk load or a repair script would make them
        conn.execute("UPDATE documents SET duplicate_of = NULL WHERE id = 'r2copy'")
        conn.execute("UPDATE documents SET published = '2024-12-31' WHERE id = 'r3'")
        conn.execute("UPDATE events SET action = 'withdraw' WHERE evidence LIKE 'Germany%'")
        conn.execute("DELETE FROM events WHERE evidence LIKE 'India%'")
        conn.execute("INSERT INTO events (doc_id, actor, action, target_key, target_text, date, evidence, start, end,"
                     " confidence, rule) VALUES ('r3', 'JPN', 'sign', 'seoul-declaration', 'Seoul', NULL,"
                     " 'Japan signed.', 0, 13, 0.8, 'test.v1')")
    assert stale(conn) > 0
    assert stored(conn) != expected(conn)  # the table itself is behind...
    assert read(conn) == expected(conn)  # ...but what readers get is not
    by_reader = {f.key: (f.first_date, f.last_date, f.sources, f.documents)
                 for f in analyze.facts(store, evidence="first")}
    from_events = {f.key: (f.first_date, f.last_date, f.sources, f.documents)
                   for f in analyze.facts(store, evidence=True)}
    assert by_reader == from_events and by_reader[("GBR", "sign", "new:charter-on-frontier-labs")][0] == "2024-12-31"
    assert by_reader[("FRA", "sign", "paris-ai-declaration")][2] == 3  # r2copy is no longer a copy
    assert store.refresh_facts() > 0 and stale(conn) == 0
    assert stored(conn) == expected(conn) == read(conn)


def test_a_big_refresh_rebuilds_the_whole_summary(store, monkeypatch):
    conn = store.conn
    with conn:
        conn.execute("UPDATE events SET date = '2020-01-01' WHERE actor = 'FRA'")
    monkeypatch.setattr(summary, "FULL_REBUILD", 0)  # any stale fact: the grouped scan of every event
    assert store.refresh_facts() == 1
    assert stored(conn) == expected(conn) and stale(conn) == 0


def test_deleting_a_document_drops_its_facts(store):
    conn = store.conn
    conn.execute("PRAGMA foreign_keys=OFF")  # no cascade: its events stay, orphaned
    with conn:
        conn.execute("DELETE FROM documents WHERE id = 'r3'")
    assert read(conn) == expected(conn) and not any(r[0] == "GBR" for r in read(conn))
    store.refresh_facts()
    assert stored(conn) == expected(conn)


def test_an_older_store_gets_its_summary_when_opened(tmp_path):
    path = tmp_path / "old.db"
    with Store(path) as s:
        load(s)
    conn = sqlite3.connect(path)
    for kind, name in conn.execute("SELECT type, name FROM sqlite_master WHERE name LIKE 'fact_summary%'"
                                   " AND type IN ('table', 'trigger')").fetchall():
        conn.execute(f"DROP {kind} IF EXISTS {name}")
    conn.execute("DELETE FROM migrations WHERE name = '0006_fact_summary'")
    conn.commit()
    conn.close()
    assert "0006_fact_summary" in [m[0] for m in MIGRATIONS]
    with Store(path) as s:
        assert len(stored(s.conn)) == 6 and stored(s.conn) == expected(s.conn)
        assert [r[0] for r in s.conn.execute("SELECT name FROM migrations WHERE name = '0006_fact_summary'")]


def test_a_page_of_facts_gets_the_same_sources_as_a_full_read(store):
    analyze.reject(store, "DEU", "attend", "paris-ai-declaration", who="ana", why="summit, not declaration")
    analyze.edit(store, "USA", "refuse", "paris-ai-declaration", who="bo", why="misread", action="sign")
    analyze.add(store, "CAN", "sign", "paris-ai-declaration", who="cy", why="missed", date="2025-02-11")
    full = analyze.facts(store, include_rejected=True)
    counted = analyze.facts(store, include_rejected=True, evidence=False)
    assert [f.key for f in counted] == [f.key for f in full]
    assert not any(f.evidence for f in counted if f.status != "added")  # an analyst's addition is its source
    for start in range(0, len(counted), 2):  # pages of two
        assert analyze.fact_sources(store, counted[start:start + 2]) == full[start:start + 2]
    usa = next(f for f in full if f.key == ("USA", "sign", "paris-ai-declaration"))
    assert usa.status == "edited" and len(usa.evidence) == 2  # its own report and the one moved into it


def test_a_window_of_facts_or_of_a_timeline_is_that_slice_of_the_whole_list(store):
    scopes = ({}, {"target": "paris-ai-declaration"}, {"actor": "FRA"}, {"actor": "USA"}, {"target": "seoul-declaration"})

    def check() -> None:
        for scope in scopes:
            wholes = {"first": analyze.facts(store, evidence="first", **scope),
                      False: analyze.facts(store, evidence=False, include_rejected=True, **scope)}
            timeline = analyze.timeline(store, **scope)
            for offset in range(len(wholes[False]) + 2):
                for limit in (1, 2, 50):
                    for evidence, whole in wholes.items():
                        window = analyze.fact_window(store, offset, limit, evidence=evidence,
                                                     include_rejected=evidence is False, **scope)
                        assert window == (len(whole), whole[offset:offset + limit]), (scope, evidence)
                    window = analyze.timeline_window(store, offset, limit, **scope)
                    assert window == (len(timeline), timeline[offset:offset + limit]), scope

    conn = store.conn
    with conn:  # two facts on the same first date: the order's later keys decide
        conn.execute("UPDATE events SET date = '2025-02-11' WHERE evidence LIKE 'India%'")
    store.refresh_facts()
    check()  # no correction: only the window is read
    with conn:
        conn.execute("UPDATE events SET date = '2024-01-01' WHERE evidence LIKE 'France signed%'")
    assert stale(conn) > 0
    check()  # stale facts: read from the events, in order
    analyze.reject(store, "DEU", "attend", "paris-ai-declaration", who="ana", why="summit, not declaration")
    analyze.edit(store, "GBR", "sign", "new:charter-on-frontier-labs", who="bo", why="misread",
                 target="seoul-declaration")  # moved into Seoul's list, where no other correction is
    analyze.add(store, "CAN", "sign", "paris-ai-declaration", who="cy", why="missed", date="2025-02-11")
    check()  # corrections in scope: cut from the whole list
