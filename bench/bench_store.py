"""What storing one document costs on a large store: `Store.add` against one INSERT per event.

    .venv/bin/python bench/bench_store.py [--db bench/out/api-1000000.db] [--docs 20]

Adds --docs synthetic documents of 20 events each (`bench_api.live_document`) to a copy of
--db (the store `bench_api.py` generates, with its full-text index) through `Store.add`, and
for each of them, in the same process, first stores the same events (under a stored document)
with one INSERT statement per event (what `Store.add` did before) inside a savepoint that is
rolled back: the baseline. Prints milliseconds per document for both and their ratio. Asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench_api import ROOT, live_document

from accord.store.database import _EVENT_VALUES, _INSERT_EVENTS, Store, target_key


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=ROOT / "bench" / "out" / "api-1000000.db")
    ap.add_argument("--docs", type=int, default=20)
    args = ap.parse_args()
    if not args.db.exists():
        raise SystemExit(f"{args.db}: no such store (run bench/bench_api.py first)")
    with tempfile.TemporaryDirectory(dir=args.db.parent) as folder:
        db = Path(folder) / "store.db"
        shutil.copyfile(args.db, db)
        rng = random.Random(1)
        baseline, added = [], []
        with Store(db) as store:
            conn = store.conn
            events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
            targets = [tuple(r) for r in conn.execute("SELECT key, name FROM targets LIMIT 400")]
            stored = conn.execute("SELECT id FROM documents LIMIT 1").fetchone()[0]  # the baseline's events' document
            for i in range(args.docs):
                clean, extraction = live_document(i, targets, rng)
                t = time.perf_counter()
                conn.execute("BEGIN")
                conn.execute("SAVEPOINT baseline")
                for ev in extraction.events:
                    conn.execute(_INSERT_EVENTS + _EVENT_VALUES, (
                        stored, ev.actor, ev.action, target_key(ev.target), ev.target.name, ev.date, ev.evidence,
                        ev.start, ev.end, ev.confidence, ev.rule, ev.amount))
                conn.execute("ROLLBACK TO baseline")
                conn.execute("ROLLBACK")
                baseline.append(time.perf_counter() - t)
                t = time.perf_counter()
                store.add(clean, extraction)
                added.append(time.perf_counter() - t)
        print(f"store of {events:,} events, {args.docs} documents of 20 events each")
        print(f"one INSERT per event (baseline, events only): {1000 * statistics.median(baseline):.1f} ms per document")
        print(f"Store.add (document, events, summaries, commit): {1000 * statistics.median(added):.1f} ms per document")
        print(f"ratio: {statistics.median(baseline) / statistics.median(added):.1f}x")


if __name__ == "__main__":
    main()
