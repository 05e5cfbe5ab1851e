"""The Accord web application: a JSON API under /api and server-rendered pages over one store.

`create_app` builds a FastAPI app; `accord serve` runs it under uvicorn. Every response
carries a Content-Security-Policy that allows scripts, styles and data only from this
server, so the pages run no inline script and load nothing from elsewhere: the chart,
map and API-docs packages are installed from npm into web/node_modules by
scripts/setup-web and served here under /static/vendor/. Each request has a query budget
and a body cap (accord.web.limits); SECURITY.md at the repository root has the threat model.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

from accord.store.database import Store
from accord.web.errors import install_error_handlers
from accord.web.limits import (
    DEFAULT_MAX_BODY,
    DEFAULT_QUERY_BUDGET,
    DEFAULT_REQUEST_THREADS,
    MAX_BODY_ENV,
    QUERY_BUDGET_ENV,
    REQUEST_THREADS_ENV,
    RequestScope,
    env_number,
    install_budget,
    is_interrupted,
)
from accord.web.search import search_index_ready
from accord.web.security import Guard
from accord.web.shared_answers import ANSWERS_ENV, WAIT_SECONDS, Answer, SharedAnswers

HERE = Path(__file__).resolve().parent
VENDOR_FILES: dict[str, str] = {
    "d3.min.js": "d3/dist/d3.min.js",
    "topojson-client.min.js": "topojson-client/dist/topojson-client.min.js",
    "countries-110m.json": "world-atlas/countries-110m.json",
    "swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
}
"""What /static/vendor/NAME serves, relative to web/node_modules."""

MAX_SHARED_BODY = 4 << 20
"""Answers larger than this (long CSV downloads) are not shared between workers, only kept by each."""

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


_STALE: contextvars.ContextVar[list[bool] | None] = contextvars.ContextVar("accord_stale_answer", default=None)
"""Within a request the ResponseCache watches: a list `Web.cached` appends to when it answers with a value
computed before the store's last change (while its successor is being computed)."""


def vendor_dir() -> Path:
    """Where the npm packages are: $ACCORD_WEB_VENDOR, else web/node_modules of this checkout."""
    env = os.environ.get("ACCORD_WEB_VENDOR")
    return Path(env) if env else HERE.parents[2] / "web" / "node_modules"


class Web:
    """What every request shares: the store path, one read connection per thread, a short cache, the guard."""

    def __init__(self, db: Path, token: str | None, cache_seconds: float = 5.0, session_salt: str | None = None,
                 query_budget: float = 0.0, shared: SharedAnswers | None = None):
        self.db = Path(db)
        self.shared = shared  # the answers of the other workers of this server, if it has several
        self.guard = Guard(token, session_salt)
        self.cache_seconds = cache_seconds
        self._local = threading.local()
        self._cache: dict[tuple, tuple[tuple, Any]] = {}
        self._lock = threading.Lock()
        self._computing: dict[tuple, threading.Lock] = {}  # keys being computed, each with its gate
        self.responses: dict[bytes, tuple[float, dict, list[bytes], tuple | None]] = {}
        self._refresher = threading.Semaphore(1)
        # one computation of a missed answer at a time in this process: many threads computing
        # side by side (each request in its own) contend for the GIL and SQLite, and took five
        # times the CPU (100 country pages in 40 threads: 15.9 CPU s, against 3.2 one at a time)
        self._computing_one = threading.Semaphore(1)
        self._version: tuple[float, tuple] = (-1.0, ())
        self.query_budget = query_budget

    def store(self) -> Store:
        """This thread's Store (opened once per thread; the store is in WAL mode so readers never block)."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.db)
            if self.query_budget > 0:
                install_budget(store.conn)  # a request's statements stop once its query budget is spent
            self._local.store = store
        return store

    @property
    def conn(self) -> sqlite3.Connection:
        return self.store().conn

    def version(self) -> tuple:
        """A fingerprint of the store's content that changes when an ingest or a review writes to it.

        Newest event id, newest document and newest correction: three index look-ups, taken at
        most once a second. (Deleting rows is not something Accord does.)
        """
        now = time.monotonic()
        if now - self._version[0] >= 1.0:
            conn = self.conn
            newest = [conn.execute(f"SELECT max({col}) FROM {table}").fetchone()[0]
                      for table, col in (("events", "id"), ("documents", "rowid"))]
            with contextlib.suppress(sqlite3.OperationalError):  # a store without the analyze stage's tables
                newest.append(conn.execute("SELECT max(id) FROM corrections").fetchone()[0])
            self._version = (now, tuple(newest))
        return self._version[1]

    def cached(self, key: tuple, compute: Callable[[], Any]) -> Any:
        """`compute()`, remembered while the store is unchanged (checked by `version`).

        After an ingest the old value is still answered at once while one background thread
        computes its successor (stale-while-revalidate), so no request waits for an analysis
        over a million events except the very first of each kind; after a review the value is
        recomputed before answering. Should the computation run past the request's query
        budget, it goes on in a background thread (which has no budget), so that asking again
        a little later finds the answer ready. Requests that miss the same key at once wait for
        one computation and share its value, rather than each computing it; those that miss
        different keys take turns, one computation at a time in a process.
        """
        if self.cache_seconds <= 0:
            return compute()
        version = self.version()
        hit = self._cache.get(key)
        if hit is None or hit[0][2:] != version[2:]:  # a review is shown at once, by every worker
            with self._lock:
                gate = self._computing.setdefault(key, threading.Lock())
            try:
                with gate:
                    hit = self._cache.get(key)
                    if hit is None or hit[0][2:] != version[2:]:  # nobody computed it while this one waited
                        return self._computed(key, version, compute)
            finally:
                with self._lock:
                    if self._computing.get(key) is gate:
                        del self._computing[key]
        if hit[0] != version and (stale := _STALE.get()) is not None:
            stale.append(True)  # a response made of this value must not outlive the refresh
        if hit[0] != version and self._refresher.acquire(blocking=False):
            # one refresh at a time per process: stale answers are fine, a pile of recomputations is not
            threading.Thread(target=self._refresh, args=(key, version, compute), daemon=True).start()
        return hit[1]

    def _computed(self, key: tuple, version: tuple, compute: Callable[[], Any]) -> Any:
        """`compute()`, remembered; past the query budget, left to finish in the background."""
        try:
            with self._computing_one:
                value = compute()
        except sqlite3.OperationalError as e:
            if is_interrupted(e) and self._refresher.acquire(blocking=False):
                threading.Thread(target=self._refresh, args=(key, version, compute), daemon=True).start()
            raise
        self._remember(key, version, value)
        return value

    def _remember(self, key: tuple, version: tuple, value: Any) -> None:
        with self._lock:
            self._cache.pop(key, None)
            self._cache[key] = (version, value)
            while len(self._cache) > 1024:  # forget the least recently computed
                self._cache.pop(next(iter(self._cache)))

    def _refresh(self, key: tuple, version: tuple, compute: Callable[[], Any]) -> None:
        try:
            self._remember(key, version, compute())
        except sqlite3.Error:
            pass  # a store that changes shape under the server: the next request computes again
        finally:
            self._refresher.release()

    def forget(self) -> None:
        """Drop cached results (after a write)."""
        with self._lock:
            self._cache.clear()
            self.responses.clear()
            self._version = (-1.0, ())


class ResponseCache:
    """ASGI middleware answering repeated anonymous GETs from memory.

    The store changes only when an ingest runs or a reviewer writes, so a page or API answer
    a few seconds old is as good as a fresh one. An answer is served from memory for
    `cache_seconds`; past that it is revalidated: served again while the store's version
    (`Web.version`, looked up at most once a second) is still the one it was computed under,
    else computed anew. So a busy server computes each URL once per change of the store, not
    once per interval, and answers what changed within a second or so. After an ingest, the
    request that finds an answer out of date computes its successor while those asking for it
    meanwhile are given the previous one (after a review, all wait for the new one). With
    several workers, the answers are shared (accord.web.shared_answers). An answer made from an
    aggregate that was being recomputed (stale-while-revalidate in `Web.cached`) is kept for
    `cache_seconds` only. Signed-in reviewers (who see forms with their CSRF token), /login
    and anything but a 200 are never cached; a review clears the cache.
    """

    def __init__(self, app, web: Web):
        self.app = app
        self.web = web
        self._computing: set[bytes] = set()  # URLs a request of this process is computing

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
        if hit and (time.monotonic() - hit[0] < self.web.cache_seconds or hit[3] == version):
            return await _replay(send, hit[1], hit[2])
        # the answer as it was before the last ingest (not the last review): while one request
        # computes its successor, the others are given it rather than waiting
        previous = hit if hit and hit[3] is not None and hit[3][2:] == version[2:] else None
        mine = key not in self._computing
        if not mine and previous is not None:
            return await _replay(send, previous[1], previous[2])
        shared, owner = self.web.shared, None
        if shared is not None:  # computed by another worker, or being computed: wait for it
            answer, owner = await _shared_answer_or_claim(shared, key, version, wait=previous is None)
            if answer is not None:
                status, headers, body = answer
                start = {"type": "http.response.start", "status": status, "headers": headers}
                self._remember(key, start, [body], version)
                return await _replay(send, start, [body])
            if owner is None and previous is not None:
                return await _replay(send, previous[1], previous[2])
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
                    self._remember(key, {**captured, "headers": headers}, chunks or [b""], None if stale else version)
                    if owner is not None and not stale and sum(map(len, chunks)) <= MAX_SHARED_BODY:
                        to_share.append((200, headers, b"".join(chunks)))
            await send(message)

        token = _STALE.set(stale)
        try:
            await self.app(scope, receive, capture)
        finally:
            _STALE.reset(token)
            if mine:
                self._computing.discard(key)
            if owner is not None:  # the answer for the other workers, and the claim given up, in one write
                shared.release(key, owner, version, to_share[0] if to_share else None)

    def _remember(self, key: bytes, start: dict, body: list[bytes], version: tuple | None) -> None:
        if len(self.web.responses) > 4096:
            self.web.responses.clear()
        self.web.responses[key] = (time.monotonic(), start, body, version)


async def _replay(send, start: dict, body: list[bytes]) -> None:
    """Send a remembered response."""
    await send({**start, "headers": list(start["headers"])})
    for i, chunk in enumerate(body):
        await send({"type": "http.response.body", "body": chunk, "more_body": i < len(body) - 1})


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


class SecurityHeaders:
    """ASGI middleware adding the CSP and related headers to every HTTP response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                names = {k.lower() for k, _ in message["headers"]}
                message["headers"] += [(k, v) for k, v in SECURITY_HEADERS if k not in names]
            await send(message)

        await self.app(scope, receive, send_with_headers)


@contextlib.asynccontextmanager
async def _few_threads(app: FastAPI) -> AsyncIterator[None]:
    """At start, let the worker run only $ACCORD_REQUEST_THREADS requests at once in threads."""
    threads = int(env_number(REQUEST_THREADS_ENV, DEFAULT_REQUEST_THREADS))
    anyio.to_thread.current_default_thread_limiter().total_tokens = max(1, threads)
    yield


def ready_store(db: Path, reindex: bool = False) -> None:
    """Open (create or migrate) the store at `db` and ready its full-text index, before serving it."""
    with Store(db) as store:
        search_index_ready(store.conn, reindex=reindex)


def create_app(db: str | Path, token: str | None = None, reindex: bool = False,
               cache_seconds: float = 5.0, session_salt: str | None = None,
               query_budget: float | None = None, max_body: int | None = None,
               shared_answers: Path | None = None) -> FastAPI:
    """The web app over the store at `db` (created if missing); `token` enables writes.

    `session_salt`, shared by the worker processes of one server, lets each of them verify
    the session cookies the others signed, and `shared_answers` (a file made by
    `shared_answers.create_answers_file`) lets each serve the answers the others computed.
    `query_budget` (seconds a request may run before its statement is stopped, 0 for none) and
    `max_body` (bytes of request body) default to $ACCORD_QUERY_BUDGET and $ACCORD_MAX_BODY,
    else 10 s and 64 KiB.
    """
    if query_budget is None:
        query_budget = env_number(QUERY_BUDGET_ENV, DEFAULT_QUERY_BUDGET)
    if max_body is None:
        max_body = int(env_number(MAX_BODY_ENV, DEFAULT_MAX_BODY))
    shared = SharedAnswers(shared_answers) if shared_answers and cache_seconds > 0 else None
    web = Web(Path(db), token, cache_seconds, session_salt, query_budget, shared)
    ready_store(web.db, reindex)
    app = FastAPI(
        title="Accord API",
        description="Who did what to which AI-governance instrument, when, according to which sentence. "
                    "Reads are public; writes need `Authorization: Bearer <token>`.",
        version="1",
        docs_url=None, redoc_url=None, openapi_url="/api/openapi.json", max_body_size=max_body,
        lifespan=_few_threads,
    )
    app.state.web = web
    app.add_middleware(ResponseCache, web=web)
    app.add_middleware(RequestScope, budget=query_budget)
    app.add_middleware(SecurityHeaders)
    install_error_handlers(app)
    # StaticFiles resolves every path and serves only what lies inside the folder (no '..', no symlink out)
    app.mount("/static/own", StaticFiles(directory=HERE / "static", follow_symlink=False), name="static")

    @app.get("/static/vendor/{name}", include_in_schema=False)
    def vendor(name: str) -> FileResponse:
        rel = VENDOR_FILES.get(name)
        path = vendor_dir() / rel if rel else None
        if path is None or not path.is_file():
            raise HTTPException(404, f"{name}: not installed (run scripts/setup-web)")
        return FileResponse(path, headers={"cache-control": "public, max-age=86400"})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        """The icon, for clients that ask for it where browsers used to (pages link it under /static/own)."""
        return FileResponse(HERE / "static" / "favicon.svg", media_type="image/svg+xml",
                            headers={"cache-control": "public, max-age=86400"})

    @app.get("/api/docs", include_in_schema=False, response_class=HTMLResponse)
    def api_docs() -> HTMLResponse:
        return HTMLResponse((HERE / "static" / "apidocs.html").read_text(encoding="utf-8"))

    from accord.web.api import router as api_router
    from accord.web.api import warm
    from accord.web.pages import router as page_router

    app.include_router(api_router)
    app.include_router(page_router)
    if web.cache_seconds > 0:
        threading.Thread(target=warm, args=(web,), daemon=True).start()
    return app


def app_from_env() -> FastAPI:
    """The app as `accord serve --workers N` starts it in each worker: settings from ACCORD_WEB_* variables."""
    return create_app(os.environ["ACCORD_WEB_DB"], token=os.environ.get("ACCORD_TOKEN") or None,
                      cache_seconds=float(os.environ.get("ACCORD_WEB_CACHE", "5")),
                      session_salt=os.environ.get("ACCORD_WEB_SALT"),
                      shared_answers=Path(os.environ[ANSWERS_ENV]) if os.environ.get(ANSWERS_ENV) else None)
