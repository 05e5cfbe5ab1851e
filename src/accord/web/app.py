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
from accord.web.response_cache import STALE, UNWAITED, KeptResponse, ResponseCache, same_reviews
from accord.web.search import search_index_ready
from accord.web.security import Guard
from accord.web.shared_answers import ANSWERS_ENV, SharedAnswers

HERE = Path(__file__).resolve().parent
VENDOR_FILES: dict[str, str] = {
    "d3.min.js": "d3/dist/d3.min.js",
    "topojson-client.min.js": "topojson-client/dist/topojson-client.min.js",
    "countries-110m.json": "world-atlas/countries-110m.json",
    "swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
}
"""What /static/vendor/NAME serves, relative to web/node_modules."""

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


def vendor_dir() -> Path:
    """Where the npm packages are: $ACCORD_WEB_VENDOR, else web/node_modules of this checkout."""
    env = os.environ.get("ACCORD_WEB_VENDOR")
    return Path(env) if env else HERE.parents[2] / "web" / "node_modules"


def _must_compute(hit: tuple[tuple, Any] | None, version: tuple) -> bool:
    """Whether a remembered (version, value) must be computed again before answering: there is none, or it was
    made before the last review (shown at once, by every worker), or before the last ingest and the answer is
    made in the background (response_cache.UNWAITED)."""
    return hit is None or not same_reviews(hit[0], version) or (hit[0] != version and UNWAITED.get())


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
        self.responses: dict[bytes, KeptResponse] = {}  # kept by the ResponseCache
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
        different keys take turns, one computation at a time in a process. An answer the
        response cache computes in the background (which nobody waits for) is made of values
        computed anew, so that it is up to date.
        """
        if self.cache_seconds <= 0:
            return compute()
        version = self.version()
        hit = self._cache.get(key)
        if _must_compute(hit, version):
            with self._lock:
                gate = self._computing.setdefault(key, threading.Lock())
            try:
                with gate:
                    hit = self._cache.get(key)
                    if _must_compute(hit, version):  # nobody computed it while this one waited
                        return self._computed(key, version, compute)
            finally:
                with self._lock:
                    if self._computing.get(key) is gate:
                        del self._computing[key]
        if hit[0] != version and (stale := STALE.get()) is not None:
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
