"""Which files of the inputs a batch run reads: one shard per file, in a stable order."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

SHARD_SUFFIXES = (".warc.gz", ".warc", ".jsonl", ".jsonl.gz", ".txt", ".html", ".htm")
"""The file kinds a shard may be; folders are searched for these."""


def is_shard(path: Path) -> bool:
    """True for a file whose name ends in one of SHARD_SUFFIXES."""
    return path.is_file() and path.name.lower().endswith(SHARD_SUFFIXES) and not path.name.startswith(".")


def shard_paths(inputs: Iterable[str]) -> list[Path]:
    """The shard files named by `inputs` (files, or folders searched recursively, sorted by path),
    in the order given; a missing input raises FileNotFoundError naming it."""
    shards: list[Path] = []
    for name in inputs:
        path = Path(name)
        if path.is_dir():
            shards += sorted(p for p in path.rglob("*") if is_shard(p))
        elif path.is_file():
            shards.append(path)
        else:
            raise FileNotFoundError(f"{name}: no such file or folder")
    return shards
