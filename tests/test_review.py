"""Corrections: confirm, reject, edit and add facts; they override extraction, survive re-ingest
and re-extraction, are audit-logged, and a correction of an unknown fact is refused."""

from __future__ import annotations

import pytest

from accord import analyze
from accord.analyze import FactNotFound, NotFound
from accord.records import Article, CleanDocument, Event, Extraction, Relevance, Target
from accord.store.database import Store

PARIS = Target("Paris AI Declaration", "declaration", key="paris-ai-declaration")
SEOUL = Target("Seoul Declaration", "declaration", key="seoul-declaration")

DOCS = {
    "r1": [("FRA", "sign", PARIS, "2025-02-11", "France signed the declaration."),
           ("USA", "sign", PARIS, "2025-02-11", "The US signed the declaration."),
           ("DEU", "attend", PARIS, "2025-02-10", "Germany attended.")],
    "r2": [("IND", "sign", SEOUL, "2024-05-21", "India signed in Seoul."),
           ("JPN", "sign", PARIS, "2025-02-11", "Japan signed the declaration.")],
}


def load(store: Store) -> None:
    """Store (or store again) the same documents, as an ingest does."""
    for doc_id, events in DOCS.items():
        text = " ".join(e[4] for e in events)
        clean = CleanDocument(id=doc_id, doc=doc_id, source=f"/tmp/{doc_id}.txt",
                              articles=(Article("T", text, True),), relevance=Relevance(True, 2.0), published="2025-02-12")
        evs = tuple(Event(a, act, t, d, ev, 0, len(ev), 0.9, "test.v1") for a, act, t, d, ev in events)
        store.add(clean, Extraction(events=evs))


def reextract(store: Store) -> None:
    """Wipe extracted data and store it again: new event row ids, same facts."""
    with store.conn:
        store.conn.execute("DELETE FROM events")
        store.conn.execute("DELETE FROM document_countries")
        store.conn.execute("DELETE FROM articles")
        store.conn.execute("DELETE FROM documents")
    load(store)


def state(store: Store) -> dict[tuple[str, str, str], str]:
    return {f.key: f.status for f in analyze.facts(store, include_rejected=True)}


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "r.db") as s:
        load(s)
        yield s


def test_every_correction_kind_applies_and_survives_reingest_and_reextraction(store):
    analyze.confirm(store, "FRA", "sign", "paris-ai-declaration", who="ana", why="checked the text")
    analyze.reject(store, "DEU", "attend", "Paris AI Declaration", who="ana", why="it was the summit")
    analyze.edit(store, "USA", "sign", "paris-ai-declaration", who="bo", why="misread", action="refuse")
    analyze.edit(store, "IND", "sign", "seoul-declaration", who="bo", why="wrong year", date="2024-05")
    analyze.add(store, "GBR", "refuse", "paris-ai-declaration", who="cy", why="missed", date="2025-02-11",
                evidence="Britain did not sign.", doc_id="r1")
    analyze.add(store, "CAN", "propose", "new:ai-safety-charter", who="cy", why="new initiative")
    expected = {
        ("FRA", "sign", "paris-ai-declaration"): "confirmed",
        ("DEU", "attend", "paris-ai-declaration"): "rejected",
        ("USA", "refuse", "paris-ai-declaration"): "edited",
        ("IND", "sign", "seoul-declaration"): "edited",
        ("GBR", "refuse", "paris-ai-declaration"): "added",
        ("CAN", "propose", "new:ai-safety-charter"): "added",
        ("JPN", "sign", "paris-ai-declaration"): "extracted",
    }
    assert state(store) == expected
    load(store)  # re-ingest: documents unchanged
    assert state(store) == expected
    reextract(store)  # re-extraction: every event row replaced
    assert state(store) == expected
    stances = {s.actor: s for s in analyze.stances(store, "paris-ai-declaration")}
    assert "DEU" not in stances  # rejected facts do not count
    assert stances["USA"].stance == "refused" and stances["GBR"].stance == "refused"
    (ind,) = analyze.facts(store, actor="IND")
    assert (ind.first_date, ind.last_date, ind.sources) == ("2024-05", "2024-05", 1)
    (gbr,) = analyze.facts(store, actor="GBR")
    assert gbr.evidence[0].evidence == "Britain did not sign." and gbr.sources == 1
    assert [c.who for c in gbr.corrections] == ["cy"]


def test_edit_into_another_target_is_seen_from_that_target(store):
    analyze.edit(store, "JPN", "sign", "paris-ai-declaration", who="ana", why="it was Seoul",
                 target_key="Seoul Declaration")
    assert {s.actor for s in analyze.stances(store, "seoul-declaration")} == {"IND", "JPN"}
    assert "JPN" not in {s.actor for s in analyze.stances(store, "paris-ai-declaration")}
    (jpn,) = analyze.facts(store, actor="JPN")
    assert jpn.evidence[0].evidence == "Japan signed the declaration."


def test_corrections_of_unknown_facts_are_refused_and_logged(store):
    with pytest.raises(FactNotFound) as e:
        analyze.confirm(store, "FRA", "refuse", "paris-ai-declaration", who="ana", why="x")
    message = str(e.value)
    assert "\n" not in message and message.startswith("no fact 'FRA refuse paris-ai-declaration'")
    assert "FRA sign paris-ai-declaration" in message
    with pytest.raises(NotFound):
        analyze.reject(store, "FRA", "sign", "Pariss Declaraton of Nothing", who="ana", why="x")
    with pytest.raises(ValueError):
        analyze.add(store, "FRA", "sign", "paris-ai-declaration", who="ana", why="exists already")
    with pytest.raises(ValueError):
        analyze.confirm(store, "FRA", "signs", "paris-ai-declaration", who="ana", why="bad action")
    with pytest.raises(ValueError):
        analyze.edit(store, "FRA", "sign", "paris-ai-declaration", who="ana", why="no change")
    assert analyze.corrections(store) == []
    log = analyze.audit_log(store)
    assert [e.operation for e in log] == ["refused"] * 5
    assert "no fact" in log[0].detail["reason"] and log[0].who == "ana"


def test_audit_log_records_who_when_why(store):
    c = analyze.reject(store, "JPN", "sign", "paris-ai-declaration", who="ana", why="duplicate")
    analyze.confirm(store, "JPN", "sign", "paris-ai-declaration", who="bo", why="it is right after all")
    assert state(store)[("JPN", "sign", "paris-ai-declaration")] == "confirmed"  # the later correction wins
    log = analyze.audit_log(store)
    assert [(e.operation, e.who, e.why) for e in log] == [("reject", "ana", "duplicate"),
                                                          ("confirm", "bo", "it is right after all")]
    assert log[0].at == c.at and log[0].detail["target_key"] == "paris-ai-declaration"
    # corrections live in their own table, apart from the extracted events
    assert store.conn.execute("SELECT count(*) FROM corrections").fetchone()[0] == 2
    assert store.conn.execute("SELECT count(*) FROM events").fetchone()[0] == 5
