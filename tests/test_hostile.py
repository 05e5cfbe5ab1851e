"""Hostile input: every input of a generated hostile corpus is read correctly or refused in one line.

The corpus (tests/hostile.py) is written into a temporary folder: binary, empty and 200 MB
files, HTML nested 100,000 deep, entity bombs and XXE feeds, gzip bombs, wrong encodings,
truncated and corrupt gzip and WARC files, broken JSONL, odd names, pipes and symlinks.
The real reader runs over it in a subprocess under an audit hook that sees any network
connection and any opening of a file outside the corpus; then the real `accord ingest`
runs over it, and must finish with exit code 0, name each bad input in one line, print no
traceback, stay within a memory bound and store every good document of the same run.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from accord.records import RawDocument, ReadFailure
from accord.sources import Limits, read_inputs
from accord.sources.names import shown

sys.path.insert(0, str(Path(__file__).parent))
from hostile import GOOD_TEXT, SECRET_MARK, Case, build_corpus, feed  # noqa: E402

HERE = Path(__file__).parent
ACCORD = Path(sys.executable).parent / "accord"
READER_SECONDS = 120
"""Bound on reading the whole corpus (about 10 s here; the gzip bombs alone would take minutes)."""
SLOWEST_ITEM_SECONDS = 30
"""Bound on the wait for any one item (the slowest here is the feed nested 100,000 deep: about 5 s)."""
READER_RSS_MB = 400
"""Bound on the reader's peak memory (about 160 MB here: 200 MB of text and 6 GB of bombs are never held)."""
INGEST_RSS_MB = 1200
"""Bound on `accord ingest`'s peak memory, spaCy pipeline included."""


@dataclass(frozen=True)
class Corpus:
    root: Path
    secret: Path
    cases: list[Case]

    def source(self, case: Case) -> str:
        return shown(str(self.root / case.name))

    def items_of(self, case: Case, items: list[dict]) -> list[dict]:
        """The items that came from the input of `case` (a container's items carry `#offset` or `:line`)."""
        source = self.source(case)
        return [i for i in items if i["source"] == source or i["source"].startswith((source + "#", source + ":"))]


@dataclass(frozen=True)
class Measured:
    returncode: int
    stdout: str
    stderr: str
    peak_rss_mb: float
    seconds: float


MEASURER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
sys.stderr.write(f"\\nPEAK_RSS_KB {usage.ru_maxrss}\\n")
sys.exit(os.waitstatus_to_exitcode(status))
"""
"""Runs a command as the child of a small, freshly started Python and reports the command's peak RSS.

On Linux a process's ru_maxrss survives execve and starts from the RSS of the process it was
spawned from, so a command started straight from this (large) test process would report the
test's own memory. Forked from a small process, the command's figure is its own.
"""


def run_measured(command: list[str], cwd: Path) -> Measured:
    """Run a command to the end; its output, and its own peak RSS (from wait4, not the test's)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.run([sys.executable, "-c", MEASURER, *command], stdout=out, stderr=err,
                                 stdin=subprocess.DEVNULL, cwd=cwd, check=False)
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        stderr, _, peak = err.read().decode("utf-8", "replace").rpartition("\nPEAK_RSS_KB ")
        return Measured(process.returncode, out.read().decode("utf-8", "replace"),
                        stderr, int(peak.strip()) / 1024, seconds)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    base = tmp_path_factory.mktemp("hostile")
    secret = base / "secret-feed.xml"
    cases = build_corpus(base / "corpus", secret)
    return Corpus(base / "corpus", secret, cases)


@pytest.fixture(scope="module")
def probed(corpus: Corpus) -> tuple[list[dict], dict]:
    """The reader's items over the corpus, and its closing record (audit events, time, memory)."""
    watched = [str(corpus.secret), "/etc/passwd", str(corpus.root / "link-out.xml"),
               str(corpus.root / "link-passwd.txt")]
    run = run_measured([sys.executable, str(HERE / "hostile.py"), str(corpus.root), *watched], cwd=HERE.parent)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    *items, closing = lines
    assert closing.get("done")
    return items, closing


def test_every_hostile_input_is_read_or_refused_in_one_line(corpus: Corpus, probed: tuple[list[dict], dict]) -> None:
    items, _ = probed
    hostile = [c for c in corpus.cases if not c.name.startswith("good-")]
    print(f"\nhostile inputs tried: {len(hostile)} (plus {len(corpus.cases) - len(hostile)} good ones); "
          f"{sum(not i['failure'] for i in items)} documents, {sum(i['failure'] for i in items)} one-line failures")
    claimed = 0
    for case in corpus.cases:
        mine = corpus.items_of(case, items)
        claimed += len(mine)
        docs = [i for i in mine if not i["failure"]]
        failures = [i for i in mine if i["failure"]]
        print(f"  {case.outcome:8} {case.what}: " + ("; ".join(f["reason"] for f in failures) or f"{len(docs)} document(s)"))
        if case.content:
            assert any(case.content in d["content"] for d in docs), (case, docs[:2])
        else:
            assert not docs, (case, docs[:2])
        if case.docs is not None:
            assert len(docs) == case.docs, (case, [d["source"] for d in docs])
        if case.reason:
            assert any(case.reason in f["reason"] for f in failures), (case, failures)
        else:
            assert not failures, (case, failures)
        for failure in failures:
            assert "\n" not in failure["text"] and failure["text"].isprintable(), failure
            assert failure["text"].startswith(corpus.source(case)), failure
            if case.offset:
                offset = re.search(r"byte offset (\d+)", failure["reason"])
                assert offset, failure
                assert failure["source"].endswith(f"#{offset[1]}") or failure["source"] == corpus.source(case)
    assert claimed == len(items), "every item comes from a known input"


def test_text_comes_out_clean(probed: tuple[list[dict], dict]) -> None:
    """No lone surrogates, no byte-order marks, no mojibake, printable one-line names."""
    items, _ = probed
    for doc in (i for i in items if not i["failure"]):
        assert not re.search("[\ud800-\udfff]", doc["content"]), doc["source"]
        assert not doc["content"].startswith("\ufeff"), doc["source"]
        assert "Ã©" not in doc["content"] and "â€" not in doc["content"], doc["source"]
        assert doc["doc"].isprintable() and doc["source"].isprintable(), doc["doc"]


def test_no_network_and_no_file_outside_the_corpus(corpus: Corpus, probed: tuple[list[dict], dict]) -> None:
    items, closing = probed
    assert closing["events"] == [], "reading local files opened a connection or a file outside the corpus"
    canaries = {event for event, _ in closing["canaries"]}
    assert "socket.connect" in canaries and "open" in canaries, "the audit hook sees connections and openings"
    everything = json.dumps(items)
    assert SECRET_MARK not in everything
    assert "root:x:0:0" not in everything


def test_time_and_memory_stay_bounded(probed: tuple[list[dict], dict]) -> None:
    _, closing = probed
    print(f"\nreader: {closing['seconds']:.1f} s, peak RSS {closing['peak_rss_mb']:.0f} MB, slowest item "
          f"{closing['slowest_seconds']:.1f} s ({closing['slowest_source']})")
    assert closing["seconds"] < READER_SECONDS
    assert closing["slowest_seconds"] < SLOWEST_ITEM_SECONDS
    assert closing["peak_rss_mb"] < READER_RSS_MB


def _many_lines(n: int) -> bytes:
    """JSONL of `n` short articles with varied words (it compresses about 4-fold, like real text)."""
    return "".join(f'{{"text": "line {i} w{(i * 7919) % 100_003}"}}\n' for i in range(n)).encode()


CAPS = [
    ("big.jsonl.gz", gzip.compress(_many_lines(60_000), mtime=0), Limits(max_expanded=1 << 20),
     "gzip data expands to more than 1 MB (decompression limit)"),
    ("ratio.html.gz", gzip.compress(b"<p>" * 400_000, mtime=0), Limits(bomb_floor=1 << 20, max_ratio=10),
     "expands more than 10-fold"),
    ("lines.jsonl", _many_lines(10), Limits(max_records=3), "more than 3 lines (record limit)"),
    ("nested.html", b"<div>" * 6 + b"deep" + b"</div>" * 6, Limits(max_depth=5), "deeper than 5 elements"),
    ("page.txt", b"x" * 5000, Limits(max_bytes=4000), "larger than 3.9 KB (size limit"),
    ("feed.rss", feed("<p>" + "x" * 5000 + "</p>").encode(), Limits(max_feed_bytes=4000),
     "larger than 3.9 KB (size limit"),
]


@pytest.mark.parametrize("name, data, limits, reason", CAPS, ids=[c[0] for c in CAPS])
def test_the_caps_are_configurable(tmp_path: Path, name: str, data: bytes, limits: Limits, reason: str) -> None:
    (tmp_path / name).write_bytes(data)
    assert not [i for i in read_inputs([str(tmp_path / name)]) if isinstance(i, ReadFailure)]
    items = list(read_inputs([str(tmp_path / name)], limits=limits))
    failures = [str(i) for i in items if isinstance(i, ReadFailure)]
    assert len(failures) == 1 and reason in failures[0] and name in failures[0], failures
    if name == "lines.jsonl":
        assert [i.content for i in items if isinstance(i, RawDocument)] == ["line 0 w0", "line 1 w7919", "line 2 w15838"]


def test_ingest_over_the_hostile_corpus(corpus: Corpus, probed: tuple[list[dict], dict], tmp_path: Path) -> None:
    pytest.importorskip("accord.clean", reason="the clean stage is not there yet")
    items, _ = probed
    db = tmp_path / "hostile.db"
    run = run_measured([str(ACCORD), "ingest", str(corpus.root), "--db", str(db)], cwd=tmp_path)
    print(f"\naccord ingest: exit {run.returncode}, {run.seconds:.0f} s, peak RSS {run.peak_rss_mb:.0f} MB\n"
          + run.stdout)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stdout + run.stderr
    assert run.peak_rss_mb < INGEST_RSS_MB
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert all(line.startswith("skipped ") for line in lines), [x for x in lines if not x.startswith("skipped ")]
    for failure in (i for i in items if i["failure"]):
        assert f"skipped {failure['text']}" in lines, failure["text"]
    for case in corpus.cases:
        if case.reason:
            assert any(line.startswith(f"skipped {corpus.source(case)}") for line in lines), case.name
    with contextlib.closing(sqlite3.connect(db)) as conn:
        stored = {row[0] for row in conn.execute("SELECT id FROM documents")}
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        texts = " ".join(row[0] for row in conn.execute("SELECT text FROM articles"))
    assert {i["id"] for i in items if not i["failure"]} <= stored, "every good document of the run is stored"
    assert SECRET_MARK not in texts and "root:x:0:0" not in texts
    assert GOOD_TEXT.split(" - ")[1][:40] in texts

    strict = run_measured([str(ACCORD), "ingest", str(corpus.root), "--db", str(db), "--strict"], cwd=tmp_path)
    assert strict.returncode == 1 and "Traceback" not in strict.stdout + strict.stderr
