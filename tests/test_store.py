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
