"""Ingest and corrections interleaved in any order, checked against a model (Hypothesis stateful).

A real SQLite store; documents are news pages made from a small grammar (a country signs or
ratifies one of two declarations), written to files and stored by the real pipeline
(`accord.pipeline.ingest`); an analyst confirms, rejects, edits and adds facts through the
analyze stage, sometimes naming a fact that does not exist or adding one that does. After
every step:

- each stored document is stored once, re-ingesting changes nothing, and
  `PRAGMA integrity_check` is ok;
- the corrections table is exactly the corrections the model made, in order, and the
  audit log has one entry per attempt (made or refused): no ingest touched either;
- the facts the analyze stage shows (with their status) are what the model gets by
  replaying those corrections, in order, over the facts extraction found.

Bounded (EXAMPLES runs of at most STEPS steps) so the module runs well under a minute.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from accord import analyze
from accord.pipeline import ingest
from accord.store.database import Store

EXAMPLES = 20
STEPS = 15
COUNTRIES = {"France": "FRA", "Germany": "DEU", "China": "CHN", "the United States": "USA"}
VERBS = ["signed", "ratified", "endorsed"]
TARGETS = {"the Paris AI Declaration": "paris-ai-declaration", "the Bletchley Declaration": "bletchley-declaration"}
KEYS = [(code, action, key) for code in COUNTRIES.values() for action in ("sign", "ratify", "refuse")
        for key in TARGETS.values()]
"""The facts corrections may name: those the documents can report, and some they cannot."""
TRIED = {"runs": 0, "steps": 0, "documents": 0, "corrections": 0, "refused": 0}

sentence = st.builds(lambda c, v, t, day: f"{c} {v} {t} on {day} February 2025, officials said.",
                     st.sampled_from(list(COUNTRIES)), st.sampled_from(VERBS), st.sampled_from(list(TARGETS)),
                     st.integers(1, 28))
page = st.lists(sentence, min_size=1, max_size=3).map(
    lambda s: "Home | World | Tech\n\nAI governance: where countries stand on the declarations\n\n"
              + " ".join(s) + " The talks on artificial intelligence governance go on.\n\nShare on Twitter\n")


def replayed(extracted: set[tuple], corrections: list[tuple]) -> dict[tuple, str]:
    """The model: each fact's status after the corrections (kind, fact, result), in order, over `extracted`."""
    status = dict.fromkeys(extracted, "extracted")
    for kind, fact, result in corrections:
        if kind == "add":
            status[fact] = "added"
        elif fact not in status:
            continue
        elif kind == "edit":
            del status[fact]
            status[result] = "edited"
        else:
            status[fact] = {"confirm": "confirmed", "reject": "rejected"}[kind]
    return status


class IngestAndCorrect(RuleBasedStateMachine):
    """One store, one analyst, any interleaving."""

    def __init__(self) -> None:
        super().__init__()
        self.folder: Path | None = None
        self.made: list[tuple] = []  # (kind, fact, result) of each correction the store accepted
        self.attempts = 0
        self.files: list[Path] = []

    @initialize(text=page)
    def open_store(self, text: str) -> None:
        self.folder = FOLDER.make()
        self.db = self.folder / "accord.db"
        Store(self.db).close()
        TRIED["runs"] += 1
        self.ingest_a_page(text)

    # --- the ingest -------------------------------------------------------------------------------
    @rule(text=page)
    def ingest_a_page(self, text: str) -> None:
        path = self.folder / f"page-{len(self.files)}.txt"
        path.write_text(text, encoding="utf-8")
        self.files.append(path)
        with Store(self.db) as store:
            ingest([str(path)], store)
        TRIED["documents"] += 1

    @precondition(lambda self: self.files)
    @rule()
    def ingest_everything_again(self) -> None:
        before = self._tables()
        with Store(self.db) as store:
            summary = ingest([str(p) for p in self.files], store)
        assert self._tables() == before, summary  # already stored: nothing written

    # --- the analyst ------------------------------------------------------------------------------
    def _facts(self) -> dict[tuple, str]:
        return {f.key: f.status for f in analyze.facts(self.db, include_rejected=True, evidence=False)}

    def _correct(self, kind: str, fact: tuple, **changes: str) -> None:
        """Make a correction; the model predicts whether the store accepts or refuses it."""
        present = self._facts()
        result = (fact[0], changes.get("action", fact[1]), fact[2])
        accepted = present.get(fact) in (None, "rejected") if kind == "add" else fact in present
        self.attempts += 1
        TRIED["corrections"] += 1
        call = getattr(analyze, kind)
        if accepted:
            call(self.db, *fact, who="analyst", why=f"step {self.attempts}", **changes)
            self.made.append((kind, fact, result))
        else:
            TRIED["refused"] += 1
            with pytest.raises((LookupError, ValueError)):
                call(self.db, *fact, who="analyst", why=f"step {self.attempts}", **changes)

    def _pick(self, data: st.DataObject) -> tuple:
        """A fact to correct: mostly one the store shows, sometimes any of KEYS (which may not exist)."""
        shown = sorted(self._facts())
        return data.draw(st.sampled_from(shown) if shown and data.draw(st.integers(0, 2)) else st.sampled_from(KEYS))

    @rule(data=st.data(), kind=st.sampled_from(["confirm", "reject"]))
    def confirm_or_reject(self, data: st.DataObject, kind: str) -> None:
        self._correct(kind, self._pick(data))

    @rule(data=st.data(), action=st.sampled_from(["sign", "ratify", "refuse"]))
    def edit_the_action(self, data: st.DataObject, action: str) -> None:
        fact = self._pick(data)
        if action != fact[1]:
            self._correct("edit", fact, action=action)

    @rule(data=st.data(), day=st.integers(1, 28))
    def add_a_fact(self, data: st.DataObject, day: int) -> None:
        fact = self._pick(data)
        self._correct("add", fact, date=f"2025-03-{day:02d}", evidence=f"{fact[0]} did it, a reviewer read.")

    # --- what must hold after every step --------------------------------------------------------------
    def _tables(self) -> tuple:
        conn = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        try:
            return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                         for t in ("documents", "articles", "events", "corrections", "audit_log"))
        finally:
            conn.close()

    @invariant()
    def store_is_sound(self) -> None:
        if self.folder is None:
            return
        TRIED["steps"] += 1
        conn = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            ids = [r[0] for r in conn.execute("SELECT id FROM documents")]
            assert len(ids) == len(set(ids))
            extracted = {tuple(r) for r in conn.execute("SELECT DISTINCT actor, action, target_key FROM events")}
            stored = [(r[0], (r[1], r[2], r[3]), (r[4] or r[1], r[5] or r[2], r[6] or r[3]))
                      for r in conn.execute("SELECT kind, actor, action, target_key, new_actor, new_action,"
                                            " new_target_key FROM corrections ORDER BY id")]
            logged = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        finally:
            conn.close()
        assert stored == self.made  # corrections untouched by any ingest, none lost, none invented
        assert logged == self.attempts  # every attempt, made or refused, is in the audit log
        assert self._facts() == replayed(extracted, self.made)


class Folders:
    """Fresh folders under one pytest temporary directory."""

    def __init__(self) -> None:
        self.root: Path | None = None
        self.count = 0

    def make(self) -> Path:
        self.count += 1
        path = self.root / f"run-{self.count}"
        path.mkdir()
        return path


FOLDER = Folders()
IngestAndCorrect.TestCase.settings = settings(max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None,
                                              derandomize=True, database=None,
                                              suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(autouse=True)
def _folders(tmp_path) -> None:
    FOLDER.root = tmp_path


def test_ingest_and_corrections_in_any_order() -> None:
    IngestAndCorrect.TestCase().runTest()
    print(f"\nstateful: {TRIED['runs']} runs, {TRIED['steps']} checked steps, {TRIED['documents']} pages ingested, "
          f"{TRIED['corrections']} corrections ({TRIED['refused']} refused as the model predicted)")
    assert TRIED["documents"] > 0 and TRIED["corrections"] > TRIED["refused"] > 0
