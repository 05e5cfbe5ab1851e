"""Web app latency and throughput under load: p50/p95/p99 and requests per second per endpoint.

    .venv/bin/python bench/bench_api.py [--events 1000000] [--clients 50] [--seconds 10] [--db PATH]

Generates a store with N synthetic events (real country codes, a few hundred targets, dates
over eight years, made-up evidence sentences; kept at --db for reuse), starts `accord serve`
on a free loopback port in its own process (--workers processes), then for each main
endpoint and page drives --clients concurrent keep-alive clients for --seconds with wrk
(Debian's `wrk`; a bounded asyncio/httpx loop if wrk is missing). Each endpoint is asked
over many URL variants (actors, targets, offsets, queries) so the figures include real
queries, and the run is repeated with the server's response cache off (--cache 0) and on
(the default 5 s); by default each URL is requested a few times, then driven for --seconds
unmeasured, before measuring, so the figures are those of a server that has been running a
while, every worker having seen every URL (--no-warm: of a fresh one). `--writes N` adds N
documents of 20 events a second to the store while each endpoint is measured, through
`Store.add` as an ingest does (the store's version changes with each, so cached answers go out
of date as on a server fed by `accord watch`); the documents stay in the store. Meanwhile a sampler asks a random URL
five times a second and reports the answers' Age (seconds since the server computed them, so
how far behind the store they may be): its median and maximum. The goal is p95 < 100 ms. Prints tables and writes bench/out/api.json;
asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pycountry

from accord.records import (
    ACTIONS,
    TARGET_TYPES,
    Article,
    CleanDocument,
    Event,
    Extraction,
    Relevance,
    Target,
    content_id,
)
from accord.store.database import Store

ROOT = Path(__file__).resolve().parents[1]
VERBS = {"sign": "signed", "refuse": "refused to sign", "ratify": "ratified", "withdraw": "withdrew from",
         "sponsor": "sponsored", "propose": "proposed", "adopt": "adopted", "host": "hosted",
         "attend": "attended", "pledge": "pledged money to", "support": "backed", "oppose": "opposed"}
WORDS = ("digital", "safety", "trust", "ethics", "innovation", "frontier", "data", "rights", "security", "compute")


def generate(db: Path, events: int, seed: int = 7) -> None:
    """A store with `events` synthetic events spread over documents of ~20 events each."""
    rng = random.Random(seed)
    major = ["USA", "CHN", "FRA", "DEU", "GBR", "JPN", "IND", "BRA", "CAN", "KOR"]
    countries = major + [c.alpha_3 for c in pycountry.countries if c.alpha_3 not in major][:190]
    names = {c.alpha_3: c.name for c in pycountry.countries}
    targets = [(f"gen-{i}", f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} "
                f"{rng.choice(('Declaration', 'Resolution', 'Convention', 'Framework', 'Summit'))} {i}",
                rng.choice(TARGET_TYPES)) for i in range(400)]
    with Store(db) as store:
        conn = store.conn
        conn.execute("PRAGMA synchronous=OFF")
        with conn:
            conn.executemany("INSERT INTO targets VALUES (?,?,?,'[]',1)", targets)
            per_doc, n_docs = 20, max(1, events // 20)
            for d in range(n_docs):
                doc_id = f"{d:016x}"
                day = f"{rng.randint(2018, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                sentences, rows, pos = [], [], 0
                for _ in range(per_doc):
                    actor, action = rng.choice(countries), rng.choice(ACTIONS)
                    key, name, _ = rng.choice(targets)
                    sentence = (f"{names[actor]} {VERBS[action]} the {name} "
                                f"on {day}, officials said.")
                    rows.append((doc_id, actor, action, key, name, day, sentence, pos, pos + len(sentence),
                                 round(rng.uniform(0.5, 1), 2), "bench.v1", None))
                    sentences.append(sentence)
                    pos += len(sentence) + 1
                text = " ".join(sentences)
                conn.execute("INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                             (doc_id, f"gen-{d}", f"gen/{d}.txt", None, f"Generated report {d}", day, None, None,
                              None, "en", 1, 0.9, "[]", None, "[]", None, "2025-01-01T00:00:00"))
                conn.execute("INSERT INTO articles VALUES (?,?,?,?,?)", (doc_id, 0, f"Generated report {d}", text, 1))
                conn.executemany("INSERT INTO events (doc_id, actor, action, target_key, target_text, date, evidence,"
                                 " start, end, confidence, rule, amount) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        t = time.perf_counter()
        facts = store.refresh_facts()  # as an ingest leaves it: the fact summary current
        print(f"fact summary: {facts:,} facts in {time.perf_counter() - t:.0f} s", flush=True)
        conn.execute("ANALYZE")


@functools.cache
def country_names() -> dict[str, str]:
    """{alpha-3 code: name} of every country pycountry knows."""
    return {c.alpha_3: c.name for c in pycountry.countries}


def live_document(i: int, targets: list[tuple[str, str]], rng: random.Random) -> tuple[CleanDocument, Extraction]:
    """Synthetic document number `i` as an ingest stores it: 20 events on the store's targets ((key, name))."""
    names = country_names()
    countries = sorted(names)[:200]
    day = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    sentences, events, pos = [], [], 0
    for _ in range(20):
        actor, action = rng.choice(countries), rng.choice(ACTIONS)
        key, name = rng.choice(targets)
        sentence = f"{names[actor]} {VERBS[action]} the {name} on {day}, officials said."
        events.append(Event(actor, action, Target(name, "declaration", (), key), day, sentence, pos,
                            pos + len(sentence), 0.8, "bench.live.v1"))
        sentences.append(sentence)
        pos += len(sentence) + 1
    text = " ".join(sentences)
    doc = CleanDocument(content_id(f"live {i} {text}"), f"live-{i}", f"live/{i}.txt",
                        (Article(f"Live report {i}", text, True),), Relevance(True, 0.9, ("AI",)),
                        title=f"Live report {i}", published=day)
    return doc, Extraction(tuple(sorted({e.actor for e in events})), tuple(events))


@contextmanager
def running(work: Callable[[threading.Event], None]) -> Iterator[None]:
    """While the block runs, `work(stop)` runs in a thread; at its end `stop` is set and the thread joined."""
    stop = threading.Event()
    thread = threading.Thread(target=work, args=(stop,), daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@contextmanager
def writing(db: Path, rate: float) -> Iterator[list[int]]:
    """While the block runs, a thread adds `rate` documents a second to `db` (none if 0); yields
    a one-item list counting them."""
    added = [0]
    if rate <= 0:
        yield added
        return

    def write(stop: threading.Event) -> None:
        rng = random.Random(time.time_ns())
        with Store(db) as store:
            targets = [tuple(r) for r in store.conn.execute("SELECT key, name FROM targets LIMIT 400")]
            first = store.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            started = time.monotonic()
            while not stop.is_set():
                store.add(*live_document(first + added[0], targets, rng))
                added[0] += 1
                stop.wait(max(0.0, started + added[0] / rate - time.monotonic()))

    with running(write):
        yield added


@contextmanager
def sampling_ages(base: str, paths: list[str], every: float = 0.2) -> Iterator[list[int]]:
    """While the block runs, a thread asks a random one of `paths` every `every` seconds and keeps the
    answer's Age header (seconds since the server computed it; 0 when computed for that request)."""
    ages: list[int] = []

    def sample(stop: threading.Event) -> None:
        rng = random.Random(time.time_ns())
        with httpx.Client(base_url=base, timeout=30) as client:
            while not stop.wait(every):
                with contextlib.suppress(httpx.HTTPError):
                    ages.append(int(client.get(rng.choice(paths)).headers.get("age", 0)))

    with running(sample):
        yield ages


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(db: Path, workers: int, cache: float) -> Iterator[tuple[str, float]]:
    """`accord serve` over `db` on a free loopback port, in its own process group, until the block
    ends: its base URL and the seconds it took to answer."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k != "ACCORD_TOKEN"}
    t = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "accord.cli", "serve", "--db", str(db), "--port", str(port),
                               "--workers", str(workers), "--cache", str(cache)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        while True:
            try:
                if httpx.get(base + "/api/stats", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                if server.poll() is not None:
                    raise SystemExit("accord serve exited") from None
                time.sleep(0.5)
        yield base, time.perf_counter() - t
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the server and its worker processes
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


async def load(url: str, clients: int, seconds: float) -> tuple[list[float], int, int]:
    """Latencies (s) of the requests `clients` concurrent clients made in `seconds`, and errors."""
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                t = time.perf_counter()
                try:
                    r = await client.get(url)
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - t)
                errors += not ok
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    return latencies, errors, int(len(latencies) / elapsed)


WRK_SCRIPT = """
local paths = {%s}
local i = math.random(#paths)
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  io.write(string.format("JSON {\\"requests\\": %%d, \\"seconds\\": %%.3f, \\"p50\\": %%.2f, \\"p95\\": %%.2f, \\"p99\\": %%.2f, \\"errors\\": %%d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout + summary.errors.status))
end
"""


def wrk_run(base: str, paths: list[str], clients: int, seconds: float) -> dict:
    """Figures from one wrk run cycling through `paths`."""
    script = ROOT / "bench" / "out" / "wrk.lua"
    script.write_text(WRK_SCRIPT % ", ".join(json.dumps(p) for p in paths))
    out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{int(seconds)}s", "--timeout", "10s", "-s", str(script),
                          base + paths[0]], capture_output=True, text=True, check=True).stdout
    figures = json.loads(next(line for line in out.splitlines() if line.startswith("JSON "))[5:])
    figures["rps"] = int(figures["requests"] / figures["seconds"])
    return figures


def httpx_run(base: str, paths: list[str], clients: int, seconds: float) -> dict:
    """Figures from the asyncio/httpx loop (first path only) when wrk is not installed."""
    lat, errors, rps = asyncio.run(load(base + paths[0], clients, seconds))
    return {"requests": len(lat), "rps": rps, "p50": percentile(lat, 50), "p95": percentile(lat, 95),
            "p99": percentile(lat, 99), "errors": errors}


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000 if values else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--workers", type=int, default=2, help="server worker processes")
    ap.add_argument("--warm", action=argparse.BooleanOptionalAction, default=True,
                    help="request every URL once before measuring (steady state); --no-warm measures cold starts")
    ap.add_argument("--caches", type=float, nargs="+", default=[0.0, 5.0], help="response-cache seconds to try")
    ap.add_argument("--writes", type=float, default=0.0, metavar="N",
                    help="documents (20 events each) added a second while measuring, as a live ingest")
    ap.add_argument("--only", nargs="+", default=None, metavar="NAME",
                    help="measure only the endpoints whose name contains one of these (e.g. countries search)")
    args = ap.parse_args()
    db = args.db or ROOT / "bench" / "out" / f"api-{args.events}.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    if not db.exists():
        t = time.perf_counter()
        generate(db, args.events)
        print(f"generated {args.events:,} events in {time.perf_counter() - t:.0f} s -> {db}", flush=True)
    Store(db).close()  # a store made by an older Accord: migrated here, not by the server's workers at once
    conn = sqlite3.connect(db)
    keys = [r[0] for r in conn.execute("SELECT key FROM targets ORDER BY random() LIMIT 100")]
    docs = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY random() LIMIT 100")]
    actors = [r[0] for r in conn.execute("SELECT DISTINCT actor FROM events LIMIT 100")]
    conn.close()
    words = [f"{a}%20{b}" for a in ("ratified", "signed", "opposed", "hosted") for b in WORDS]
    endpoints = {
        "/api/stats": ["/api/stats"],
        "/api/events (latest, pages)": [f"/api/events?limit=50&offset={50 * i}" for i in range(100)],
        "/api/events?actor=": [f"/api/events?actor={a}&limit=50" for a in actors],
        "/api/events?target=&action=": [f"/api/events?target={k}&action={a}&limit=50" for k in keys[:20]
                                        for a in ACTIONS[:5]],
        "/api/documents/{id}": [f"/api/documents/{d}" for d in docs],
        "/api/documents": [f"/api/documents?limit=50&offset={50 * i}" for i in range(100)],
        "/api/search?q=": [f"/api/search?q={w}" for w in words],
        "/api/targets": ["/api/targets?limit=50"],
        "/api/actors": ["/api/actors?limit=50"],
        "/api/stances?target=": [f"/api/stances?target={k}" for k in keys],
        "/api/facts?target=": [f"/api/facts?target={k}&limit=50" for k in keys],
        "/api/timeline?actor=": [f"/api/timeline?actor={a}&limit=50" for a in actors],
        "page /": ["/"],
        "page /events": [f"/events?offset={50 * i}" for i in range(100)],
        "page /targets/{key}": [f"/targets/{k}" for k in keys],
        "page /countries/{code}": [f"/countries/{a}" for a in actors],
        "page /documents/{id}": [f"/documents/{d}" for d in docs],
        "page /search?q=": [f"/search?q={w}" for w in words],
    }
    if args.only:
        endpoints = {name: paths for name, paths in endpoints.items() if any(o in name for o in args.only)}
        if not endpoints:
            raise SystemExit(f"--only {' '.join(args.only)}: no such endpoint")
    run = wrk_run if shutil.which("wrk") else httpx_run
    report = {"events": args.events, "clients": args.clients, "seconds": args.seconds, "workers": args.workers,
              "warm": args.warm, "writes_per_second": args.writes,
              "load": "wrk" if run is wrk_run else "httpx", "runs": {}}
    for cache in args.caches:
        with served(db, args.workers, cache) as (base, ready):
            print(f"\nresponse cache {cache} s, {args.workers} worker(s), {args.clients} clients, {run.__name__}"
                  f"{f', {args.writes:g} documents written a second' if args.writes else ''}"
                  f" (server ready in {ready:.1f} s)")
            print(f"{'endpoint':<32} {'variants':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}"
                  f" {'age p50/max s':>13}")
            results = []
            for name, paths in endpoints.items():
                if args.warm:  # as a server that has been running a while: every URL seen by every worker
                    with httpx.Client(timeout=600) as warm:
                        for _ in range(2 * args.workers):
                            for path in paths:
                                warm.get(base + path, headers={"connection": "close"})
                    # the kernel hands new connections to the workers unevenly: an unmeasured run under the
                    # same load (--clients connections kept open, spread over the workers) reaches each of them
                    run(base, paths, args.clients, args.seconds)
                with writing(db, args.writes) as added, sampling_ages(base, paths) as ages:
                    figures = run(base, paths, args.clients, args.seconds)
                ages.sort()
                figures |= {"endpoint": name, "variants": len(paths), "documents_written": added[0],
                            "age_p50": ages[len(ages) // 2] if ages else None, "age_max": max(ages, default=None)}
                results.append(figures)
                print(f"{name:<32} {len(paths):>8} {figures['rps']:>7} {figures['p50']:>8.1f} {figures['p95']:>8.1f}"
                      f" {figures['p99']:>8.1f} {figures['errors']:>6} {figures['age_p50']!s:>6}/{figures['age_max']!s:<6}",
                      flush=True)
            meeting = sum(r["requests"] > 0 and r["p95"] < 100 for r in results)
            print(f"{meeting}/{len(results)} endpoints meet p95 < 100 ms")
            report["runs"][str(cache)] = results
    (ROOT / "bench" / "out" / "api.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
