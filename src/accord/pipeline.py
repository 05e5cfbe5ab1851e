"""The whole flow for one document, and for a run of many: sources -> clean -> extract -> store.

`process` is a pure function of a RawDocument; `ingest` feeds a stream of inputs through
it into a Store, skipping documents already stored and linking near-duplicates to their
original, and counts what happened for the run's summary.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from accord.clean import clean_document
from accord.clean.duplicates import DuplicateIndex, minhash_from_bytes, minhash_of, minhash_to_bytes
from accord.extract import extract
from accord.records import CleanDocument, Extraction, RawDocument, ReadFailure
from accord.sources import read_inputs
from accord.store.database import Store


@dataclass(frozen=True)
class Processed:
    """A document after the clean and extract stages."""

    clean: CleanDocument
    extraction: Extraction


def process(raw: RawDocument) -> Processed:
    """Clean a document and extract from it."""
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
           tick: Callable[[str], None] | None = None) -> Summary:
    """Store every input document not stored yet; return the run's summary."""
    summary = Summary()
    index = DuplicateIndex()
    for doc_id, blob in store.signatures():
        index.add(doc_id, minhash_from_bytes(blob))
    for item in read_inputs(inputs, reference_date=reference_date):
        if isinstance(item, ReadFailure):
            summary.failures.append(item)
            if tick:
                tick(item.source)
            continue
        summary.read += 1
        if tick:
            tick(item.source)
        if store.has(item.id):
            summary.unchanged += 1
            continue
        try:
            done = process(item)
        except Exception as err:  # noqa: BLE001 - one bad document must not stop a run
            summary.failures.append(ReadFailure(item.source, f"could not be processed: {type(err).__name__}: {err}"))
            continue
        principal = done.clean.principal
        signature = minhash_of(principal.text if principal else "")
        original = index.find(signature)
        store.add(done.clean, done.extraction, minhash_to_bytes(signature), duplicate_of=original)
        index.add(done.clean.id, signature)
        summary.new += 1
        summary.duplicate += original is not None
        summary.events += len(done.extraction.events)
    return summary
