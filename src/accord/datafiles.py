"""Readable data files: the knowledge Accord ships (aliases, verbs, terms, patterns) plus the user's own.

Every table lives in `accord/data/`. A user adds rows without touching code by putting a
file of the same name in the folder named by $ACCORD_DATA_DIR: its rows add to the packaged
ones. This module is the one place that reads them, so every loader honours the variable.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

DATA_DIR_VARIABLE = "ACCORD_DATA_DIR"


def user_dir() -> Path | None:
    """The user's data folder ($ACCORD_DATA_DIR), if set."""
    value = os.environ.get(DATA_DIR_VARIABLE)
    return Path(value) if value else None


def data_texts(name: str) -> Iterator[tuple[str, str]]:
    """(source label, text) of the packaged file `name`, then of the user's file of that name if any."""
    packaged = resources.files("accord").joinpath("data").joinpath(name)
    yield f"accord/data/{name}", packaged.read_text(encoding="utf-8")
    folder = user_dir()
    if folder is not None and (folder / name).is_file():
        yield str(folder / name), (folder / name).read_text(encoding="utf-8")


def data_folder_texts(folder: str, suffix: str) -> Iterator[tuple[str, str]]:
    """(source label, text) of every `*suffix` file of the packaged folder `folder` (by name),
    then of the user's folder of that name."""
    packaged = resources.files("accord").joinpath("data").joinpath(folder)
    for entry in sorted((e for e in packaged.iterdir() if e.name.endswith(suffix)), key=lambda e: e.name):
        yield f"accord/data/{folder}/{entry.name}", entry.read_text(encoding="utf-8")
    extra = user_dir()
    if extra is not None and (extra / folder).is_dir():
        for path in sorted((extra / folder).glob(f"*{suffix}")):
            yield str(path), path.read_text(encoding="utf-8")


def data_lines(name: str) -> list[list[str]]:
    """The tab-separated rows of a data file, packaged and user's, without comments and blank lines."""
    return [line.rstrip("\n").split("\t") for _, text in data_texts(name) for line in text.splitlines()
            if line.strip() and not line.startswith("#")]
