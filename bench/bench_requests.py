"""What one request costs when it is computed: `accord serve`, one worker, response cache off, one client.

    .venv/bin/python bench/bench_requests.py [--db bench/out/api-1000000.db] [--urls 8] [--repeat 3]

For each main endpoint and page, asks up to --urls variants (the same targets, actors and
queries on every run: the first ones of the store) --repeat times after one unmeasured request
each, one request at a time over a keep-alive connection, and prints the mean and the worst in
milliseconds. Run it with PYTHONPATH set to another checkout's src/ to compare two versions on
one store (the server runs that code too). `--only NAME` (repeatable) restricts it to endpoints
whose name contains NAME. Asserts nothing.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import time
from pathlib import Path

import httpx
from bench_api import served

ROOT = Path(__file__).resolve().parents[1]


def endpoints(db: Path, n: int) -> dict[str, list[str]]:
    """URLs per endpoint: the first `n` targets and actors by key (the same on every run)."""
    conn = sqlite3.connect(db)
    keys = [r[0] for r in conn.execute("SELECT key FROM targets ORDER BY key LIMIT ?", (n,))]
    actors = [r[0] for r in conn.execute("SELECT actor FROM actor_counts ORDER BY actor LIMIT ?", (n,))]
    conn.close()
    return {
        "/api/stances?target=": [f"/api/stances?target={k}" for k in keys],
        "/api/facts?target=": [f"/api/facts?target={k}&limit=50" for k in keys],
        "/api/timeline?actor=": [f"/api/timeline?actor={a}&limit=50" for a in actors],
        "/api/search?q=": [f"/api/search?q=signed%20{w}" for w in ("digital", "safety", "trust", "ethics")],
        "page /targets/{key}": [f"/targets/{k}" for k in keys],
        "page /countries/{code}": [f"/countries/{a}" for a in actors],
        "/api/alignment": ["/api/alignment?limit=50"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=ROOT / "bench" / "out" / "api-1000000.db")
    ap.add_argument("--urls", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", action="append", default=[])
    args = ap.parse_args()
    with served(args.db, 1, 0) as (base, _), httpx.Client(base_url=base, timeout=600) as client:
        print(f"{'request':<28} {'urls':>4} {'mean ms':>9} {'worst ms':>9}")
        for name, urls in endpoints(args.db, args.urls).items():
            if args.only and not any(o in name for o in args.only):
                continue
            times = []
            for url in urls:
                assert client.get(url).status_code == 200, url
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    client.get(url)
                    times.append((time.perf_counter() - t) * 1000)
            print(f"{name:<28} {len(urls):>4} {statistics.mean(times):>9.1f} {max(times):>9.1f}", flush=True)


if __name__ == "__main__":
    main()
