"""Answers shared by the worker processes of one server: a page one worker computed, the others serve.

Each worker of `accord serve --workers N` keeps its own response cache (`response_cache.ResponseCache`),
so on a fresh server every worker computed every page once: on a store of a million events,
100 country pages cost each of two workers about 7 s of CPU before its cache was warm. Here
the workers also share their answers through a small SQLite file that the serving process
makes in a private temporary folder ($ACCORD_WEB_ANSWERS) and removes at exit:

- an answer (status, headers, body) is kept under its URL and the store's version
  (`Web.version`), and served by any worker whose store version is the same;
- a worker about to compute an answer claims its URL first; the others asking for it meanwhile
  wait for that answer (up to `WAIT_SECONDS`, checking every few milliseconds) instead of
  computing it again; a claim older than `CLAIM_SECONDS` (its worker died) is taken over.

The file is a cache: when it cannot be read or written (a full disk, a lock held too long),
the worker computes and serves as if it were not there.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from pathlib import Path

ANSWERS_ENV = "ACCORD_WEB_ANSWERS"
"""The shared answers file, set by `accord serve --workers N` for its workers."""

CLAIM_SECONDS = 30.0
"""A claim this old is abandoned (its worker was stopped): another worker computes the answer."""

WAIT_SECONDS = 15.0
"""How long a request waits for an answer another request is computing before computing it itself."""

KEPT = 4096
"""Answers kept; past that the oldest are dropped."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    key BLOB PRIMARY KEY, version TEXT NOT NULL, status INTEGER NOT NULL, headers TEXT NOT NULL,
    body BLOB NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS answers_at ON answers(at);
CREATE TABLE IF NOT EXISTS claims (key BLOB PRIMARY KEY, owner TEXT NOT NULL, at REAL NOT NULL);
"""

Answer = tuple[int, list[tuple[bytes, bytes]], bytes]
"""Status, headers and body of a response."""


def create_answers_file(folder: Path) -> Path:
    """A new, empty shared answers file in `folder` (made by the serving process before its workers start)."""
    path = folder / "answers.sqlite"
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript(SCHEMA)
    finally:
        conn.close()
    return path


def _version_text(version: tuple) -> str:
    return json.dumps(list(version))


def _answer(row: tuple) -> Answer:
    """An Answer from the status, headers (JSON) and body columns of a row."""
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in json.loads(row[1])]
    return row[0], headers, row[2]


class SharedAnswers:
    """One worker's handle on the shared answers file (used from the worker's event-loop thread)."""

    def __init__(self, path: Path, kept: int = KEPT):
        self.path = Path(path)
        self.kept = kept
        self._conn: sqlite3.Connection | None = None
        self._claims = 0
        self._kept = 0

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            # a short busy wait: this runs on the worker's event loop, where a wait stalls all its
            # requests; another worker's write takes well under a millisecond
            conn = sqlite3.connect(self.path, timeout=0.05, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA synchronous=OFF")  # a cache, removed at exit: no need to survive a crash
            self._conn = conn
        return self._conn

    def answer(self, key: bytes, version: tuple) -> Answer | None:
        """The answer kept for `key` under the store's `version`, if any."""
        try:
            row = self.conn.execute("SELECT status, headers, body FROM answers WHERE key = ? AND version = ?",
                                    (key, _version_text(version))).fetchone()
        except sqlite3.Error:
            return None
        return None if row is None else _answer(row)

    def newest(self, key: bytes) -> tuple[tuple, float, Answer] | None:
        """The answer kept for `key` under whichever version it was computed, with that version and its age in
        seconds (a worker refreshing an out-of-date answer takes another worker's newer one)."""
        try:
            row = self.conn.execute("SELECT version, at, status, headers, body FROM answers WHERE key = ?",
                                    (key,)).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        return tuple(json.loads(row[0])), max(0.0, time.time() - row[1]), _answer(row[2:])

    def claim(self, key: bytes) -> str | None:
        """This request's claim on computing `key` (None if another request holds a live claim)."""
        self._claims += 1
        owner = f"{os.getpid()}.{self._claims}"
        now = time.time()
        insert = "INSERT OR IGNORE INTO claims VALUES (?, ?, ?)"
        try:  # of two requests inserting at once, one gets the row
            if self.conn.execute(insert, (key, owner, now)).rowcount:
                return owner
            # held: by a live request, or abandoned (its worker was stopped), then taken over
            if self.conn.execute("DELETE FROM claims WHERE key = ? AND at < ?", (key, now - CLAIM_SECONDS)).rowcount:
                return owner if self.conn.execute(insert, (key, owner, now)).rowcount else None
        except sqlite3.Error:
            return owner  # the file is busy or unusable: compute, as without it
        return None

    def claimed(self, key: bytes) -> bool:
        """Whether some request is computing `key` (a live claim)."""
        try:
            row = self.conn.execute("SELECT at FROM claims WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return False
        return row is not None and row[0] >= time.time() - CLAIM_SECONDS

    def release(self, key: bytes, owner: str, version: tuple | None = None, answer: Answer | None = None) -> None:
        """Give up the claim `owner` holds on `key`, keeping `answer` for the other workers under `version`
        (one transaction: one write to the file per computed answer)."""
        try:
            with self.conn:
                self.conn.execute("BEGIN")
                if answer is not None and version is not None:
                    status, headers, body = answer
                    text = json.dumps([[k.decode("latin-1"), v.decode("latin-1")] for k, v in headers])
                    self.conn.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?)",
                                      (key, _version_text(version), status, text, body, time.time()))
                    self._kept += 1
                    if self._kept % 256 == 0:  # now and then, drop the oldest beyond `kept`
                        self.conn.execute("DELETE FROM answers WHERE at < (SELECT at FROM answers ORDER BY at DESC "
                                          "LIMIT 1 OFFSET ?)", (self.kept,))
                self.conn.execute("DELETE FROM claims WHERE key = ? AND owner = ?", (key, owner))
        except sqlite3.Error:  # busy or unusable: another worker computes the answer again
            with contextlib.suppress(sqlite3.Error):  # else the claim expires after CLAIM_SECONDS
                self.conn.execute("DELETE FROM claims WHERE key = ? AND owner = ?", (key, owner))

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
