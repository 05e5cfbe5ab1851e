"""Ingest on every local core: workers clean and extract, the main process stores.

`ingest_parallel` gives the same store as `accord.pipeline.ingest` on the same inputs,
faster. Inputs are read lazily in the main process; documents already stored (or already
on their way) are skipped before they are sent anywhere; the rest go in small chunks to
a pool of worker processes (spawned, each loading the spaCy pipeline once in its
initializer), with a bounded number of chunks in flight so memory stays flat however
long the input. Results come back in input order and one writer (`DocumentWriter`)
stores them, one transaction per document: killed at any point, the same command run
again stores the rest, with nothing lost or stored twice.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date

from accord.pipeline import Processed, Summary, process
from accord.records import RawDocument, ReadFailure
from accord.run.writer import DocumentWriter, signature_of
from accord.sources import read_inputs
from accord.store.database import Store

CHUNK_SIZE = 8
"""Documents sent to a worker at once: enough to amortise pickling, small enough to keep all busy."""

CHUNKS_PER_WORKER = 3
"""Chunks in flight per worker: one running, the rest queued so no worker waits for the reader."""

Result = tuple[Processed, bytes | None] | ReadFailure
"""What a worker returns for one document: the processed document and its signature, or why not."""


def processed_with_signature(raw: RawDocument, prefilter: bool = False) -> Result:
    """One document cleaned, extracted and signed for near-duplicate search, or the failure."""
    try:
        done = process(raw, prefilter)
        return done, signature_of(done)
    except Exception as err:  # noqa: BLE001 - one bad document must not stop a run
        return ReadFailure(raw.source, f"could not be processed: {type(err).__name__}: {err}")


def processed_chunk(raws: list[RawDocument], prefilter: bool = False) -> list[Result]:
    """A chunk of documents processed in a worker, in order."""
    return [processed_with_signature(raw, prefilter) for raw in raws]


def _init_worker() -> None:
    """Load the spaCy pipeline once per worker; leave Ctrl-C to the main process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from accord.extract.nlp import load_pipeline

    load_pipeline()


class _InlineExecutor(Executor):
    """Runs each call at once in this process: the one-worker case, with no pool to start."""

    def submit(self, fn, /, *args, **kwargs) -> Future:  # type: ignore[override]
        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


@dataclass
class _Chunk:
    """Consecutive input items: failures, skipped sources, and documents sent to a worker."""

    items: list[ReadFailure | str | RawDocument] = field(default_factory=list)
    future: Future | None = None

    @property
    def raws(self) -> list[RawDocument]:
        return [i for i in self.items if isinstance(i, RawDocument)]


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def ingest_parallel(inputs: Iterable[str], store: Store, workers: int | None = None,
                    reference_date: date | None = None,
                    tick: Callable[[str], None] | None = None, prefilter: bool = False) -> Summary:
    """Store every input document not stored yet, processing on `workers` processes
    (default: all cores; 1 runs in this process); return the run's summary."""
    workers = workers or default_workers()
    summary = Summary()
    writer = DocumentWriter(store, summary)
    if workers <= 1:
        executor: Executor = _InlineExecutor()
    else:
        executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_init_worker)
    in_flight: deque[_Chunk] = deque()
    waiting: set[str] = set()

    def finish(chunk: _Chunk) -> None:
        results = iter(chunk.future.result() if chunk.future else ())
        for item in chunk.items:
            if isinstance(item, ReadFailure):
                summary.failures.append(item)
            elif isinstance(item, str):
                summary.unchanged += 1
            else:
                result = next(results)
                waiting.discard(item.id)
                if isinstance(result, ReadFailure):
                    summary.failures.append(result)
                else:
                    writer.write(*result)
            if tick:
                tick(item.source if not isinstance(item, str) else item)

    def send(chunk: _Chunk) -> None:
        if chunk.raws:
            chunk.future = executor.submit(processed_chunk, chunk.raws, prefilter)
        in_flight.append(chunk)
        while len(in_flight) > workers * CHUNKS_PER_WORKER:
            finish(in_flight.popleft())

    try:
        chunk = _Chunk()
        for item in read_inputs(inputs, reference_date=reference_date):
            if isinstance(item, ReadFailure):
                chunk.items.append(item)
            else:
                summary.read += 1
                if item.id in waiting or store.has(item.id):
                    chunk.items.append(item.source)
                else:
                    waiting.add(item.id)
                    chunk.items.append(item)
            if len(chunk.raws) >= CHUNK_SIZE or len(chunk.items) >= 16 * CHUNK_SIZE:
                send(chunk)
                chunk = _Chunk()
        send(chunk)
        while in_flight:
            finish(in_flight.popleft())
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return summary
