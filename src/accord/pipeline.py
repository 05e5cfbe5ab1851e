"""The whole flow for one document, and for a run of many: sources -> clean -> extract -> store.

`process` is a pure function of a RawDocument; `processed` runs it under the run's time
limit and turns anything that goes wrong into a one-line failure naming the document.
`ingest` feeds a stream of inputs through it into a Store (in this process or a pool of
them, accord.run.parallel), skipping documents already stored and linking
near-duplicates to their original, and counts what happened for the run's summary.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from accord.extract.patterns import check as check_patterns
from accord.records import CleanDocument, Extraction, RawDocument, ReadFailure
from accord.run.time_limit import DEFAULT_MAX_SECONDS, TimeLimitExceeded, time_limit
from accord.sources import read_inputs
from accord.sources.errors import one_line
from accord.sources.limits import Limits
from accord.store.database import Store

if TYPE_CHECKING:
    from accord.extract import Reading


@dataclass(frozen=True)
class Processed:
    """A document after the clean and extract stages."""

    clean: CleanDocument
    extraction: Extraction


def process(raw: RawDocument, prefilter: bool = False) -> Processed:
    """Clean a document and extract from it.

    With `prefilter`, a document with no AI term anywhere is stored as not relevant
    without cleaning (accord.prefilter): much faster on a day of general news; it keeps
    the title and date its head gives, and has no articles, countries or near-duplicate
    link.
    """
    # the stages are imported here: a process that only stores results (a Spark driver, the
    # writer of a pool) never loads the parsers and models they bring
    from accord.clean import clean_document
    from accord.extract import extract

    if prefilter and (done := skipped(raw)) is not None:
        return done
    clean = clean_document(raw)
    with _stage("extraction"):
        return Processed(clean, extract(clean))


def skipped(raw: RawDocument) -> Processed | None:
    """The document stored for a page the prefilter keeps out of cleaning (accord.prefilter),
    or None for a page that may be relevant. Needs no parser model: a process that only
    meets such pages never loads spaCy."""
    from accord.prefilter import might_be_relevant, prefiltered_document

    if might_be_relevant(raw):
        return None
    return Processed(prefiltered_document(raw), Extraction())


def failure(source: str, err: BaseException) -> ReadFailure:
    """The one-line failure of a document whose processing raised `err`."""
    if isinstance(err, TimeLimitExceeded):
        return ReadFailure(source, str(err))
    return ReadFailure(source, f"could not be processed: {type(err).__name__}: {one_line(err)}")


WARM_UP = RawDocument(
    "warm-up", "<warm-up>", "html",
    "<html><head><title>Ministers sign AI declaration</title></head><body><h1>Ministers sign AI declaration</h1>"
    "<p>On 3 March 2025 France and Japan signed the Paris Declaration on artificial intelligence, a pact on AI "
    "governance that the European Union and the United Nations support, ministers of both governments said at "
    "the summit.</p></body></html>")
"""A page that goes through every stage, so that each loads what it loads on first use."""


@cache
def warm_up() -> None:
    """Load what the stages load on first use (the spaCy pipeline, the language model,
    compiled term lists), once per process: seconds that no document's time limit
    should be charged with."""
    process(WARM_UP)


def processed(raw: RawDocument, prefilter: bool = False,
              max_seconds: float | None = DEFAULT_MAX_SECONDS) -> Processed | ReadFailure:
    """A document processed within `max_seconds` (None: no limit), or the one-line failure
    naming it: one bad document never stops a run. The stages' models are loaded (outside
    the limit) only for a document that passes the prefilter."""
    return processed_all([raw], prefilter, max_seconds)[0]


def processed_all(raws: list[RawDocument], prefilter: bool = False,
                  max_seconds: float | None = DEFAULT_MAX_SECONDS) -> list[Processed | ReadFailure]:
    """What `processed` gives for each document, in order, faster: the sentences of all the
    documents are parsed together (accord.extract.extract_all). Each document is cleaned,
    read and finished within its own limit; the shared parse runs within one document's
    limit, and should it fail (a pathological sentence), each document is parsed again alone,
    within what is left of its own."""
    from accord.extract import parsed_parts

    started = [_started(raw, prefilter, max_seconds) for raw in raws]
    pending = [s for s in started if isinstance(s, _Read)]
    together: list | None = []
    if pending:
        try:
            with time_limit(max_seconds):
                together = parsed_parts([s.reading for s in pending])
        except (Exception, TimeLimitExceeded):  # noqa: BLE001 - each document then fails or not alone
            together = None
    parsed = iter(together or ())
    return [_finished(s, next(parsed) if together is not None else None, max_seconds)
            if isinstance(s, _Read) else s for s in started]


@dataclass(frozen=True)
class _Read:
    """A document cleaned and read up to the parse of its sentences, and the seconds it took."""

    raw: RawDocument
    clean: CleanDocument
    reading: Reading
    spent: float


def _started(raw: RawDocument, prefilter: bool, max_seconds: float | None) -> Processed | ReadFailure | _Read:
    """A document prefiltered, cleaned and read up to its parse within its limit: done already
    (dropped, not relevant, nothing to parse), failed, or waiting for its parse."""
    from accord.clean import clean_document
    from accord.extract import reading

    begun = time.monotonic()
    if prefilter and (done := prefiltered(raw, max_seconds)) is not None:
        return done
    spent = time.monotonic() - begun
    try:
        if max_seconds:
            warm_up()
        begun = time.monotonic() - spent
        with time_limit(max_seconds, spent):
            clean = clean_document(raw)
            with _stage("extraction"):
                read = reading(clean)
    except (Exception, TimeLimitExceeded) as err:  # noqa: BLE001 - one bad document must not stop a run
        return failure(raw.source, err)
    if isinstance(read, Extraction):
        return Processed(clean, read)
    return _Read(raw, clean, read, time.monotonic() - begun)


def _finished(read: _Read, parsed: list | None, max_seconds: float | None) -> Processed | ReadFailure:
    """A read document's events from its parsed sentences (None: parse them here), within
    what is left of its limit."""
    from accord.extract import parsed_parts

    try:
        with time_limit(max_seconds, read.spent), _stage("extraction"):
            parts = parsed if parsed is not None else parsed_parts([read.reading])[0]
            return Processed(read.clean, read.reading.extraction(parts))
    except (Exception, TimeLimitExceeded) as err:  # noqa: BLE001 - one bad document must not stop a run
        return failure(read.raw.source, err)


@contextmanager
def _stage(name: str) -> Iterator[None]:
    """Name the stage in which a document's time limit ran out within the block."""
    try:
        yield
    except TimeLimitExceeded as over:
        raise TimeLimitExceeded(over.seconds, name) from None


def prefiltered(raw: RawDocument, max_seconds: float | None = DEFAULT_MAX_SECONDS) -> Processed | ReadFailure | None:
    """What `skipped` gives within `max_seconds` (or the one-line failure): the document of a
    page the prefilter drops, or None for a page that passes; loads no parser model."""
    try:
        with time_limit(max_seconds):
            return skipped(raw)
    except (Exception, TimeLimitExceeded) as err:  # noqa: BLE001 - one bad document must not stop a run
        return failure(raw.source, err)


@dataclass
class Summary:
    """What a run did: documents read, new, unchanged, near-duplicate, and failures with reasons."""

    read: int = 0
    new: int = 0
    unchanged: int = 0
    duplicate: int = 0
    events: int = 0
    failures: list[ReadFailure] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)


def processed_stream(inputs: Iterable[str], reference_date: date | None = None, prefilter: bool = False,
                     max_seconds: float | None = DEFAULT_MAX_SECONDS, limits: Limits | None = None,
                     ) -> Iterator[Processed | ReadFailure]:
    """Every input document cleaned and extracted, or the one-line failure to read or
    process it, in input order."""
    check_patterns()  # a bad pattern file stops the run here, before any document
    for item in read_inputs(inputs, reference_date=reference_date, limits=limits):
        yield item if isinstance(item, ReadFailure) else processed(item, prefilter, max_seconds)


def ingest(inputs: Iterable[str], store: Store, reference_date: date | None = None,
           tick: Callable[[str], None] | None = None, workers: int = 1, prefilter: bool = False,
           max_seconds: float | None = DEFAULT_MAX_SECONDS, limits: Limits | None = None) -> Summary:
    """Store every input document not stored yet; return the run's summary.

    One worker runs in this process; more run as a process pool (accord.run.parallel).
    Both store the same records in the same order.
    """
    from accord.run.parallel import ingest_parallel

    check_patterns()
    return ingest_parallel(inputs, store, workers=workers, reference_date=reference_date, tick=tick,
                           prefilter=prefilter, max_seconds=max_seconds, limits=limits)
