"""The input files of a folder: walked recursively in sorted order, skipping what is hidden or ignored.

Only files with a known input extension are taken. A `.accordignore` file in a folder
lists glob patterns (one a line, `#` comments) of entries to skip there: a pattern without
"/" matches names in that folder, one with "/" matches paths relative to it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path

from accord.records import ReadFailure
from accord.sources.formats import extension_format

IGNORE_FILE = ".accordignore"


def ignore_patterns(folder: Path) -> list[str]:
    """The glob patterns of `folder`'s ignore file (none when it has none or it is unreadable)."""
    try:
        lines = (folder / IGNORE_FILE).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _ignored(path: Path, rules: list[tuple[Path, list[str]]]) -> bool:
    """True when a pattern of this folder (by name) or of an ancestor (by relative path) matches."""
    for base, patterns in rules:
        relative = path.relative_to(base).as_posix()
        for pattern in (p.strip("/") for p in patterns):
            if "/" in pattern:
                if fnmatch(relative, pattern):
                    return True
            elif base == path.parent and fnmatch(path.name, pattern):
                return True
    return False


def input_files(folder: Path) -> Iterator[Path | ReadFailure]:
    """The input files under `folder`, lazily, in sorted order; unreadable sub-folders as failures."""
    yield from _walk(folder, [], set())


def _walk(folder: Path, rules: list[tuple[Path, list[str]]], seen: set[Path]) -> Iterator[Path | ReadFailure]:
    """The input files of one folder and its sub-folders (symlink loops are walked once)."""
    real = folder.resolve()
    if real in seen:
        return
    seen.add(real)
    try:
        with os.scandir(folder) as scan:
            entries = sorted((e.name, e.is_dir()) for e in scan if not e.name.startswith("."))
    except OSError as err:
        yield ReadFailure(str(folder), f"folder cannot be read: {err.strerror or err}")
        return
    if patterns := ignore_patterns(folder):
        rules = [*rules, (folder, patterns)]
    for name, is_dir in entries:
        path = folder / name
        if _ignored(path, rules):
            continue
        if is_dir:
            yield from _walk(path, rules, seen)
        elif extension_format(name):
            yield path
