"""A cap on the time one document may take, so that one pathological page cannot stall a run.

Cleaning HTML costs about 3 s a megabyte, and a hostile page can cost far more. The cap
is an interval timer of the process (`signal.setitimer`, SIGALRM) whose handler raises
`TimeLimitExceeded` in whatever code is running; the document then fails with a
one-line reason and the run goes on with the next. `TimeLimitExceeded` is not an
`Exception`, so the `except Exception` blocks of the libraries the stages call cannot
swallow it. It surfaces at the next Python instruction (a regular-expression match
checks for it as it goes): a single long call into C, such as one libxml2 parse,
finishes first. Python drops an exception raised where it cannot propagate (a garbage
collector callback, a `__del__`, a weakref callback) after printing it, and a careless
library may catch even a BaseException once: so the timer fires again every
RETRY_SECONDS until the block ends, and the handler lets a firing inside a collector
callback pass (the next one raises). Timers belong to the main thread of a process; in
any other thread (a web server's, say) documents run without a cap.
"""

from __future__ import annotations

import gc
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

DEFAULT_MAX_SECONDS = 30.0
"""The time one document may take by default: a hundred times what a large news page takes."""

RETRY_SECONDS = 0.05
"""How often the timer fires again once a block is over its time, until the block ends."""


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

    def expired(signum: int, frame: FrameType | None) -> None:
        if not in_gc_callback(frame):
            raise TimeLimitExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, max(seconds - spent, 1e-3), RETRY_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def in_gc_callback(frame: FrameType | None) -> bool:
    """True when `frame` runs inside a garbage collector callback (`gc.callbacks`), where an
    exception would be printed and dropped."""
    codes = {code for code in (getattr(c, "__code__", None) for c in gc.callbacks) if code is not None}
    while codes and frame is not None:
        if frame.f_code in codes:
            return True
        frame = frame.f_back
    return False
