"""The one place runners store processed documents, in input order, into a Store.

Storing is the sequential part of a run: near-duplicate links depend on which documents
came before, and SQLite wants one writer. The writer keeps the near-duplicate index of
the store, links each new document to the first earlier one it nearly repeats, and
counts what it did into the run's Summary. Each document is stored whole or not at all
(`Store.add`); inside `Store.batched()` the writer commits every COMMIT_DOCS documents or
COMMIT_SECONDS, so a run stopped at any point loses at most that many, and the next run
picks up where the last commit left it. There, documents that come with nothing else
(pages the prefilter dropped: no articles, events or signature) wait in a list and are
stored together in one statement (`Store.add_bare`) before the next other document, the
next commit or the end of the run (`commit()`), so the store's order stays input order.
"""

from __future__ import annotations

import time

from accord.clean.duplicates import DuplicateIndex, minhash_from_bytes, minhash_of, minhash_to_bytes
from accord.pipeline import Processed, Summary
from accord.records import CleanDocument
from accord.store.database import Store


def signature_of(done: Processed) -> bytes | None:
    """The near-duplicate signature of a document's principal article, or None without one.

    A document with no article text (e.g. one the prefilter skipped) gets none: empty
    texts would all look like copies of each other.
    """
    principal = done.clean.principal
    if principal is None or not principal.text.strip():
        return None
    return minhash_to_bytes(minhash_of(principal.text))


COMMIT_DOCS = 200
"""Documents per transaction in a batched run: a commit costs as much as storing a few of them."""

COMMIT_SECONDS = 0.1
"""The longest a stored document waits for its commit (readers see it then); a run that
stores documents slowly thus still commits nearly each one."""


def is_bare(done: Processed, signature: bytes | None) -> bool:
    """True for a document with nothing to store but its own row (a page the prefilter dropped)."""
    return not (done.clean.articles or done.extraction.events or done.extraction.countries or signature)


class DocumentWriter:
    """Stores processed documents in order, linking near-duplicates, counting into `summary`.
    In a batched run, call `commit()` at the end: it stores the bare documents still waiting."""

    def __init__(self, store: Store, summary: Summary):
        self.store = store
        self.summary = summary
        self.index = DuplicateIndex()
        self.pending = 0
        self.since = time.monotonic()
        self.bare: dict[str, CleanDocument] = {}
        for doc_id, blob in store.signatures():
            self.index.add(doc_id, minhash_from_bytes(blob))

    def commit(self) -> None:
        """Commit what a batched run has stored so far (nothing to do outside a batch)."""
        self.flush()
        if self.store.batching and self.pending:
            self.store.commit()
        self.pending, self.since = 0, time.monotonic()

    def _due(self, waiting: int = 0) -> bool:
        """Whether to commit now: COMMIT_DOCS documents stored (or `waiting` to be) or COMMIT_SECONDS gone by."""
        return self.pending + waiting >= COMMIT_DOCS or time.monotonic() - self.since > COMMIT_SECONDS

    def flush(self) -> None:
        """Store the bare documents waiting, together."""
        if self.bare:
            added = self.store.add_bare(list(self.bare.values()))
            self.summary.new += added
            self.summary.unchanged += len(self.bare) - added
            self.pending += added
            self.bare.clear()

    def write(self, done: Processed, signature: bytes | None) -> bool:
        """Store one document (one transaction, or a savepoint of a batch); False when it was
        stored already. In a batch a bare document waits for the next flush, which counts it
        as unchanged if it was stored already."""
        if self.store.batching and is_bare(done, signature):
            if done.clean.id in self.bare:
                self.summary.unchanged += 1
                return False
            self.bare[done.clean.id] = done.clean
            if self._due(len(self.bare)):
                self.commit()
            return True
        self.flush()
        minhash = minhash_from_bytes(signature) if signature is not None else None
        original = self.index.find(minhash) if minhash is not None else None
        if not self.store.add(done.clean, done.extraction, signature, duplicate_of=original):
            self.summary.unchanged += 1
            return False
        if minhash is not None:
            self.index.add(done.clean.id, minhash)
        self.pending += 1
        if self._due():
            self.commit()
        self.summary.new += 1
        self.summary.duplicate += original is not None
        self.summary.events += len(done.extraction.events)
        return True
