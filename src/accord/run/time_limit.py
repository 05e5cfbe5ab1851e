"""A cap on the time one document may take, so that one pathological page cannot stall a run.

Cleaning HTML costs about 3 s a megabyte, and a hostile page can cost far more. The cap
is an interval timer of the process (`signal.setitimer`, SIGALRM) whose handler raises
`TimeLimitExceeded` in whatever code is running; the document then fails with a
one-line reason and the run goes on with the next. `TimeLimitExceeded` is not an
`Exception`, so the `except Exception` blocks of the libraries the stages call cannot
swallow it. It surfaces at the next Python instruction (a regular-expression match
checks for it as it goes): a single long call into C, such as one libxml2 parse,
finishes first. Timers belong to the main thread of a process; in any other thread
(a web server's, say) documents run without a cap.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

DEFAULT_MAX_SECONDS = 30.0
"""The time one document may take by default: a hundred times what a large news page takes."""


class TimeLimitExceeded(BaseException):
    """A document took longer than its time limit; the message says in which stage."""

    def __init__(self, seconds: float, stage: str = "cleaning"):
        super().__init__(f"{stage} took longer than {seconds:g} s (time limit)")
        self.seconds = seconds
        self.stage = stage


def can_limit_time() -> bool:
    """True where a time limit can be set: the main thread, on a system with interval timers."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None, spent: float = 0.0) -> Iterator[None]:
    """Raise TimeLimitExceeded in the block once it has run `seconds` (None or 0: no limit),
    less `spent` (what the same document used in an earlier block: the limit is per document)."""
    if not seconds or seconds <= 0 or not can_limit_time():
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise TimeLimitExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, max(seconds - spent, 1e-3))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
