"""Opening the store for an analysis: every analyze function takes a Store or a path.

A path is opened for the one call and closed after it; a Store given by the caller is used
as it is and left open.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from accord.store.database import Store

DB = Store | str | Path
"""What the analyze functions accept as a store."""


@contextmanager
def opened(db: DB) -> Iterator[Store]:
    """The store `db` names, closed afterwards only if it was opened here."""
    if isinstance(db, Store):
        yield db
        return
    if not Path(db).exists():
        raise FileNotFoundError(f"{db}: no such store")
    store = Store(db)
    try:
        yield store
    finally:
        store.close()
