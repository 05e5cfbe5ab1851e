"""Fuzzing the readers: whatever bytes a WARC, feed or JSONL file holds, reading it never raises.

Hypothesis feeds the real reader (`read_inputs` over a real file) arbitrary bytes and
structured mutations of valid files: bytes flipped, inserted, deleted, duplicated, the
data cut short, gzip members scrambled, Content-Length values replaced. Only RawDocuments
and ReadFailures may come out; every failure is one printable line naming the file, and
none is the catch-all of `read_inputs` ("could not be read: SomeError: ..."), which would
mean a reader raised. Runs are derandomized (the same examples each time) and bounded.
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.records import RawDocument, ReadFailure
from accord.sources import read_inputs

sys.path.insert(0, str(Path(__file__).parent))
from hostile import article, feed, raw_warc_record, warc_bytes  # noqa: E402

EXAMPLES = 400
"""Examples per target and strategy: the whole module runs in well under a minute."""
SLOWEST = 5.0
"""Seconds one example may take."""

FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

PAGES = [(f"https://example.org/n/{i}", article(f"Story {i}", f"Text of story {i}.").encode()) for i in range(3)]
VALID = {
    "warc.gz": warc_bytes(PAGES, gz=True)[0],
    "warc": warc_bytes(PAGES, gz=False)[0] + raw_warc_record("https://example.org/x", b"HTTP/1.1 200 OK\r\n"
                                                             b"Content-Type: text/plain\r\n\r\nPlain words."),
    "rss": feed("<p>A story about the convention.</p>").encode(),
    "atom": (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
             b'<entry><title>E</title><link href="https://example.org/e"/><content type="html">'
             b"&lt;p&gt;Body&lt;/p&gt;</content></entry></feed>"),
    "jsonl": "".join(json.dumps({"id": f"a{i}", "text": f"Story {i}", "title": "T", "published": "2024-05-01"}) + "\n"
                     for i in range(4)).encode(),
    "jsonl.gz": gzip.compress("".join(json.dumps({"text": f"Story {i}"}) + "\n" for i in range(4)).encode(), mtime=0),
}


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """`data` after a few random edits: flips, insertions, deletions, duplications, cuts, new lengths."""
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "duplicate", "cut", "length", "swap"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:]
        elif kind == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 64)):]
        elif kind == "duplicate":
            data = data[:at] + data[at:at + draw(st.integers(1, 256))] + data[at:]
        elif kind == "cut":
            data = data[:at]
        elif kind == "length" and b"Content-Length: " in data:
            value = draw(st.one_of(st.integers(-5, 10**12).map(str), st.text(max_size=8)))
            data = data.replace(b"Content-Length: ", b"Content-Length: " + value.encode("utf-8", "replace") + b"\r\nX: ", 1)
        elif kind == "swap" and len(data) > 2:
            other = draw(st.integers(0, len(data) - 1))
            first, second = sorted((at, other))
            data = data[:first] + data[second:] + data[first:second]
    return data


class Tally:
    """What a fuzz run tried and got."""

    def __init__(self) -> None:
        self.examples = self.documents = self.failures = 0
        self.slowest = 0.0


def check_file(path: Path, data: bytes, tally: Tally) -> None:
    """Write `data` to `path`, read it with the real reader, and check what comes out."""
    path.write_bytes(data)
    started = time.monotonic()
    items = list(read_inputs([str(path)]))
    tally.slowest = max(tally.slowest, time.monotonic() - started)
    tally.examples += 1
    assert time.monotonic() - started < SLOWEST
    for item in items:
        assert isinstance(item, RawDocument | ReadFailure), item
        if isinstance(item, ReadFailure):
            tally.failures += 1
            text = str(item)
            assert text.isprintable() and "\n" not in text, text
            assert item.source.startswith(str(path)), text
            assert not item.reason.startswith("could not be read:"), text
        else:
            tally.documents += 1
            assert item.content.strip() and item.source.startswith(str(path))


def fuzz(target: str, strategy: st.SearchStrategy[bytes], tmp_path: Path) -> Tally:
    tally = Tally()
    path = tmp_path / f"fuzz.{target}"

    @FUZZ
    @given(strategy)
    def run(data: bytes) -> None:
        check_file(path, data, tally)

    run()
    print(f"\n{target}: {tally.examples} iterations, {tally.documents} documents, {tally.failures} failures, "
          f"slowest {tally.slowest:.2f} s")
    return tally


TARGETS = sorted(VALID)
STRATEGIES: dict[str, Callable[[bytes], st.SearchStrategy[bytes]]] = {
    "random": lambda _: st.binary(max_size=4096),
    "mutated": lambda valid: mutated(valid),
}


def test_readers_never_raise_on_random_bytes(tmp_path: Path) -> None:
    total = sum(fuzz(target, STRATEGIES["random"](VALID[target]), tmp_path).examples for target in TARGETS)
    print(f"random bytes: {total} iterations in all")
    assert total >= len(TARGETS) * EXAMPLES // 2


def test_readers_never_raise_on_mutated_files(tmp_path: Path) -> None:
    for target in TARGETS:
        assert any(isinstance(i, RawDocument) for i in read_inputs([str(_written(tmp_path, target))]))
    tallies = [fuzz(target, STRATEGIES["mutated"](VALID[target]), tmp_path) for target in TARGETS]
    print(f"mutations: {sum(t.examples for t in tallies)} iterations in all")
    assert sum(t.documents for t in tallies) > 0 and sum(t.failures for t in tallies) > 0


def _written(tmp_path: Path, target: str) -> Path:
    path = tmp_path / f"valid.{target}"
    path.write_bytes(VALID[target])
    return path
