"""Ingest on every local core: workers clean and extract, the main process stores.

`ingest_parallel` gives the same store as `accord.pipeline.ingest` on the same inputs,
faster. Inputs are read lazily in the main process; documents already stored (or already
on their way) are skipped before they are sent anywhere. Documents to process go in
chunks to a pool of worker processes (forked from a fork server that has loaded the spaCy
pipeline once, `pool_context`), with a bounded number of chunks in flight so memory stays
flat however long the input. With the prefilter on, the workers prefilter the pages too,
CHUNK_PAGES at a time, so that this process only reads and stores and the cores share
the rest evenly; until the pool runs, and in a run without one, this process settles
the pages the prefilter drops itself (a regular expression and a look at the page's
head) and only the pages that pass are sent on. The pool starts only once the run has
read more documents than a pool is worth starting for (POOL_AFTER), so a run of a few
files pays nothing for it.
While it starts, this process processes documents itself if it has nothing else to do
(prefilter off); with the prefilter on it settles dropped pages meanwhile and sends every
document to process to the pool, so it never loads spaCy itself. Results are stored in
input order by one writer (`DocumentWriter`), in savepoints of batched transactions:
killed at any point, the same command run again stores the rest, with nothing lost or
stored twice.

Each document runs under the run's time limit (accord.run.time_limit), in the worker.
A worker process that dies (killed for memory, say) takes down the pool: the pool is
started again, the documents it held are sent again one by one, and a document that
kills a worker by itself fails with a one-line reason while the run goes on.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date

from accord.pipeline import Processed, Summary, failure, prefiltered, processed_all, warm_up
from accord.records import RawDocument, ReadFailure
from accord.run.time_limit import DEFAULT_MAX_SECONDS
from accord.run.writer import DocumentWriter, signature_of
from accord.sources import read_inputs
from accord.sources.limits import Limits
from accord.store.database import Store

CHUNK_DOCS = 16
"""Documents to process sent to a worker at once: enough to amortise the round trip and parse
their sentences together, small enough to keep all busy (5 to 40 ms each)."""

CHUNK_PAGES = 320
"""Pages sent to a worker at once for it to prefilter: about 3% pass, so that a chunk still holds
a dozen documents to parse together, and each page is a few kilobytes."""

CHUNK_CHARS = 4_000_000
"""Characters of content sent to a worker at once, so chunks of large pages stay small."""

CHUNK_ITEMS = 512
"""Input items of any kind in one chunk (pages settled here, skipped sources, failures), so
that memory stays bounded when few documents are sent."""

CHUNKS_PER_WORKER = 8
"""Chunks in flight per worker: one running, the rest queued so no worker waits for the reader,
and room for this process to settle pages ahead while the pool starts (a few seconds)."""

POOL_AFTER = 64
"""Documents processed in this process before a pool is started: starting one (spawning
workers and loading spaCy in each) costs seconds, more than a small run takes."""

Result = tuple[Processed, bytes | None] | ReadFailure
"""What a worker returns for one document: the processed document and its signature, or why not."""


def processed_with_signature(raw: RawDocument, prefilter: bool = False,
                             max_seconds: float | None = DEFAULT_MAX_SECONDS) -> Result:
    """One document cleaned, extracted and signed for near-duplicate search, or the one-line failure."""
    return processed_chunk([raw], prefilter, max_seconds)[0]


def settled_here(raw: RawDocument, max_seconds: float | None = DEFAULT_MAX_SECONDS) -> Result | None:
    """The result of a page the prefilter drops (within the time limit), or None for a page
    that passes and must be processed (in a worker); never loads a parser model."""
    done = prefiltered(raw, max_seconds)
    return done if done is None or isinstance(done, ReadFailure) else (done, None)


def processed_chunk(raws: list[RawDocument], prefilter: bool = False,
                    max_seconds: float | None = DEFAULT_MAX_SECONDS) -> list[Result]:
    """A chunk of documents processed together (their sentences parsed in one pass,
    accord.pipeline.processed_all) and signed, in order."""
    return [_signed(raw, done) for raw, done in zip(raws, processed_all(raws, prefilter, max_seconds), strict=True)]


def _signed(raw: RawDocument, done: Processed | ReadFailure) -> Result:
    """A processed document and its signature for near-duplicate search, or the one-line failure."""
    if isinstance(done, ReadFailure):
        return done
    try:
        return done, signature_of(done)
    except Exception as err:  # noqa: BLE001 - one bad document must not stop a run
        return failure(raw.source, err)


def _init_worker() -> None:
    """Load every stage's models once per worker; leave Ctrl-C to the main process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm_up()


def pool_context() -> multiprocessing.context.BaseContext:
    """Where workers come from: a fork server that has loaded the models once
    (accord.run.preload), each worker a fork of it that starts at once with them loaded, or,
    where there is no fork server (not on Linux or macOS), a fresh interpreter each
    (spawn) that loads them itself. Either way a worker starts clean of this process's
    state (its open store, its threads)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["accord.run.preload"])
    return context


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


WORKER_DIED = "its worker process died while processing it (out of memory, or a crash in a parser)"


def _ready() -> bool:
    """A task that returns once a worker has started (its initializer has run)."""
    return True


class _Workers:
    """Where chunks run: in this process, until the run has read `pool_after` documents and
    may use more than one process; then in a pool, started again if a worker dies. While
    the pool starts (seconds: spawning, loading spaCy), chunks run here if `busy_here` is
    False (this process has nothing else to do); with `busy_here` (with the prefilter on, it
    settles the pages the prefilter drops) they wait for the pool, so that this process
    never loads the models when a pool runs."""

    def __init__(self, count: int, max_seconds: float | None, pool_after: int = POOL_AFTER,
                 busy_here: bool = False, prefilter: bool = False):
        self.count = count
        self.max_seconds = max_seconds
        self.prefilter = prefilter
        self.pool_after = pool_after
        self.busy_here = busy_here
        self.pool: ProcessPoolExecutor | None = None
        self.starting: list[Future] = []
        self.launcher: threading.Thread | None = None
        self.read = 0
        """Documents the run has read so far (the pool starts once there are `pool_after`)."""

    def submit(self, raws: list[RawDocument],
               in_pool: bool = False) -> tuple[Future | None, ProcessPoolExecutor | None]:
        """Start processing a chunk in the pool: its future and the pool; (None, None) when
        there is no pool (yet), or it is starting and chunks run here meanwhile: the chunk is
        then processed here when its results are taken. `in_pool`
        sends it to the pool whatever the run has read and even while the pool starts."""
        in_pool = in_pool or self.pool_after == 0
        if self.pool is None and self.count > 1 and (in_pool or self.read >= self.pool_after):
            self._start()
        if self.pool is None or not (in_pool or self._started()):
            return None, None
        self._launched()
        try:
            return self.pool.submit(processed_chunk, raws, self.prefilter, self.max_seconds), self.pool
        except BrokenProcessPool as broken:  # it broke before this chunk came
            future: Future = Future()
            future.set_exception(broken)
            return future, self.pool

    def _start(self) -> None:
        """Create the pool and start its workers in a thread: a worker's start waits until the
        fork server has loaded the models (seconds), and meanwhile this process goes on."""
        pool = ProcessPoolExecutor(self.count, mp_context=pool_context(), initializer=_init_worker)
        self.pool, self.starting = pool, []

        def launch() -> None:
            with contextlib.suppress(Exception):  # a pool that cannot start breaks: see _replace
                self.starting = [pool.submit(_ready) for _ in range(self.count)]

        self.launcher = threading.Thread(target=launch, name="accord-pool-start", daemon=True)
        self.launcher.start()

    def _started(self) -> bool:
        """True once every worker of the pool has started (its initializer has run)."""
        return not (self.launcher and self.launcher.is_alive()) and all(f.done() for f in self.starting)

    @property
    def running(self) -> bool:
        """True once a pool runs with every worker started: chunks then go straight to it."""
        return self.pool is not None and self._started()

    def _launched(self) -> None:
        """Wait until the pool's workers are started (or failed to)."""
        if self.launcher is not None:
            self.launcher.join()

    def dispatch(self, chunks: Iterable[_Chunk], wait: bool) -> None:
        """Send to the pool the chunks read before it had started (all at once, so every worker
        gets some): once it has, or at once with `wait` and `busy_here` (waiting for it to start)."""
        in_pool = wait and self.busy_here and self.pool is not None
        for chunk in chunks:
            if chunk.future is None and chunk.docs:
                chunk.future, chunk.pool = self.submit(chunk.raws, in_pool=in_pool)

    def results(self, chunk: _Chunk) -> Iterable[Result]:
        """A chunk's results, in order; if its pool broke, each of its documents sent again alone."""
        if chunk.future is None:
            return processed_chunk(chunk.raws, self.prefilter, self.max_seconds)
        try:
            return chunk.future.result()
        except BrokenProcessPool:
            self._replace(chunk.pool)
        return (self._alone(raw) for raw in chunk.raws)

    def _alone(self, raw: RawDocument) -> Result:
        """One document processed by itself in a pool, so that if it kills its worker, only it fails
        (or here, if workers cannot start)."""
        future, pool = self.submit([raw], in_pool=True)
        if future is None:
            return processed_with_signature(raw, self.prefilter, self.max_seconds)
        try:
            return future.result()[0]
        except BrokenProcessPool:
            self._replace(pool)
            return ReadFailure(raw.source, WORKER_DIED)

    def _replace(self, broken: ProcessPoolExecutor | None) -> None:
        """Drop a broken pool (once: later chunks of the same pool find it replaced already).
        A pool none of whose workers ever started means workers cannot start here (the
        calling script spawns them wrongly, say): the rest of the run stays in this process."""
        if broken is not None and broken is self.pool:
            broken.shutdown(wait=True, cancel_futures=True)
            self.pool = None
            if not any(f.done() and f.exception() is None for f in self.starting):
                self.count = 1

    def close(self) -> None:
        self._launched()
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


@dataclass(frozen=True)
class _Settled:
    """A document this process has already processed (a page the prefilter drops): its id,
    source and result, not its content, so that many can wait in flight."""

    id: str
    source: str
    result: Result


Item = ReadFailure | str | RawDocument | _Settled
"""One input item of a chunk: a read failure, the source of a document skipped (stored
already), a document to process, or one processed here."""


@dataclass
class _Chunk:
    """Consecutive input items; the documents among them still to process go to a worker together."""

    most: int = CHUNK_DOCS
    """Documents to send at most: CHUNK_DOCS to process, or CHUNK_PAGES for the worker to prefilter."""
    items: list[Item] = field(default_factory=list)
    docs: int = 0
    chars: int = 0
    future: Future | None = None
    pool: ProcessPoolExecutor | None = None

    @property
    def raws(self) -> list[RawDocument]:
        return [i for i in self.items if isinstance(i, RawDocument)]

    def add(self, item: Item) -> None:
        self.items.append(item)
        if isinstance(item, RawDocument):
            self.docs += 1
            self.chars += len(item.content)

    @property
    def full(self) -> bool:
        return self.docs >= self.most or self.chars >= CHUNK_CHARS or len(self.items) >= CHUNK_ITEMS


def ingest_parallel(inputs: Iterable[str], store: Store, workers: int | None = None,
                    reference_date: date | None = None,
                    tick: Callable[[str], None] | None = None, prefilter: bool = False,
                    max_seconds: float | None = DEFAULT_MAX_SECONDS, limits: Limits | None = None,
                    pool_after: int = POOL_AFTER) -> Summary:
    """Store every input document not stored yet, processing on up to `workers` processes
    (default: all cores; 1 runs in this process), each document within `max_seconds`
    (None: no limit) and read within `limits`; return the run's summary. The pool starts
    once the run has read `pool_after` documents; with 0 it starts at once and processes
    every document that passes the prefilter (every document without it)."""
    count = workers or default_workers()
    summary = Summary()
    writer = DocumentWriter(store, summary)
    pool = _Workers(count, max_seconds, pool_after, busy_here=prefilter, prefilter=prefilter)
    in_flight: deque[_Chunk] = deque()
    waiting: set[str] = set()

    def finish(chunk: _Chunk) -> None:
        if chunk.future is None:
            pool.dispatch([chunk, *in_flight], wait=True)
        results = iter(pool.results(chunk))
        for item in chunk.items:
            if isinstance(item, ReadFailure):
                summary.failures.append(item)
            elif isinstance(item, str):
                summary.unchanged += 1
            else:
                result = item.result if isinstance(item, _Settled) else next(results)
                waiting.discard(item.id)
                if isinstance(result, ReadFailure):
                    summary.failures.append(result)
                else:
                    writer.write(*result)
            if tick:
                tick(item if isinstance(item, str) else item.source)
        if chunk.future is not None:
            writer.commit()  # a chunk from the pool: its documents together, at once

    def send(chunk: _Chunk) -> None:
        if chunk.docs:
            chunk.future, chunk.pool = pool.submit(chunk.raws)
        in_flight.append(chunk)
        while len(in_flight) > count * CHUNKS_PER_WORKER:
            finish(in_flight.popleft())

    try:
        with store.batched():  # a commit every COMMIT_DOCS documents (accord.run.writer)
            chunk = _Chunk()
            for item in read_inputs(inputs, reference_date=reference_date, limits=limits):
                if isinstance(item, ReadFailure):
                    chunk.add(item)
                else:
                    summary.read += 1
                    pool.read = summary.read
                    if item.id in waiting or store.has(item.id):
                        chunk.add(item.source)
                    else:
                        waiting.add(item.id)
                        settled = settled_here(item, max_seconds) if prefilter and not pool.running else None
                        chunk.add(item if settled is None else _Settled(item.id, item.source, settled))
                if chunk.full:
                    send(chunk)
                    chunk = _Chunk(CHUNK_PAGES if prefilter and pool.running else CHUNK_DOCS)
            send(chunk)
            while in_flight:
                finish(in_flight.popleft())
            writer.commit()
    finally:
        pool.close()
    return summary
