"""The input files of a folder: walked recursively in sorted order, skipping what is hidden or ignored.

Only files with a known input extension are taken. A `.accordignore` file in a folder
lists glob patterns (one a line, `#` comments) of entries to skip there: a pattern without
"/" matches names in that folder, one with "/" matches paths relative to it.

A folder may come from anywhere (an unpacked archive, say), so the walk does not follow a
symbolic link out of the folder it was given (one to /etc/passwd would put that file in
the store), and a pipe, device or socket with an input's name is refused rather than
opened (opening a pipe blocks until someone writes to it).
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
    yield from _walk(folder, folder.resolve(), [], set())


def _entry_kind(entry: os.DirEntry, root: Path) -> str:
    """"dir", "file", "outside" (a link out of `root`), "broken" (a dangling link) or "special"."""
    try:
        if entry.is_symlink():
            target = Path(entry.path).resolve()
            if not target.exists():
                return "broken"
            if not target.is_relative_to(root):
                return "outside"
        if entry.is_dir():
            return "dir"
        return "file" if entry.is_file() else "special"
    except (OSError, RuntimeError):
        return "broken"


_REFUSED = {
    "outside": "symbolic link to a file outside the folder (not followed)",
    "broken": "broken symbolic link",
    "special": "not a regular file (a pipe, device or socket)",
}


def _walk(folder: Path, root: Path, rules: list[tuple[Path, list[str]]],
          seen: set[Path]) -> Iterator[Path | ReadFailure]:
    """The input files of one folder and its sub-folders (symlink loops are walked once)."""
    real = folder.resolve()
    if real in seen:
        return
    seen.add(real)
    try:
        with os.scandir(folder) as scan:
            entries = sorted((e.name, _entry_kind(e, root)) for e in scan if not e.name.startswith("."))
    except OSError as err:
        yield ReadFailure(str(folder), f"folder cannot be read: {err.strerror or err}")
        return
    if patterns := ignore_patterns(folder):
        rules = [*rules, (folder, patterns)]
    for name, kind in entries:
        path = folder / name
        if _ignored(path, rules):
            continue
        if kind == "dir":
            yield from _walk(path, root, rules, seen)
        elif kind == "outside" and path.is_dir():
            yield ReadFailure(str(path), "symbolic link to a folder outside the folder (not followed)")
        elif not extension_format(name):
            continue
        elif kind == "file":
            yield path
        else:
            yield ReadFailure(str(path), _REFUSED[kind])
