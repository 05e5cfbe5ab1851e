"""Keeping a store current from news feeds: fetch what is new, every so often.

Each pass fetches every watched feed (RSS or Atom), and fetches, processes and stores
each page it links that the store has not seen. A page is seen once its URL is in the
`seen_urls` table (it is then never fetched again) or its content id is already stored
(it is then not processed again). A watched URL that is not a feed is a page watched by
itself, fetched once. A page that cannot be fetched is not marked seen, so the next
pass tries it again.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urljoin

import feedparser
import httpx

from accord.pipeline import Summary
from accord.records import ReadFailure
from accord.run.parallel import processed_with_signature
from accord.run.writer import DocumentWriter
from accord.sources import read_inputs
from accord.store.database import Store

USER_AGENT = "accord-watch/0.1 (+https://example.org/accord)"
TIMEOUT = 20.0
"""Seconds to wait for a feed before giving up on it until the next pass."""

_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def interval_seconds(text: str) -> float:
    """Seconds in an interval such as "15m", "90s", "1h", "1d" or "300" (seconds)."""
    match = _INTERVAL.match(text.lower())
    if not match or float(match[1]) <= 0:
        raise ValueError(f"'{text}' is not an interval (e.g. 30s, 15m, 1h, 1d)")
    return float(match[1]) * _UNIT_SECONDS[match[2]]


@dataclass
class WatchSummary(Summary):
    """What one pass did: a run Summary plus feeds read and links skipped as already seen."""

    feeds: int = 0
    links: int = 0
    seen: int = 0


def is_seen(store: Store, url: str) -> bool:
    """True when `accord watch` already fetched this URL into the store."""
    return store.conn.execute("SELECT 1 FROM seen_urls WHERE url = ?", (url,)).fetchone() is not None


def mark_seen(store: Store, url: str, doc_id: str | None, feed: str | None) -> None:
    """Record that a URL was fetched (and which document it gave), so it is never fetched again."""
    with store.conn:
        store.conn.execute("INSERT OR IGNORE INTO seen_urls VALUES (?,?,?,?)",
                           (url, doc_id, feed, datetime.now(UTC).isoformat(timespec="seconds")))


def feed_links(url: str, body: bytes) -> list[str] | None:
    """The page links of a feed, in feed order; None when `body` is not a feed."""
    parsed = feedparser.parse(body)
    if not parsed.get("version"):
        return None
    links = []
    for entry in parsed.entries:
        link = entry.get("link")
        if link and (absolute := urljoin(url, link)) not in links:
            links.append(absolute)
    return links


def _store_page(url: str, feed: str | None, store: Store, writer: DocumentWriter, summary: WatchSummary,
                reference_date: date | None) -> None:
    """Fetch one page (through the sources stage), store it unless its content is stored, mark it seen."""
    stored_id = None
    for item in read_inputs([url], reference_date=reference_date):
        if isinstance(item, ReadFailure):
            summary.failures.append(item)
            return
        summary.read += 1
        stored_id = item.id
        if store.has(item.id):
            summary.unchanged += 1
            continue
        result = processed_with_signature(item)
        if isinstance(result, ReadFailure):
            summary.failures.append(result)
            return
        writer.write(*result)
    mark_seen(store, url, stored_id, feed)


def watch_once(sources: Iterable[str], store: Store, reference_date: date | None = None,
               client: httpx.Client | None = None, tick: Callable[[str], None] | None = None) -> WatchSummary:
    """One pass over the watched feeds and pages: store every page not seen before."""
    summary = WatchSummary()
    writer = DocumentWriter(store, summary)
    own = client is None
    client = client or httpx.Client(timeout=TIMEOUT, follow_redirects=True, headers={"User-Agent": USER_AGENT})
    try:
        for source in sources:
            if is_seen(store, source):
                summary.seen += 1
                continue
            try:
                response = client.get(source)
                response.raise_for_status()
            except httpx.HTTPError as e:
                summary.failures.append(ReadFailure(source, f"could not be fetched: {type(e).__name__}: {e}"))
                continue
            links = feed_links(str(response.url), response.content)
            if links is None:
                _store_page(source, None, store, writer, summary, reference_date)
                continue
            summary.feeds += 1
            for link in links:
                summary.links += 1
                if is_seen(store, link):
                    summary.seen += 1
                else:
                    _store_page(link, source, store, writer, summary, reference_date)
                if tick:
                    tick(link)
    finally:
        if own:
            client.close()
    return summary


def watch(sources: list[str], store: Store, every: float, once: bool = False,
          reference_date: date | None = None, report: Callable[[WatchSummary], None] | None = None,
          sleep: Callable[[float], None] = time.sleep) -> None:
    """Run a pass now and then every `every` seconds (only one with `once`), reporting each."""
    while True:
        started = time.monotonic()
        summary = watch_once(sources, store, reference_date)
        if report:
            report(summary)
        if once:
            return
        sleep(max(0.0, every - (time.monotonic() - started)))


