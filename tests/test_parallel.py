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
        summary = ingest_parallel([str(corpus)], store, workers=2, tick=ticks.append, pool_after=0)
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
    ingest_parallel(sys.argv[2:], store, workers=2, pool_after=0)
"""


def _stored(db: Path) -> int:
    """Documents in a store another process is writing (0 before it exists)."""
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(db, timeout=1)
        try:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:  # not migrated yet
        return 0


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
            stored = _stored(db)
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


def _big_page(tmp_path: Path) -> Path:
    """An HTML page of about 1.7 MB: 4 s or more to clean on these cores (a hundred times what a
    news page takes), so that a limit of 1 s stops it even on cores twice as fast, and none
    of the small pages even on a loaded machine."""
    from dataclasses import replace
    from random import Random

    gen = generator()
    story = gen.stories(3, seed=3)[0]
    page = tmp_path / "big.html"
    page.write_text(gen.page_html(Random(1), replace(story, paragraphs=story.paragraphs * 6000), []),
                    encoding="utf-8")
    return page


def _small_pages(folder: Path, count: int) -> None:
    gen = generator()
    from random import Random

    rng = Random(2)
    made = gen.stories(count, seed=4, ai_share=0.2, copy_share=0.0)
    for i, story in enumerate(made):
        (folder / f"p{i:03d}.txt").write_text(gen.page_text(rng, story, made[:20]), encoding="utf-8")


def test_a_document_over_the_time_limit_fails_on_one_line_and_the_run_goes_on(tmp_path, runner):
    from accord.cli import app

    inputs = tmp_path / "in"
    inputs.mkdir()
    _small_pages(inputs, 3)
    big = _big_page(inputs)
    db = tmp_path / "k.db"
    result = runner.invoke(app, ["ingest", str(inputs), "--db", str(db), "--max-seconds-per-doc", "1"])
    assert result.exit_code == 0, result.output
    assert f"{big}: cleaning took longer than 1 s (time limit)" in " ".join(result.output.split())
    assert "read 4, new 3, unchanged 0, near-duplicate 0, failed 1" in result.output
    assert "Traceback" not in result.output
    strict = runner.invoke(app, ["ingest", str(inputs), "--db", str(db), "--max-seconds-per-doc", "1", "--strict"])
    assert strict.exit_code == 1 and "read 4, new 0, unchanged 3" in strict.output
    # without the limit the page is stored
    result = runner.invoke(app, ["ingest", str(big), "--db", str(db), "--max-seconds-per-doc", "0"])
    assert result.exit_code == 0 and "new 1" in result.output


@pytest.mark.slow
def test_the_time_limit_holds_in_worker_processes(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    _small_pages(inputs, 20)
    big = _big_page(inputs)
    with Store(tmp_path / "k.db") as store:
        summary = ingest_parallel([str(inputs)], store, workers=2, max_seconds=1.0, pool_after=0)
    assert (summary.read, summary.new, summary.failed) == (21, 20, 1)
    assert str(summary.failures[0]) == f"{big}: cleaning took longer than 1 s (time limit)"


def test_time_limit_interrupts_a_runaway_match_and_no_library_can_swallow_it():
    import re

    from accord.run.time_limit import TimeLimitExceeded, time_limit

    started = time.monotonic()
    with pytest.raises(TimeLimitExceeded, match=r"cleaning took longer than 0\.2 s"), time_limit(0.2):
        re.match(r"(a+)+$", "a" * 40 + "b")  # backtracks for hours
    with pytest.raises(TimeLimitExceeded), time_limit(0.2):
        while True:
            try:
                sum(range(10_000))
            except Exception:  # noqa: BLE001, S112 - what a careless library does
                continue
    assert time.monotonic() - started < 10
    with time_limit(0.2):  # a block that ends in time leaves no timer behind
        pass
    time.sleep(0.3)


def _spin(seconds: float) -> None:
    """Run Python code for `seconds` (a signal handler runs between its instructions)."""
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        pass


def test_a_time_limit_swallowed_once_fires_again():
    """A library that catches even BaseException once, and a garbage collector callback running
    when the time is up (Python would print and drop an exception raised there): the block is
    stopped all the same, soon after."""
    import gc

    from accord.run.time_limit import TimeLimitExceeded, time_limit

    started, swallowed = time.monotonic(), []
    with pytest.raises(TimeLimitExceeded), time_limit(0.2):
        try:
            _spin(1.0)
        except BaseException as e:  # noqa: BLE001 - what a very careless library does
            swallowed.append(e)
        _spin(5.0)
    assert len(swallowed) == 1 and time.monotonic() - started < 2.0

    def slow_callback(phase: str, info: dict) -> None:
        _spin(0.5)  # the time runs out in here

    gc.callbacks.append(slow_callback)
    try:
        started = time.monotonic()
        with pytest.raises(TimeLimitExceeded), time_limit(0.2):
            gc.collect()
            _spin(5.0)
    finally:
        gc.callbacks.remove(slow_callback)
    assert time.monotonic() - started < 3.0


def test_any_error_of_one_document_becomes_one_line_naming_it():
    from accord.pipeline import failure, processed
    from accord.records import RawDocument, ReadFailure

    broken = RawDocument("d", "/in/broken.txt", "text", None)  # content that no stage can read
    result = processed(broken)
    assert isinstance(result, ReadFailure) and result.source == "/in/broken.txt"
    assert str(result).startswith("/in/broken.txt: could not be processed: AttributeError: ")
    assert "\n" not in str(result)
    assert str(failure("/in/a.html", ValueError("first line\n  second line"))) == \
        "/in/a.html: could not be processed: ValueError: first line second line"


def test_reader_caps_are_ingest_options(tmp_path, runner):
    from accord.cli import app

    page = tmp_path / "page.txt"
    page.write_text("Heavy rain is expected across the region on Friday, forecasters said.\n" * 40, encoding="utf-8")
    lines = tmp_path / "day.jsonl"
    lines.write_text("".join(json.dumps({"id": f"n{i}", "text": f"Story number {i} about the weather today."}) + "\n"
                             for i in range(3)), encoding="utf-8")
    db = str(tmp_path / "k.db")
    result = runner.invoke(app, ["ingest", str(page), "--db", db, "--max-mb-per-doc", "0.001"])
    assert "page.txt: larger than" in result.output and "(size limit" in result.output
    assert "read 0, new 0" in result.output
    result = runner.invoke(app, ["ingest", str(lines), "--db", db, "--max-records-per-input", "2"])
    assert "day.jsonl:3: more than 2 lines (record limit)" in " ".join(result.output.split())
    assert "read 2, new 2" in result.output


WORKER_KILLED_RUN = """
import sys
from accord.run.parallel import ingest_parallel
from accord.store.database import Store
if __name__ == "__main__":
    with Store(sys.argv[1]) as store:
        s = ingest_parallel(sys.argv[2:], store, workers=2, pool_after=0)
    print("RESULT", s.read, s.new, s.failed)
"""


@pytest.mark.slow
def test_a_worker_killed_midway_costs_nothing(corpus, sequential, tmp_path):
    """A worker process that dies (the kernel kills it for memory, say) takes its pool down;
    the run starts another and sends the documents it held again, one by one."""
    import psutil

    script = tmp_path / "run.py"
    script.write_text(WORKER_KILLED_RUN, encoding="utf-8")
    db = tmp_path / "k.db"
    proc = subprocess.Popen([sys.executable, str(script), str(db), str(corpus)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    killed = None
    deadline = time.monotonic() + 120
    while killed is None and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if _stored(db) < 20:  # documents come back: the workers are past loading and at work
            continue
        run = psutil.Process(proc.pid)  # workers: spawned by the run, or forked by its fork server
        workers = [p for p in run.children(recursive=True)
                   if "spawn_main" in " ".join(p.cmdline()) or p.ppid() != run.pid]
        if workers:
            killed = workers[0].pid
            os.kill(killed, signal.SIGKILL)
    out, err = proc.communicate(timeout=300)
    assert killed is not None, "the run ended before a worker could be killed"
    assert proc.returncode == 0, err[-2000:]
    assert "RESULT 160 160 0" in out
    assert export(db) == export(sequential[0])


def test_documents_processed_together_give_what_each_gives_alone_and_a_slow_parse_fails_alone():
    """processed_all parses the sentences of many documents in one pass; a document whose
    sentence takes the shared parse over the time limit fails by itself, and the others come
    out as they do when processed one by one."""
    from accord.pipeline import processed, processed_all
    from accord.records import RawDocument
    from conftest import DEV

    pages = [RawDocument(p.stem, str(p), "text", p.read_text(encoding="utf-8")) for p in sorted(DEV.glob("*.txt"))[:6]]
    body = ("France signed the treaty on artificial intelligence and Germany ratified the convention on AI "
            "governance under the law and the regulation ") * 1000
    slow = RawDocument("slow", "/in/slow.txt", "text", f"AI treaty signed by France\n\n{body}.\n")
    together = processed_all([*pages[:3], slow, *pages[3:]], max_seconds=1.5)
    assert str(together[3]) == "/in/slow.txt: extraction took longer than 1.5 s (time limit)"
    alone = [processed(p, max_seconds=1.5) for p in pages]
    assert [*together[:3], *together[4:]] == alone
    assert sum(len(p.extraction.events) for p in alone) > 10
