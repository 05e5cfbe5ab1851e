"""Imported by the fork server of a worker pool (accord.run.parallel): it loads the stages'
models (the spaCy pipeline, the language model, compiled term lists) once, so that every
worker forked from it starts with them loaded and shares their memory pages instead of
spending seconds loading its own copy. A failure is left to each worker's initializer,
which loads them again and so reports it."""

from __future__ import annotations

import contextlib

from accord.pipeline import warm_up

with contextlib.suppress(Exception):
    warm_up()
