"""Bring a batch run's Parquet output into the SQLite store, as a local ingest would have.

The three tables are each sorted by input place (shard, position); the loader streams
them side by side, rebuilds each processed document (`rows.processed_from_rows`) and
stores it with the same writer as a local ingest, in input order, skipping documents
already stored, in batched transactions as a local ingest does (a stop loses at most the
open one; loading again stores the rest). Memory stays bounded by one Parquet batch per
table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import groupby
from pathlib import Path

from accord.batch.rows import Row, processed_from_rows
from accord.pipeline import Summary
from accord.records import ReadFailure
from accord.run.writer import DocumentWriter
from accord.store.database import Store

BATCH_ROWS = 2048
"""Rows read from a Parquet table at a time."""


def table_rows(folder: Path) -> Iterator[Row]:
    """The rows of one Parquet table (a folder of part files, read in name order)."""
    import pyarrow.parquet as pq

    for part in sorted(folder.glob("*.parquet")):
        for batch in pq.ParquetFile(part).iter_batches(batch_size=BATCH_ROWS):
            yield from batch.to_pylist()


def _grouped(rows: Iterator[Row]) -> Iterator[tuple[tuple[int, int], list[Row]]]:
    for place, group in groupby(rows, key=lambda r: (r["shard"], r["position"])):
        yield place, list(group)


def _take(groups: Iterator[tuple[tuple[int, int], list[Row]]], place: tuple[int, int],
          ahead: list[tuple[tuple[int, int], list[Row]]]) -> list[Row]:
    """The rows of `groups` at `place`; `ahead` holds the one group read past it."""
    if not ahead:
        ahead.append(next(groups, ((1 << 62, 0), [])))
    if ahead[0][0] < place:
        raise ValueError(f"batch output is not in input order at shard {place[0]}, position {place[1]}")
    if ahead[0][0] == place:
        return ahead.pop()[1]
    return []


def load_batch(folder: str | Path, store: Store, tick: Callable[[str], None] | None = None) -> Summary:
    """Store every document of a batch output folder not stored yet; return the run's summary."""
    folder = Path(folder)
    if not (folder / "documents").is_dir():
        raise FileNotFoundError(f"{folder}: not a batch output folder (no documents table)")
    summary = Summary()
    writer = DocumentWriter(store, summary)
    failures = _grouped(table_rows(folder / "failures")) if (folder / "failures").is_dir() else iter(())
    articles, events = _grouped(table_rows(folder / "articles")), _grouped(table_rows(folder / "events"))
    with store.batched():
        _load(folder, writer, summary, failures, articles, events, tick)
        writer.commit()
    return summary


def _load(folder: Path, writer: DocumentWriter, summary: Summary, failures: Iterator, articles: Iterator,
          events: Iterator, tick: Callable[[str], None] | None) -> None:
    """Store the documents of the tables, in input order, counting failures in order."""
    ahead_f: list = []
    ahead_a: list = []
    ahead_e: list = []
    last = (-1, -1)
    for document in table_rows(folder / "documents"):
        place = (document["shard"], document["position"])
        if place <= last:
            raise ValueError(f"{folder}: documents are not in input order at {place}")
        for failure in _failures_before(failures, place, ahead_f):
            summary.failures.append(ReadFailure(failure["source"], failure["reason"]))
        last = place
        summary.read += 1
        done = processed_from_rows(document, _take(articles, place, ahead_a), _take(events, place, ahead_e))
        writer.write(done, document["signature"])
        if tick:
            tick(document["source"])
    for failure in _failures_before(failures, (1 << 62, 0), ahead_f):
        summary.failures.append(ReadFailure(failure["source"], failure["reason"]))


def _failures_before(groups: Iterator[tuple[tuple[int, int], list[Row]]], place: tuple[int, int],
                     ahead: list) -> Iterator[Row]:
    """Failure rows of input places before `place`, so failures are reported in input order."""
    while True:
        if not ahead:
            nxt = next(groups, None)
            if nxt is None:
                return
            ahead.append(nxt)
        if ahead[0][0] >= place:
            return
        yield from ahead.pop()[1]
