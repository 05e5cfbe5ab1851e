"""Ingest throughput: local with 1 and 2 workers, and Spark local[2], against the I/O floor.

Generates a corpus (bench/generate_corpus.py) unless given one, then, each in its own
subprocess so memory figures do not mix, times: reading the shards alone (the sources
stage: open, decompress, split records; the I/O floor no run can beat), a local ingest
with 1 worker, with 2 workers, and a Spark local[2] batch run plus its load. Prints
documents per second, the CPU seconds of the whole process tree (sampled with the
memory, so the last twentieth of a second of each process is missed: what a run costs
when others' work on a shared machine stretches its wall time; the load average after it
is printed too), peak resident memory of the whole process tree (workers and JVM included),
each run's time as a multiple of the floor, the speed-up from 1 to 2 workers,
and whether every run stored the same documents and events. The prefilter is on unless
--no-prefilter is given: a day of news is mostly not about AI governance.

    python bench/bench_ingest.py --docs 2000
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent

RUNS = {
    "read": "from accord.sources import read_inputs\nn = sum(1 for _ in read_inputs(INPUTS))",
    "local-1": "from accord.run.parallel import ingest_parallel\nfrom accord.store.database import Store\n"
               "with Store(DB) as s: n = ingest_parallel(INPUTS, s, workers=1, prefilter=PREFILTER).read",
    "local-2": "from accord.run.parallel import ingest_parallel\nfrom accord.store.database import Store\n"
               "with Store(DB) as s: n = ingest_parallel(INPUTS, s, workers=2, prefilter=PREFILTER).read",
    "spark-local[2]": "from accord.batch.spark import run_spark\nfrom accord.batch.load import load_batch\n"
                      "from accord.store.database import Store\n"
                      "run_spark(INPUTS, OUT, master='local[2]', prefilter=PREFILTER)\n"
                      "with Store(DB) as s: n = load_batch(OUT, s).read",
}


def tree_rss(proc: psutil.Process, cpu: dict[int, float] | None = None) -> int:
    """Resident memory of a process and all its descendants, in bytes; with `cpu`, the CPU
    seconds (user and system) each has used so far are recorded in it by process id."""
    total = 0
    try:
        tree = [proc, *proc.children(recursive=True)]
    except psutil.Error:  # the run ended (or a child did) while it was being listed
        return 0
    for p in tree:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
            if cpu is not None:
                times = p.cpu_times()
                cpu[p.pid] = times.user + times.system
    return total


def measured(name: str, inputs: list[str], work: Path, prefilter: bool) -> dict:
    """Run one configuration in a subprocess; its documents, seconds and peak tree RSS."""
    script = (f"import time\nINPUTS = {inputs!r}\nDB = {str(work / (name + '.db'))!r}\nPREFILTER = {prefilter}\n"
              f"OUT = {str(work / (name + '-out'))!r}\nt = time.perf_counter()\n{RUNS[name]}\n"
              "print('RESULT', n, time.perf_counter() - t)")
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    ps = psutil.Process(proc.pid)
    peak = [0]
    cpu: dict[int, float] = {}

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss(ps, cpu))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = proc.communicate()
    sampler.join()
    wall = time.perf_counter() - started
    line = next((x for x in output.splitlines() if x.startswith("RESULT")), None)
    if proc.returncode != 0 or line is None:
        raise SystemExit(f"{name} failed (exit {proc.returncode})")
    _, docs, seconds = line.split()
    return {"run": name, "docs": int(docs), "seconds": float(seconds), "wall": wall, "peak_rss_mb": peak[0] / 2**20,
            "cpu_seconds": sum(cpu.values()), "load": os.getloadavg()[0]}


def stored(db: Path) -> list[tuple]:
    """What a store holds, whatever the order it was written in: each document with its
    relevance, date and near-duplicate original, and each event."""
    conn = sqlite3.connect(db)
    docs = conn.execute("SELECT d.doc, d.relevant, d.published, d.title, coalesce(o.doc, '') FROM documents d"
                        " LEFT JOIN documents o ON o.id = d.duplicate_of").fetchall()
    events = conn.execute("SELECT d.doc, e.actor, e.action, e.target_key, coalesce(e.date, ''), e.evidence"
                          " FROM events e JOIN documents d ON d.id = e.doc_id").fetchall()
    conn.close()
    return sorted(("doc", *r) for r in docs) + sorted(("event", *r) for r in events)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, help="a folder of shards (default: generate one)")
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--shard-size", type=int, default=250)
    parser.add_argument("--runs", default=",".join(RUNS), help=f"comma-separated subset of: {', '.join(RUNS)}")
    parser.add_argument("--no-prefilter", dest="prefilter", action="store_false",
                        help="clean every page (default: the prefilter skips pages with no AI term)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="accord-bench-") as tmp:
        work = Path(tmp)
        corpus = args.corpus
        if corpus is None:
            sys.path.insert(0, str(HERE))
            from generate_corpus import generate

            corpus = work / "corpus"
            generate(corpus, args.docs, args.shard_size)
        size = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file())
        results = [measured(name, [str(corpus)], work, args.prefilter) for name in args.runs.split(",")]
        stores = {r["run"]: stored(work / (r["run"] + ".db")) for r in results if r["run"] != "read"}
    floor = next((r["seconds"] for r in results if r["run"] == "read"), None)
    by_run = {r["run"]: r for r in results}
    for name, contents in stores.items():
        by_run[name]["events"] = sum(row[0] == "event" for row in contents)
        by_run[name]["same_as_first_run"] = contents == next(iter(stores.values()))
    speedup = (by_run["local-1"]["seconds"] / by_run["local-2"]["seconds"]
               if {"local-1", "local-2"} <= by_run.keys() else None)
    if args.json:
        print(json.dumps({"corpus_bytes": size, "prefilter": args.prefilter, "runs": results,
                          "speedup_1_to_2": speedup}, indent=2))
        return
    print(f"corpus: {results[0]['docs']} documents, {size / 1e6:.1f} MB of shards; "
          f"prefilter {'on' if args.prefilter else 'off'}")
    print(f"{'run':<16}{'docs/s':>10}{'seconds':>10}{'CPU s':>8}{'peak RSS MB':>13}{'x floor':>9}{'events':>8}"
          f"  same store  load after")
    for r in results:
        ratio = f"{r['seconds'] / floor:.1f}" if floor else "-"
        same = {True: "yes", False: "NO", None: ""}[r.get("same_as_first_run")]
        print(f"{r['run']:<16}{r['docs'] / r['seconds']:>10.1f}{r['seconds']:>10.2f}{r['cpu_seconds']:>8.1f}"
              f"{r['peak_rss_mb']:>13.0f}{ratio:>9}{r.get('events', ''):>8}  {same:<10}  {r['load']:.1f}")
    if speedup:
        print(f"speed-up from 1 to 2 workers: {speedup:.2f}x")


if __name__ == "__main__":
    main()
