"""The SQLite store: documents stored once, events queryable, a real file reopened."""

from __future__ import annotations

import sqlite3

from accord.records import Article, CleanDocument, Event, Extraction, Relevance, Target
from accord.store.database import Store, target_key

DECLARATION = Target("Bletchley Declaration", "declaration", ("the Bletchley declaration",), key="bletchley-declaration")


def doc(doc_id: str = "a1", text: str = "Canada signed the Bletchley Declaration.") -> CleanDocument:
    return CleanDocument(id=doc_id, doc=f"name-{doc_id}", source=f"/tmp/{doc_id}.txt",
                         articles=(Article("Canada signs", text, True), Article("Other", "Weather.", False)),
                         relevance=Relevance(True, 2.0, ("declaration",)), title="Canada signs",
                         published="2023-11-02", removed=("Menu", "Subscribe"))


def extraction(actor: str = "CAN") -> Extraction:
    event = Event(actor, "sign", DECLARATION, "2023-11-01", "Canada signed the Bletchley Declaration.",
                  0, 40, 0.85, "accord.verb.sign.v1")
    return Extraction(countries=(actor,), events=(event,))


def test_a_document_is_stored_once_with_its_articles_and_events(tmp_path):
    path = tmp_path / "k.db"
    with Store(path) as store:
        assert store.add(doc(), extraction()) is True
        assert store.add(doc(), extraction()) is False
        assert store.counts() == {"documents": 1, "articles": 2, "events": 1, "targets": 1}
    with Store(path) as store:  # reopened: migrations are not applied twice
        (row,) = store.documents()
        assert (row.doc, row.published, row.relevant, row.events) == ("name-a1", "2023-11-02", True, 1)
        assert [a["principal"] for a in store.articles("a1")] == [1, 0]
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_events_filter_by_actor_action_and_target(tmp_path):
    with Store(tmp_path / "k.db") as store:
        store.add(doc("a1"), extraction("CAN"))
        store.add(doc("b2", "Japan signed the Bletchley Declaration."), extraction("JPN"))
        assert [e.actor for e in store.events(actor="jpn")] == ["JPN"]
        assert len(store.events(action="sign")) == 2
        assert store.events(action="refuse") == []
        assert len(store.events(target="Bletchley")) == 2
        assert store.events(target="Seoul") == []


def test_document_found_by_name_or_id_prefix(tmp_path):
    with Store(tmp_path / "k.db") as store:
        store.add(doc("abcdef0123"), extraction())
        assert store.document("name-abcdef0123")["id"] == "abcdef0123"
        assert store.document("abcd")["id"] == "abcdef0123"
        assert store.document("zzz") is None


def test_new_targets_get_a_stable_slug_key():
    assert target_key(Target("Déclaration on AI, 2024!", "declaration")) == "new:declaration-on-ai-2024"
    assert target_key(DECLARATION) == "bletchley-declaration"


def test_a_document_with_thousands_of_events_stores_them_all_in_order_with_new_targets(tmp_path):
    from accord.store.database import EVENTS_PER_STATEMENT

    n = 2 * EVENTS_PER_STATEMENT + 7  # several statements, the last one short
    text = "Canada signed the Bletchley Declaration."
    targets = [DECLARATION, Target("Harbour Accord", "treaty", ("the Harbour pact",))]
    events = tuple(Event("CAN" if i % 3 else "FRA", "sign", targets[i % 2], "2023-11-01", f"{text} Report {i}.",
                         0, 40, 0.85, "accord.verb.sign.v1") for i in range(n))
    with Store(tmp_path / "k.db") as store:
        assert store.add(doc(text=text), Extraction(("CAN", "FRA"), events))
        rows = store.conn.execute("SELECT evidence, target_key, target_text FROM events ORDER BY id").fetchall()
        assert [r[0] for r in rows] == [e.evidence for e in events]
        assert {(r[1], r[2]) for r in rows} == {("bletchley-declaration", "the Bletchley declaration"),
                                                ("new:harbour-accord", "the Harbour pact")}
        aliases = store.conn.execute("SELECT aliases FROM targets WHERE key = 'new:harbour-accord'").fetchone()[0]
        assert aliases == '["the Harbour pact"]'
        assert store.counts()["events"] == n
        assert store.conn.execute("SELECT count(*) FROM actor_counts").fetchone()[0] == 2
        # the full-text index (its trigger, when the web app made it) holds every sentence
        from accord.web.search import search_index_ready

        search_index_ready(store.conn)
        assert store.add(doc("b2", text), Extraction(("CAN",), events[:5]))
        hits = store.conn.execute("SELECT count(*) FROM evidence_fts WHERE evidence_fts MATCH 'report'").fetchone()[0]
        assert hits == n + 5
