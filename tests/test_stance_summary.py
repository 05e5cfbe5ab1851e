"""The stance summary (accord.store.stances): what readers get from it (stances, in brief or in
full) is always the stances judged afresh from every fact (`stances_from(load_facts(...))`), for
every target and actor, whatever
writes to the store (ingest, re-ingest, corrections, plain-SQL updates and deletes), and the
stored rows themselves equal a fresh judgement once refreshed, and after the stance table changes."""

from __future__ import annotations

import random
import sqlite3

import pytest

from accord import analyze
from accord.analyze.facts import fact_of_row, load_facts
from accord.analyze.stances import brief, brief_stances, stance_actions, stances_from, summary_stances
from accord.records import ACTIONS, Article, CleanDocument, Event, Extraction, Relevance, Target
from accord.store import stances, summary
from accord.store.database import Store
from test_summary import load


def scopes(conn: sqlite3.Connection) -> list[tuple[str | None, str | None]]:
    """(target, actor) scopes to compare: everything, each target, each actor, and a few pairs."""
    targets = [r[0] for r in conn.execute("SELECT DISTINCT target_key FROM events")] + ["new:nothing"]
    actors = [r[0] for r in conn.execute("SELECT DISTINCT actor FROM events")] + ["CAN"]
    return [(None, None)] + [(t, None) for t in targets] + [(None, a) for a in actors] + \
        [(t, a) for t in targets[:3] for a in actors[:3]]


def assert_readers_exact(store: Store) -> int:
    """Every scope's stances from the summary equal the full judgement; return how many were compared."""
    compared = 0
    targets = {r[0] for r in store.conn.execute("SELECT key FROM targets")}
    for target, actor in scopes(store.conn):
        full = stances_from(load_facts(store, actor=actor, target=target, evidence=False))
        assert summary_stances(store, target, actor) == full, (target, actor)
        if target in targets and actor is None:  # the library's call, by key
            assert analyze.stances(store, target, evidence=False) == full
        assert stance_actions(store, target, actor) == {(s.target_key, s.actor): s.action for s in full}
        briefs = brief_stances(store, target, actor)  # a country page's list, without the facts of histories
        assert briefs == [brief(s) for s in full], (target, actor)
        assert all(set(b.actions) == {f.action for f in s.history} for b, s in zip(briefs, full, strict=True))
        compared += len(full)
    return compared


def stored(conn: sqlite3.Connection) -> list[tuple]:
    """The stance summary's rows."""
    return [tuple(r) for r in conn.execute("SELECT * FROM stance_summary ORDER BY target_key, actor")]


def judged_afresh(store: Store) -> list[tuple]:
    """The rows the stance summary should hold: every pair of extracted facts (no correction
    applied) judged now, in a scratch copy of the table."""
    conn = store.conn
    facts = [fact_of_row(r, "", "") for r in summary.fact_rows(conn)]
    conn.execute("SAVEPOINT afresh")
    try:
        conn.execute("DELETE FROM stance_summary")
        conn.execute("INSERT OR IGNORE INTO stance_summary_stale SELECT DISTINCT actor, target_key FROM fact_summary")
        stances.refresh(conn)
        rows = stored(conn)
    finally:
        conn.execute("ROLLBACK TO afresh")
        conn.execute("RELEASE afresh")
    assert [(r[0], r[1], r[2]) for r in rows] == [(s.target_key, s.actor, s.action) for s in stances_from(facts)]
    return rows


def stale(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM stance_summary_stale").fetchone()[0]


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.db") as s:
        load(s)  # test_summary's documents
        yield s


def test_readers_equal_a_full_judgement_after_ingest_corrections_and_reingest(store):
    conn = store.conn
    assert stale(conn) == 0 and stored(conn) == judged_afresh(store) and len(stored(conn)) == 5
    assert assert_readers_exact(store) > 0
    usa = next(s for s in summary_stances(store, "paris-ai-declaration") if s.actor == "USA")
    assert usa.stance == "refused" and usa.superseded == ("signed",)  # reported a day after the signature
    before = stored(conn)
    analyze.reject(store, "DEU", "attend", "paris-ai-declaration", who="ana", why="summit, not declaration")
    analyze.edit(store, "USA", "refuse", "paris-ai-declaration", who="bo", why="misread", action="sign")
    analyze.edit(store, "IND", "sign", "seoul-declaration", who="bo", why="wrong summit",
                 target="paris-ai-declaration", date="2025-02-10")
    analyze.add(store, "CAN", "sign", "paris-ai-declaration", who="cy", why="missed", date="2025-02-11")
    analyze.confirm(store, "FRA", "sign", "paris-ai-declaration", who="cy", why="checked")
    assert stored(conn) == before  # corrections live apart: the summary is of extraction only...
    assert assert_readers_exact(store) > 0  # ...and readers judge the pairs they name afresh
    by_actor = {s.actor: s for s in summary_stances(store, "paris-ai-declaration")}
    assert "DEU" not in by_actor and not by_actor["USA"].conflict and by_actor["CAN"].stance == "signed"
    assert by_actor["IND"].history[0].status == "edited" and by_actor["FRA"].history[0].status == "confirmed"
    assert summary_stances(store, "seoul-declaration") == []
    load(store)  # re-ingest: nothing new
    assert stale(conn) == 0 and stored(conn) == before
    with conn:  # re-extraction: every event and document deleted in plain SQL, then stored again
        conn.execute("DELETE FROM events")
        conn.execute("DELETE FROM articles")
        conn.execute("DELETE FROM documents")
    assert stale(conn) == 5
    assert assert_readers_exact(store) > 0  # the corrections' additions only
    load(store, ("r3", "r1"))
    assert stale(conn) == 0 and stored(conn) == judged_afresh(store)
    load(store)
    assert stored(conn) == judged_afresh(store) == before
    assert assert_readers_exact(store) > 0


def test_plain_sql_writes_are_read_exactly_before_a_refresh(store):
    conn = store.conn
    with conn:  # writes in plain SQL, as a bulk load or a repair script would make them
        conn.execute("UPDATE events SET action = 'withdraw', date = '2025-06' WHERE evidence LIKE 'Germany%'")
        conn.execute("INSERT INTO events (doc_id, actor, action, target_key, target_text, date, evidence, start, end,"
                     " confidence, rule) VALUES ('r3', 'DEU', 'sign', 'paris-ai-declaration', 'Paris', '2025-02',"
                     " 'Germany signed.', 0, 15, 0.8, 'test.v1')")
        conn.execute("UPDATE documents SET published = '2026-01-01' WHERE id = 'r3'")  # GBR's undated report moves
        conn.execute("DELETE FROM events WHERE evidence LIKE 'India%'")
    assert stale(conn) == 4  # DEU, USA and GBR on their targets, IND on Seoul
    assert stored(conn) != judged_afresh(store)  # the table is behind...
    assert assert_readers_exact(store) > 0  # ...but what readers get is not
    deu = next(s for s in summary_stances(store, actor="DEU"))
    assert deu.stance == "withdrew" and deu.superseded == ("signed",) and len(deu.history) == 2
    assert store.refresh_facts() > 0 and stale(conn) == 0
    assert stored(conn) == judged_afresh(store)
    assert assert_readers_exact(store) > 0


def test_a_store_judged_by_another_stance_table_is_judged_again_when_opened(store, tmp_path):
    conn = store.conn
    good = stored(conn)
    with conn:
        conn.execute("UPDATE stance_summary SET action = 'host', judged = '[0,[],[],[[\"host\",null,null,1,1]]]'")
        conn.execute("UPDATE stance_summary_rules SET fingerprint = 'an older table'")
    assert stored(conn) != good
    with Store(tmp_path / "s.db") as again:
        assert stored(again.conn) == good
        assert not stances.sync(again.conn)  # once is enough


DATES = (None, "2023", "2024", "2024-05", "2024-05-03", "2024-06", "2025-01-20")


@pytest.mark.parametrize("seed", range(4))
def test_random_histories_are_judged_as_the_full_computation_does(tmp_path, seed):
    """Many contradicting facts per actor and target, with dates of mixed precision: supersessions,
    conflicts and precedence all exercised, then corrections on top."""
    rng = random.Random(seed)
    targets = [Target(f"Accord {i}", "declaration", key=f"accord-{i}") for i in range(3)]
    with Store(tmp_path / "r.db") as s:
        for d in range(40):
            evs = tuple(Event(rng.choice(("FRA", "USA", "CHN", "IND")), rng.choice(ACTIONS), rng.choice(targets),
                              rng.choice(DATES), f"Sentence {d}-{i}.", 0, 10, 0.9, "test.v1") for i in range(4))
            clean = CleanDocument(id=f"d{d}", doc=f"doc-{d}", source=f"/tmp/{d}.txt",
                                  articles=(Article("T", "text", True),), relevance=Relevance(True, 2.0),
                                  published=rng.choice(DATES))
            s.add(clean, Extraction(events=evs))
        assert stale(s.conn) == 0 and stored(s.conn) == judged_afresh(s)
        facts = load_facts(s, evidence=False)
        judged = stances_from(facts)
        assert any(x.conflict for x in judged) and any(x.superseded for x in judged)
        assert assert_readers_exact(s) >= len(judged)
        for f in rng.sample(facts, 6):
            analyze.edit(s, *f.key, who="ana", why="test", action=rng.choice(ACTIONS), date=rng.choice(DATES[1:]))
        analyze.reject(s, *rng.choice(load_facts(s, evidence=False)).key, who="ana", why="test")
        assert assert_readers_exact(s) > 0
