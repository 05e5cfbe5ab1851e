"""Caps on what one request may cost the server: SQLite work (the query budget) and body size.

The query budget is the wall-clock seconds a request may run before the SQLite statement
it is running is stopped. Every read connection of the web app carries a progress handler
(`install_budget`) that SQLite calls every PROGRESS_STEPS virtual-machine steps of a
statement; once the request is past its budget the handler makes SQLite stop, which raises
`sqlite3.OperationalError: interrupted`, and accord.web.errors turns that into a 503 with a
JSON (or HTML) message and Retry-After instead of a traceback. The clock, started by the
`RequestScope` middleware when the request arrives, lives in a context variable that the
worker thread running a sync endpoint inherits; background threads (cache refreshes) have
no clock and no budget.

The handler must take the GIL each time it runs, and under concurrent requests taking it
can wait a whole thread-switch interval (5 ms): called every few hundred steps it made a
25 ms statement take 2.4 s beside three busy threads. PROGRESS_STEPS is therefore large,
some milliseconds of SQLite work between two looks at the clock, which is fine-grained
enough for a budget of seconds. Statements shorter than that are never looked at: the
budget stops long statements, the pathological ones, not requests made of many quick ones.

Full-text matching is the exception: FTS5 does its work inside a few steps (a search for
common words over long articles ran 1.9 s in 4,000 steps), so the handler would never see
it. Such statements run inside `watched`, where a timer calls `sqlite3_interrupt` on the
connection at the request's deadline (a no-op if the statement has already finished).

Bodies larger than `ACCORD_MAX_BODY` bytes are refused with 413 by FastAPI's own body
limit, which `create_app` configures.
"""

from __future__ import annotations

import contextvars
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

QUERY_BUDGET_ENV = "ACCORD_QUERY_BUDGET"
DEFAULT_QUERY_BUDGET = 10.0
"""Seconds a request may run before its statement is stopped (0: unlimited): a hundred times the
p95 latency the dashboard aims at, so only a pathological query reaches it."""
MAX_BODY_ENV = "ACCORD_MAX_BODY"
DEFAULT_MAX_BODY = 64 * 1024
"""Bytes a request body may have (a review is well under 4 KiB)."""
REQUEST_THREADS_ENV = "ACCORD_REQUEST_THREADS"
DEFAULT_REQUEST_THREADS = 4
"""Requests a worker process runs at once in threads (those its response cache cannot answer):
others wait their turn. Forty threads (the framework's default) running requests side by side
contend for the GIL and SQLite and spend several times the CPU on the same answers."""
PROGRESS_STEPS = 100_000
"""SQLite virtual-machine steps between two looks at the clock (about 5 ms of SQLite work)."""


def env_number(name: str, default: float) -> float:
    """A non-negative number from the environment, or `default` when unset or not a number."""
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value >= 0 else default


@dataclass
class _Clock:
    """The budget of one request: when it must be over."""

    deadline: float

    def over(self) -> bool:
        return time.monotonic() > self.deadline


_CLOCK: contextvars.ContextVar[_Clock | None] = contextvars.ContextVar("accord_query_clock", default=None)


def _progress() -> int:
    """SQLite's progress callback: non-zero stops the running statement."""
    clock = _CLOCK.get()
    return 1 if clock is not None and clock.over() else 0


def install_budget(conn: sqlite3.Connection) -> None:
    """Make `conn` stop any statement that runs past its request's budget."""
    conn.set_progress_handler(_progress, PROGRESS_STEPS)


def start_clock(budget: float) -> contextvars.Token | None:
    """Give the current context (one request) `budget` seconds from now; None when the budget is unlimited."""
    return _CLOCK.set(_Clock(time.monotonic() + budget)) if budget > 0 else None


@contextmanager
def watched(conn: sqlite3.Connection) -> Iterator[None]:
    """Within the block, stop `conn`'s statement at the request's deadline even between two looks of the
    progress handler (for full-text statements, whose few steps are slow); nothing without a budget."""
    clock = _CLOCK.get()
    if clock is None:
        yield
        return
    timer = threading.Timer(max(0.0, clock.deadline - time.monotonic()), conn.interrupt)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def is_interrupted(exc: BaseException) -> bool:
    """Whether `exc` is SQLite stopping a statement (the query budget ran out)."""
    return isinstance(exc, sqlite3.OperationalError) and "interrupted" in str(exc)


def is_busy(exc: BaseException) -> bool:
    """Whether `exc` is SQLite's 'database is locked' (or busy) error."""
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


class RequestScope:
    """ASGI middleware giving each HTTP request its own query-budget clock."""

    def __init__(self, app, budget: float):
        self.app = app
        self.budget = budget

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        token = start_clock(self.budget)
        try:
            await self.app(scope, receive, send)
        finally:
            if token is not None:
                _CLOCK.reset(token)
