"""Parallel ingest: the same store as a sequential ingest, resumable after a hard kill."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from accord.pipeline import ingest
from accord.run.parallel import ingest_parallel
from accord.store.database import Store

BENCH = Path(__file__).resolve().parents[1] / "bench"


def generator():
    """bench/generate_corpus.py as a module."""
    spec = importlib.util.spec_from_file_location("generate_corpus", BENCH / "generate_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def export(db: Path) -> list[tuple]:
    """What a store holds, independent of insertion order: documents with their duplicate
    links and relevance, and every event."""
    conn = sqlite3.connect(db)
    docs = conn.execute(
        "SELECT d.doc, d.relevant, d.published, coalesce(o.doc, '') FROM documents d"
        " LEFT JOIN documents o ON o.id = d.duplicate_of").fetchall()
    events = conn.execute(
        "SELECT d.doc, e.actor, e.action, e.target_key, coalesce(e.date, ''), e.evidence, e.start, e.end"
        " FROM events e JOIN documents d ON d.id = e.doc_id").fetchall()
    conn.close()
    return sorted(("doc", *r) for r in docs) + sorted(("event", *r) for r in events)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generator().generate(out, docs=160, shard_size=40, seed=3, ai_share=0.15, formats=("warc.gz", "jsonl"))
    return out


@pytest.fixture(scope="module")
def sequential(corpus, tmp_path_factory) -> tuple[Path, object]:
    db = tmp_path_factory.mktemp("seq") / "seq.db"
    with Store(db) as store:
        summary = ingest([str(corpus)], store)
    return db, summary


@pytest.mark.slow
def test_two_workers_store_what_a_sequential_run_stores(corpus, sequential, tmp_path):
    seq_db, seq_summary = sequential
    db = tmp_path / "par.db"
    ticks: list[str] = []
    with Store(db) as store:
        summary = ingest_parallel([str(corpus)], store, workers=2, tick=ticks.append)
    assert (summary.read, summary.new, summary.duplicate, summary.events) == (
        seq_summary.read, seq_summary.new, seq_summary.duplicate, seq_summary.events)
    assert summary.new == 160 and summary.events > 0 and summary.duplicate > 0
    assert len(ticks) == 160
    assert export(db) == export(seq_db)
    with Store(db) as store:  # a second run sends nothing to the workers and changes nothing
        again = ingest_parallel([str(corpus)], store, workers=2)
    assert (again.read, again.new, again.unchanged) == (160, 0, 160)
    assert export(db) == export(seq_db)


def test_one_worker_runs_in_process_and_skips_repeated_content(tmp_path):
    shard = tmp_path / "day.jsonl"
    text = "Heavy rain is expected across the region on Friday, forecasters said, with travel disruption."
    shard.write_text("".join(json.dumps({"id": f"n{i}", "text": text}) + "\n" for i in range(3))
                     + json.dumps({"id": "other", "text": text.replace("Friday", "Monday")}) + "\n",
                     encoding="utf-8")
    with Store(tmp_path / "k.db") as store:
        summary = ingest_parallel([str(shard)], store, workers=1)
        assert (summary.read, summary.new, summary.unchanged) == (4, 2, 2)
        assert [d.doc for d in store.documents()] == ["n0", "other"]


def test_unreadable_inputs_are_reported_in_order(tmp_path):
    with Store(tmp_path / "k.db") as store:
        summary = ingest_parallel([str(tmp_path / "missing.jsonl")], store, workers=2)
    assert summary.read == 0 and summary.failed == 1 and "missing.jsonl" in summary.failures[0].source


KILLED_RUN = """
import sys
from accord.run.parallel import ingest_parallel
from accord.store.database import Store
with Store(sys.argv[1]) as store:
    ingest_parallel(sys.argv[2:], store, workers=2)
"""


@pytest.mark.slow
def test_a_run_killed_midway_finishes_on_rerun_with_nothing_lost_or_doubled(corpus, sequential, tmp_path):
    db = tmp_path / "killed.db"
    proc = subprocess.Popen([sys.executable, "-c", KILLED_RUN, str(db), str(corpus)], start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stored = 0
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
            if db.exists():
                try:
                    conn = sqlite3.connect(db, timeout=1)
                    stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
                    conn.close()
                except sqlite3.OperationalError:  # not migrated yet
                    continue
                if stored >= 20:
                    break
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the whole group: the run and its workers
        proc.wait()
    conn = sqlite3.connect(db)
    at_kill = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert 20 <= at_kill < 160, "the run should have been killed midway"
    with Store(db) as store:
        rest = ingest_parallel([str(corpus)], store, workers=2)
    assert (rest.read, rest.unchanged, rest.new) == (160, at_kill, 160 - at_kill)
    assert export(db) == export(sequential[0])
