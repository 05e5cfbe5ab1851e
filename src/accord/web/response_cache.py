"""The response cache: repeated anonymous GETs answered from memory, and shared between workers.

The store changes only when an ingest runs or a reviewer writes, so a page or API answer a few
seconds old is as good as a fresh one. `ResponseCache` (ASGI middleware) keeps each answer
for `Web.cache_seconds`; past that it is revalidated: served again while the store's version
(`Web.version`, looked up at most once a second) is still the one it was computed under, else
computed anew. So a busy server computes each URL once per change of the store, not once per
interval, and answers what changed within a second or so.

After an ingest (not a review) an out-of-date answer is still worth serving for a while:

- the request that finds it out of date computes its successor, and those asking for the same
  URL meanwhile are given the previous answer rather than waiting;
- while this process is already computing other answers (for requests or in the background), a
  request that finds an answer out of date (by less than `STALE_SECONDS`) is given it at once,
  and the URL is computed again in the background, one after another, with a pause after each
  so that the refresher takes at most half a core (`REFRESH_PAUSE`); a newer answer another
  worker computed meanwhile is taken instead. Under a live ingest (`accord watch` beside the
  server) the store's version changes every second and every answer goes out of date every few
  seconds: computing each again in the request that found it made requests queue behind a
  hundred page computations at once (p95 2.4 s for country pages on a million events). A lone
  request on a quiet server still computes, so it never sees an answer from before the last
  ingest. An answer computed in the background is made of up-to-date values (`UNWAITED`).

After a review every request waits for the new answer. With several workers the answers are
shared (accord.web.shared_answers). An answer made from an aggregate that was itself being
recomputed (stale-while-revalidate in `Web.cached`) is not exact for the version it was asked
under: it is kept for `cache_seconds` only and never shared. Signed-in reviewers (who see forms
with their CSRF token), /login and anything but a 200 are never cached; a review clears the cache.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import anyio

from accord.web.shared_answers import WAIT_SECONDS, Answer, SharedAnswers

if TYPE_CHECKING:
    from accord.web.app import Web

MAX_SHARED_BODY = 4 << 20
"""Answers larger than this (long CSV downloads) are not shared between workers, only kept by each."""

STALE_SECONDS = 60.0
"""How old an answer made before the last ingest may be and still be served while its successor waits its turn."""

REFRESH_PAUSE = 1.0
"""After computing an answer in the background for d seconds, the refresher waits d * REFRESH_PAUSE."""

KEPT = 4096
"""Answers a process keeps in memory (and URLs it may have waiting to be computed again)."""

STALE: contextvars.ContextVar[list[bool] | None] = contextvars.ContextVar("accord_stale_answer", default=None)
"""Within a request the cache computes: a list `Web.cached` appends to when it answers with a value computed
before the store's last change (while its successor is being computed)."""


UNWAITED: contextvars.ContextVar[bool] = contextvars.ContextVar("accord_unwaited_answer", default=False)
"""True while the cache computes an answer in the background, which no request waits for: `Web.cached` then
computes an out-of-date value anew instead of answering with it (which would make this answer out of date too)."""


def same_reviews(version: tuple, other: tuple) -> bool:
    """Whether two store versions (`Web.version`: newest event, document, correction) have the same
    corrections: an answer from before an ingest may be served for a while, one from before a review not."""
    return version[2:] == other[2:]


@dataclass(slots=True)
class KeptResponse:
    """A response the cache keeps: when it was made, its start message and body, the store version it was
    asked under, and whether it is exact for that version (False: made from an aggregate being recomputed)."""

    at: float
    start: dict
    body: list[bytes]
    version: tuple
    exact: bool


class ResponseCache:
    """ASGI middleware answering repeated anonymous GETs from memory (see the module's docstring)."""

    def __init__(self, app, web: Web):
        self.app = app
        self.web = web
        self._computing: set[bytes] = set()  # URLs a request (or the refresher) of this process is computing
        self._to_refresh: dict[bytes, dict] = {}  # URLs served out of date while busy, with their request scope
        self._refresher: asyncio.Task | None = None

    def _cacheable(self, scope) -> bool:
        if scope["type"] != "http" or scope["method"] != "GET" or self.web.cache_seconds <= 0:
            return False
        path = scope["path"]
        if path.startswith(("/static/", "/login")):
            return False
        cookie = b"".join(v for k, v in scope["headers"] if k == b"cookie")
        return not (cookie and b"accord_session=" in cookie and b".1." in cookie)

    async def __call__(self, scope, receive, send):
        if not self._cacheable(scope):
            return await self.app(scope, receive, send)
        key = scope["path"].encode() + b"?" + scope.get("query_string", b"")
        hit = self.web.responses.get(key)
        version = self.web.version()
        now = time.monotonic()
        if hit and (now - hit.at < self.web.cache_seconds or (hit.exact and hit.version == version)):
            return await _replay(send, hit, now)
        # the answer as it was before the last ingest (not the last review)
        previous = hit if hit and same_reviews(hit.version, version) else None
        mine = key not in self._computing
        if previous is not None and (not mine or (self._busy() and now - previous.at < STALE_SECONDS)):
            if mine:  # this process is busy computing others: this one waits its turn in the background
                self._refresh_later(key, scope)
            return await _replay(send, previous, now)
        shared, owner = self.web.shared, None
        if shared is not None:  # computed by another worker, or being computed: wait for it
            answer, owner = await _shared_answer_or_claim(shared, key, version, wait=previous is None)
            if answer is not None:
                return await _replay(send, self._kept_answer(key, answer, version), now)
            if owner is None and previous is not None:
                return await _replay(send, previous, now)
        await self._compute(key, scope, receive, send, version, owner)

    async def _compute(self, key: bytes, scope, receive, send, version: tuple, owner: str | None) -> None:
        """Answer the request by running the app, keeping its answer (and sharing it, under `owner`'s claim)."""
        mine = key not in self._computing
        if mine:
            self._computing.add(key)
        captured: dict = {}
        chunks: list[bytes] = []
        stale: list[bool] = []
        to_share: list[Answer] = []

        async def capture(message):
            if message["type"] == "http.response.start":
                captured.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and captured.get("status") == 200:
                    headers = [(k, v) for k, v in captured.get("headers", []) if k.lower() != b"set-cookie"]
                    self._remember(key, {**captured, "headers": headers}, chunks or [b""], version, not stale)
                    if owner is not None and not stale and sum(map(len, chunks)) <= MAX_SHARED_BODY:
                        to_share.append((200, headers, b"".join(chunks)))
            await send(message)

        token = STALE.set(stale)
        try:
            await self.app(scope, receive, capture)
        finally:
            STALE.reset(token)
            if mine:
                self._computing.discard(key)
            if owner is not None:  # the answer for the other workers, and the claim given up, in one write
                self.web.shared.release(key, owner, version, to_share[0] if to_share else None)

    def _busy(self) -> bool:
        """Whether this process is computing answers, for requests or in the background."""
        return bool(self._computing) or (self._refresher is not None and not self._refresher.done())

    def _refresh_later(self, key: bytes, scope) -> None:
        """Have `key` computed again in the background, after the URLs already waiting."""
        if key not in self._to_refresh and len(self._to_refresh) < KEPT:
            self._to_refresh[key] = dict(scope)
        if self._refresher is None or self._refresher.done():
            # a context of its own: not the request's, whose query budget would stop the computation
            context = contextvars.Context()
            context.run(UNWAITED.set, True)
            self._refresher = asyncio.get_running_loop().create_task(self._refresh_all(), context=context)

    async def _refresh_all(self) -> None:
        """Compute again, one at a time, the answers served out of date while this process was busy.

        An answer another worker computed since is taken instead (under the store's version it
        was computed for, which a live ingest has moved on from by now). After each computation
        the refresher pauses as long as it took (`REFRESH_PAUSE`): it never takes more than half a
        core from the requests being answered.
        """
        while self._to_refresh:
            key = next(iter(self._to_refresh))
            scope = self._to_refresh.pop(key)
            version = self.web.version()
            hit = self.web.responses.get(key)
            if key in self._computing or (hit and hit.exact and hit.version == version):
                continue  # being computed, or computed since
            owner = None
            if (shared := self.web.shared) is not None:
                if self._took_newer(key, hit, version):
                    continue
                owner = shared.claim(key)
                if owner is None:  # another worker is computing it
                    continue
            started = time.monotonic()
            with contextlib.suppress(Exception):  # an error is the next request's to see and report
                await self._compute(key, scope, _no_body(), _discard, version, owner)
            await anyio.sleep((time.monotonic() - started) * REFRESH_PAUSE)

    def _took_newer(self, key: bytes, hit: KeptResponse | None, version: tuple) -> bool:
        """Whether another worker's answer for `key`, newer than `hit` and younger than `cache_seconds`, was taken."""
        newest = self.web.shared.newest(key)
        if newest is None:
            return False
        their_version, age, answer = newest
        at = time.monotonic() - age
        if not same_reviews(their_version, version) or age >= self.web.cache_seconds or (hit and at <= hit.at):
            return False
        self._kept_answer(key, answer, their_version, at)
        return True

    def _kept_answer(self, key: bytes, answer: Answer, version: tuple, at: float | None = None) -> KeptResponse:
        """Another worker's `answer`, computed under `version` (at `at`, else just now), kept by this one."""
        status, headers, body = answer
        return self._remember(key, {"type": "http.response.start", "status": status, "headers": headers},
                              [body], version, True, at)

    def _remember(self, key: bytes, start: dict, body: list[bytes], version: tuple, exact: bool,
                  at: float | None = None) -> KeptResponse:
        if len(self.web.responses) > KEPT:
            self.web.responses.clear()
        kept = self.web.responses[key] = KeptResponse(time.monotonic() if at is None else at, start, body, version,
                                                      exact)
        return kept


async def _replay(send, kept: KeptResponse, now: float) -> None:
    """Send a kept response, with its age: the whole seconds since it was computed (HTTP's Age header), which
    is how far behind the store it may be."""
    await send({**kept.start, "headers": [*kept.start["headers"], (b"age", b"%d" % max(0, now - kept.at))]})
    last = len(kept.body) - 1
    for i, chunk in enumerate(kept.body):
        await send({"type": "http.response.body", "body": chunk, "more_body": i < last})


def _no_body():
    """The `receive` of a background computation: an empty request body, then nothing until it is cancelled."""
    sent = False

    async def receive() -> dict:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # a listener for the client going away: cancelled with the response
        return {"type": "http.disconnect"}

    return receive


async def _discard(message: dict) -> None:
    """Where a background computation's response goes: only into the cache."""


async def _shared_answer_or_claim(shared: SharedAnswers, key: bytes, version: tuple,
                                  wait: bool = True) -> tuple[Answer | None, str | None]:
    """Another worker's answer for `key` (waiting while one computes it), else this request's claim on computing it.

    (None, None) when the request that held the claim ended without an answer to share (an
    error, or a page made from an aggregate being recomputed): compute, without a claim; and
    at once, without `wait`, when another request holds the claim.
    """
    answer = shared.answer(key, version)
    if answer is not None:
        return answer, None
    owner = shared.claim(key)
    if owner is not None or not wait:
        return None, owner
    deadline = time.monotonic() + WAIT_SECONDS
    pause = 0.002
    while time.monotonic() < deadline:
        await anyio.sleep(pause)
        answer = shared.answer(key, version)
        if answer is not None or not shared.claimed(key):
            return answer, None
        pause = min(2 * pause, 0.02)
    return None, None

