"""Full-text search (accord.web.search): every match counted, the best of the latest ranked."""

from __future__ import annotations

import pytest

from accord.records import Article, CleanDocument, Event, Extraction, Relevance, Target
from accord.store.database import Store
from accord.web import search

PACT = Target("Harbour Accord", "declaration", key="harbour-accord")
SENTENCES = ("Accord accord accord: Chile signed the Harbour Accord.",  # the best match, stored first
             "Peru signed the Harbour Accord.", "Cuba signed the Harbour Accord.", "Iran signed the Harbour Accord.")


@pytest.fixture
def conn(tmp_path):
    with Store(tmp_path / "s.db") as store:
        for i, sentence in enumerate(SENTENCES):
            doc = CleanDocument(f"d{i}", f"doc-{i}", f"d{i}.txt", (Article("T", sentence, True),),
                                Relevance(True, 1.0), published=f"2025-01-0{i + 1}")
            event = Event(("CHL", "PER", "CUB", "IRN")[i], "sign", PACT, None, sentence, 0, len(sentence), 0.9, "t")
            store.add(doc, Extraction(events=(event,)))
        search.search_index_ready(store.conn)
        yield store.conn


def test_the_best_match_comes_first_and_every_match_is_counted(conn):
    total, rows = search.evidence_hits(conn, "accord", limit=2)
    assert total == 4 and rows[0]["actor"] == "CHL" and len(rows) == 2


def test_only_the_latest_matches_are_ranked_but_paging_reaches_all(conn, monkeypatch):
    monkeypatch.setattr(search, "RANKED", 2)
    total, rows = search.evidence_hits(conn, "accord", limit=2)
    assert total == 4 and {r["actor"] for r in rows} == {"CUB", "IRN"}  # the two stored last
    _, rows = search.evidence_hits(conn, "accord", limit=2, offset=2)  # the window grows with the page
    assert len(rows) == 2 and rows[0]["actor"] == "CHL"
    total, rows = search.article_hits(conn, "accord", limit=1)
    assert total == 4 and rows[0]["doc"] in ("doc-2", "doc-3")


def test_a_page_spanning_two_blocks_takes_both(conn, monkeypatch):
    monkeypatch.setattr(search, "RANKED", 2)
    pages = [search.evidence_hits(conn, "accord", limit=3, offset=o)[1] for o in (0, 3)]
    assert [r["actor"] for r in pages[0]][2] == "CHL" and len(pages[1]) == 1
    assert sorted(r["actor"] for p in pages for r in p) == ["CHL", "CUB", "IRN", "PER"]
