"""Benchmark of the analyze queries on a big store (a script, not a test).

Generates a fresh store of synthetic documents, targets and events (one million events by
default; executemany inside one transaction, then one refresh of the fact summary, timed
apart), then times `stance`, `actor` and `timeline` through the accord.analyze API on an
open store, for a typical and for the busiest target and actor, and prints the figures (median
and worst of --repeat runs after a warm-up) and the store's size on disk. Goal: under 100 ms
each. --reuse keeps a store generated before with the same --events.

    .venv/bin/python bench/bench_queries.py [--events 1000000] [--db bench/out/queries.db] [--reuse]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from pathlib import Path

from accord import analyze
from accord.records import ACTIONS
from accord.store.database import Store

ACTORS = [f"{a}{b}{c}" for a in "ABCDEFGH" for b in "AEIOU" for c in "KLMNR"][:200]


def generate(path: Path, events: int, per_doc: int = 20, targets: int = 600, seed: int = 7) -> None:
    """A fresh store at `path` with `events` synthetic events (10% of documents near-duplicates)."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    rng = random.Random(seed)
    store = Store(path)
    conn = store.conn
    keys = [f"inst-{i}" if i % 5 else f"new:target-{i}" for i in range(targets)]
    target_weights = [1 / (r + 10) for r in range(targets)]  # a few targets much busier than the rest
    actor_weights = [1 / (r + 5) for r in range(len(ACTORS))]
    docs = events // per_doc
    with conn:
        conn.executemany("INSERT INTO targets VALUES (?,?,?,?,?)",
                         [(k, f"Instrument number {i}", "declaration", json.dumps([f"Alias {i}"]), int(i % 5 > 0))
                          for i, k in enumerate(keys)])
        doc_rows, event_rows = [], []
        for d in range(docs):
            doc_id = f"{d:016x}"
            duplicate = f"{d - 1:016x}" if d and d % 10 == 0 else None
            year = 2018 + d * 8 // docs
            published = f"{year}-{1 + d % 12:02d}-{1 + d % 28:02d}"
            doc_rows.append((doc_id, f"doc-{d}", f"/synthetic/{d}.txt", None, f"Story {d}", published, None, None,
                             None, "en", 1, 3.0, "[]", duplicate, "[]", None, "2025-01-01T00:00:00+00:00"))
            chosen_targets = rng.choices(keys, target_weights, k=per_doc)
            chosen_actors = rng.choices(ACTORS, actor_weights, k=per_doc)
            for i in range(per_doc):
                actor, key = chosen_actors[i], chosen_targets[i]
                action = ACTIONS[rng.randrange(len(ACTIONS))]
                evidence = f"{actor} decided to {action} instrument {key} according to story {d}."
                event_rows.append((doc_id, actor, action, key, key, published if i % 3 else None, evidence,
                                   0, len(evidence), 0.8, "bench.v1", None))
            if len(event_rows) >= 100_000:
                _flush(conn, doc_rows, event_rows)
        _flush(conn, doc_rows, event_rows)
    started = time.perf_counter()
    stale = store.refresh_facts()
    print(f"fact summary: {stale:,} facts in {time.perf_counter() - started:.1f} s")
    conn.execute("ANALYZE")
    store.close()


def _flush(conn, doc_rows: list, event_rows: list) -> None:
    conn.executemany("INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", doc_rows)
    conn.executemany("INSERT INTO events (doc_id, actor, action, target_key, target_text, date, evidence, start, end,"
                     " confidence, rule, amount) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", event_rows)
    doc_rows.clear()
    event_rows.clear()


def _events(db: Path) -> int:
    with Store(db) as store:
        return store.conn.execute("SELECT count(*) FROM events").fetchone()[0]


def timed(call, repeat: int = 5) -> tuple[float, float, float, int]:
    """(median ms, max ms, median CPU ms of this process, result size) of `call` over `repeat`
    runs after one warm-up. On a shared machine the CPU time shows what the query costs when
    the wall time also counts waiting for a core."""
    result = call()
    times, cpu = [], []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        call()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    size = len(result.facts) if hasattr(result, "facts") else len(result)
    return statistics.median(times), max(times), statistics.median(cpu), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path(__file__).parent / "out" / "queries.db")
    parser.add_argument("--reuse", action="store_true", help="keep the store at --db if it has --events events")
    parser.add_argument("--repeat", type=int, default=9, help="timed runs per query")
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    if not (args.reuse and args.db.exists() and _events(args.db) == args.events):
        started = time.perf_counter()
        generate(args.db, args.events)
        print(f"generated {args.events:,} events in {time.perf_counter() - started:.1f}s")
    with Store(args.db) as store:
        busy_target = store.conn.execute(
            "SELECT target_key FROM events GROUP BY target_key ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        busy_actor = store.conn.execute(
            "SELECT actor FROM events GROUP BY actor ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        count = dict(store.conn.execute("SELECT target_key, count(*) FROM events GROUP BY target_key").fetchall())
        actors = dict(store.conn.execute("SELECT actor, count(*) FROM events GROUP BY actor").fetchall())
        typical_target = sorted(count, key=count.get)[len(count) // 2]
        typical_actor = sorted(actors, key=actors.get)[len(actors) // 2]
        cases = [
            (f"stance {typical_target} (typical, {count[typical_target]:,} events)",
             lambda: analyze.stances(store, typical_target)),
            (f"stance {busy_target} (busiest, {count[busy_target]:,} events)",
             lambda: analyze.stances(store, busy_target)),
            (f"actor {typical_actor} (typical, {actors[typical_actor]:,} events)",
             lambda: analyze.actor_profile(store, typical_actor)),
            (f"actor {busy_actor} (busiest, {actors[busy_actor]:,} events)",
             lambda: analyze.actor_profile(store, busy_actor)),
            (f"timeline --target {typical_target}", lambda: analyze.timeline(store, target=typical_target)),
            (f"timeline --target {busy_target}", lambda: analyze.timeline(store, target=busy_target)),
            (f"timeline --actor {typical_actor}", lambda: analyze.timeline(store, actor=typical_actor)),
            (f"timeline --actor {busy_actor}", lambda: analyze.timeline(store, actor=busy_actor)),
            (f"timeline --target {busy_target} --actor {busy_actor}",
             lambda: analyze.timeline(store, target=busy_target, actor=busy_actor)),
        ]
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; median of {args.repeat} runs")
        print(f"{'query':<62} {'median ms':>10} {'max ms':>8} {'cpu ms':>7} {'rows':>7}")
        for name, call in cases:
            median, worst, cpu, size = timed(call, args.repeat)
            flag = "" if median < 100 else "  (over 100 ms)"
            print(f"{name:<62} {median:>10.1f} {worst:>8.1f} {cpu:>7.1f} {size:>7}{flag}")
    size = sum(Path(str(args.db) + s).stat().st_size for s in ("", "-wal", "-shm") if Path(str(args.db) + s).exists())
    print(f"store size on disk: {size / 1e6:.0f} MB ({args.db})")


if __name__ == "__main__":
    main()
