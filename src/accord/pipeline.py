"""The whole flow for one document, and for a run of many: sources -> clean -> extract -> store.

`process` is a pure function of a RawDocument; `ingest` feeds a stream of inputs through
it into a Store (in this process or a pool of them, accord.run.parallel), skipping
documents already stored and linking near-duplicates to their original, and counts what
happened for the run's summary.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from accord.clean import clean_document
from accord.extract import extract
from accord.prefilter import might_be_relevant, prefiltered_document
from accord.records import CleanDocument, Extraction, RawDocument, ReadFailure
from accord.sources import read_inputs
from accord.store.database import Store


@dataclass(frozen=True)
class Processed:
    """A document after the clean and extract stages."""

    clean: CleanDocument
    extraction: Extraction


def process(raw: RawDocument, prefilter: bool = False) -> Processed:
    """Clean a document and extract from it.

    With `prefilter`, a document with no AI term anywhere is stored as not relevant
    without cleaning (accord.prefilter): faster on a day of general news, at the cost of
    its title and date.
    """
    if prefilter and not might_be_relevant(raw):
        return Processed(prefiltered_document(raw), Extraction())
    clean = clean_document(raw)
    return Processed(clean, extract(clean))


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


def processed_stream(inputs: Iterable[str], reference_date: date | None = None,
                     ) -> Iterator[Processed | ReadFailure]:
    """Every input document cleaned and extracted, or the failure to read it, in input order."""
    for item in read_inputs(inputs, reference_date=reference_date):
        if isinstance(item, ReadFailure):
            yield item
            continue
        try:
            yield process(item)
        except Exception as err:  # noqa: BLE001 - one bad document must not stop a run
            yield ReadFailure(item.source, f"could not be processed: {type(err).__name__}: {err}")


def ingest(inputs: Iterable[str], store: Store, reference_date: date | None = None,
           tick: Callable[[str], None] | None = None, workers: int = 1, prefilter: bool = False) -> Summary:
    """Store every input document not stored yet; return the run's summary.

    One worker runs in this process; more run as a process pool (accord.run.parallel).
    Both store the same records in the same order.
    """
    from accord.run.parallel import ingest_parallel

    return ingest_parallel(inputs, store, workers=workers, reference_date=reference_date, tick=tick,
                           prefilter=prefilter)
