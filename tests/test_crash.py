"""Crashes: `accord ingest` killed with SIGKILL and resumed, and `accord ingest` on a full disk.

A corpus of 320 short wire stories is generated; a clean run stores it into a reference
store. Then the same ingest is killed with `kill -9` at 20 seeded random points (some
after a random time, some after a random number of new documents), and resumed each time;
analysts' corrections are added after the first kill. After the last resume the sorted
export of every table of extracted data equals the reference's, no document is stored
twice, `PRAGMA integrity_check` is ok and the corrections and audit log are as they were.

The full disk is a 2 MB tmpfs (as root), else a file-size limit the kernel enforces
(RLIMIT_FSIZE). The ingest must stop with a one-line error and no traceback, the store
must still open, and once there is room again a resume must equal the clean run.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ACCORD = Path(sys.executable).parent / "accord"
SEED = 20241123
KILLS = 20
STORIES = 320

PLACES = {"France": "Lyon", "Germany": "Berlin", "Japan": "Tokyo", "Canada": "Ottawa", "Brazil": "Brasilia",
          "India": "New Delhi", "Kenya": "Nairobi", "Chile": "Santiago", "Norway": "Oslo", "Mexico": "Monterrey",
          "Italy": "Rome", "Spain": "Madrid"}
ACTS = [("signed", "the Council of Europe Framework Convention on Artificial Intelligence"),
        ("ratified", "the Council of Europe Framework Convention on Artificial Intelligence"),
        ("endorsed", "the Bletchley Declaration"), ("signed", "the Seoul Declaration"),
        ("refused to sign", "the Paris AI Action Summit declaration"), ("adopted", "a national AI strategy")]
WORDS = ["Ministers", "debated", "oversight", "of", "frontier", "models", "and", "compute", "audits", "while",
         "industry", "groups", "asked", "for", "clarity"]

EXPORT = {
    "documents": "SELECT id, doc, source, url, title, published, date_note, publisher, author, language, relevant,"
                 " relevance_score, relevance_terms, duplicate_of, removed, reference_date FROM documents ORDER BY id",
    "articles": "SELECT * FROM articles ORDER BY doc_id, position",
    "signatures": "SELECT * FROM signatures ORDER BY doc_id",
    "document_countries": "SELECT * FROM document_countries ORDER BY doc_id, code",
    "targets": "SELECT * FROM targets ORDER BY key",
    "events": "SELECT * FROM events ORDER BY id",
}
"""Every table of extracted data, sorted, without the time each document was stored."""


def write_stories(folder: Path, n: int = STORIES, seed: int = 11) -> Path:
    """`n` short wire stories, each naming who did what to which AI-governance instrument."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for i in range(n):
        country = rng.choice(list(PLACES))
        verb, target = rng.choice(ACTS)
        filler = " ".join(rng.choice(WORDS) for _ in range(rng.randint(80, 200)))
        (folder / f"wire{i:03d}.txt").write_text(
            f"AI governance wire {i}: {country} and {target.removeprefix('the ')}\n\n"
            f"{PLACES[country]}, {rng.randint(1, 28)} March 2024 - {country} {verb} {target} on Monday, "
            f"officials said. {filler}.\n\nStory {i} of the wire.\n", encoding="utf-8")
    return folder


def export(db: Path) -> dict[str, list[tuple]]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return {table: conn.execute(sql).fetchall() for table, sql in EXPORT.items()}


def stored(db: Path) -> int:
    """Documents stored so far (0 while the store is being created)."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0


def start_ingest(corpus: Path, db: Path, log: Path) -> subprocess.Popen:
    """`accord ingest` in its own process group, its output to `log`."""
    with log.open("ab") as out:
        return subprocess.Popen([str(ACCORD), "ingest", str(corpus), "--db", str(db)],
                                stdout=out, stderr=out, stdin=subprocess.DEVNULL, start_new_session=True)


def run_ingest(corpus: Path, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(ACCORD), "ingest", str(corpus), "--db", str(db)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600)


@pytest.fixture(scope="module")
def stories(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[tuple]]]:
    """The corpus and the export of a clean, uninterrupted run over it."""
    base = tmp_path_factory.mktemp("crash")
    corpus = write_stories(base / "corpus")
    done = run_ingest(corpus, base / "reference.db")
    assert done.returncode == 0, done.stderr
    reference = export(base / "reference.db")
    assert len(reference["documents"]) == STORIES and len(reference["events"]) > STORIES // 2
    return corpus, reference


def _kill_when(process: subprocess.Popen, db: Path, rng: random.Random) -> bool:
    """SIGKILL the ingest at a random point: after a random time (but before it has stored
    more than 6 new documents, so that twenty kills fit in one corpus however fast the
    machine), or after 1-6 new documents.

    False when it finished first.
    """
    if rng.random() < 0.5:
        deadline, most = time.monotonic() + rng.uniform(0.3, 4.5), stored(db) + 6
        while time.monotonic() < deadline and process.poll() is None and stored(db) < most:
            time.sleep(0.01)
    else:
        target = stored(db) + rng.randint(1, 6)
        while process.poll() is None and stored(db) < target:
            time.sleep(0.02)
        time.sleep(rng.uniform(0, 0.05))
    if process.poll() is not None:
        return False
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    return True


def _add_corrections(db: Path) -> None:
    """An analyst confirms, rejects and edits stored facts and adds a missing one."""
    from accord.analyze import review
    from accord.store.database import Store

    with Store(db) as store:
        facts = sorted({(e.actor, e.action, e.target_key) for e in store.events()})
    assert len(facts) >= 3, "the first kill leaves facts to correct"
    review.confirm(db, *facts[0], who="ana", why="checked the communique")
    review.reject(db, *facts[1], who="ana", why="misread dateline")
    review.edit(db, *facts[2], who="bo", why="date from the treaty office", date="2024-03-02")
    review.add(db, "NOR", "sign", "new:oslo-ai-charter", who="bo", why="missed by extraction", date="2024-03-09",
               evidence="Norway signed the Oslo AI Charter.")


def _analyst_rows(db: Path) -> dict[str, list[tuple]]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in ("corrections", "audit_log")}


def test_kill_nine_at_twenty_points_then_resume(stories: tuple[Path, dict], tmp_path: Path) -> None:
    corpus, reference = stories
    db, log = tmp_path / "crash.db", tmp_path / "ingest.log"
    rng = random.Random(SEED)
    kills: list[int] = []
    while not kills:
        process = start_ingest(corpus, db, log)
        target = stored(db) + 10
        while process.poll() is None and stored(db) < target:
            time.sleep(0.02)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            kills.append(stored(db))
    _add_corrections(db)
    analyst = _analyst_rows(db)
    while len(kills) < KILLS:
        assert stored(db) < STORIES, f"the ingest finished after only {len(kills)} kills"
        if _kill_when(start_ingest(corpus, db, log), db, rng):
            kills.append(stored(db))
    print(f"\nkilled {len(kills)} times with SIGKILL; documents stored at each kill: {kills}")
    done = run_ingest(corpus, db)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in log.read_text(encoding="utf-8", errors="replace") + done.stderr
    assert export(db) == reference
    with contextlib.closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*), count(DISTINCT id) FROM documents").fetchone() == (STORIES, STORIES)
        assert conn.execute("SELECT count(*) FROM (SELECT DISTINCT doc_id, start, end, actor, action, target_key"
                            " FROM events)").fetchone()[0] == len(reference["events"])
    assert _analyst_rows(db) == analyst, "corrections and audit log are untouched"


# ---------------------------------------------------------------- full disk


RLIMITED = """
import resource, sys
from accord.clean.language import language_of
language_of("Warm up: py3langid unpacks its model into a temporary file of a few MB on first use.")
resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
sys.argv = ["accord", *sys.argv[1:]]
from accord.cli import main
main()
"""
"""`accord` under a file-size limit (writes past it fail with EFBIG; Python ignores SIGXFSZ)."""


class SmallDisk:
    """A folder where writing stops at a few MB: a tmpfs, else a per-file size limit (RLIMIT_FSIZE)."""

    def __init__(self, path: Path, size_mb: int = 2) -> None:
        self.path = path
        self.size_mb = size_mb
        path.mkdir()
        self.mounted = os.geteuid() == 0 and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(path)], capture_output=True).returncode == 0

    def ingest(self, corpus: Path, db: Path) -> subprocess.CompletedProcess:
        """`accord ingest` writing to this small disk."""
        if self.mounted:
            return run_ingest(corpus, db)
        code = RLIMITED.format(limit=self.size_mb << 20)
        return subprocess.run([sys.executable, "-c", code, "ingest", str(corpus), "--db", str(db)],
                              capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600)

    def free(self) -> None:
        """Make room: grow the tmpfs (a size limit is lifted by not applying it again)."""
        if self.mounted:
            subprocess.run(["mount", "-o", "remount,size=256m", str(self.path)], check=True)

    def release(self) -> None:
        if self.mounted:
            subprocess.run(["umount", str(self.path)], check=False)


def test_full_disk_gives_one_line_and_a_store_that_resumes(stories: tuple[Path, dict], tmp_path: Path) -> None:
    corpus, reference = stories
    disk = SmallDisk(tmp_path / "disk")
    try:
        db = disk.path / "full.db"
        full = disk.ingest(corpus, db)
        how = "a 2 MB tmpfs" if disk.mounted else "RLIMIT_FSIZE of 2 MB"
        print(f"\nfull disk ({how}): exit {full.returncode}; stderr: {full.stderr.strip()!r}")
        assert full.returncode != 0
        lines = [line for line in (full.stdout + full.stderr).splitlines() if line.strip()]
        assert len(lines) == 1, lines[:30]
        assert "Traceback" not in full.stderr and str(db) in lines[0]
        assert "disk is full" in lines[0] or "disk I/O error" in lines[0], lines[0]
        with contextlib.closing(sqlite3.connect(db)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] < STORIES
        disk.free()
        resumed = run_ingest(corpus, db)
        assert resumed.returncode == 0, resumed.stderr
        assert export(db) == reference
    finally:
        disk.release()
