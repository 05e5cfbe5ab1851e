"""Readable data files: the knowledge Accord ships (aliases, verbs, terms) plus the user's own.

Every table lives in `accord/data/` as tab-separated text. A user adds rows without
touching code by putting a file of the same name in the folder named by $ACCORD_DATA_DIR.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path


def data_lines(name: str) -> list[list[str]]:
    """The tab-separated rows of a data file: the packaged one, then the user's file of the
    same name in $ACCORD_DATA_DIR if there is one (its rows add to the packaged ones)."""
    texts = [resources.files("accord").joinpath("data").joinpath(name).read_text(encoding="utf-8")]
    extra = Path(os.environ.get("ACCORD_DATA_DIR", "")) / name
    if os.environ.get("ACCORD_DATA_DIR") and extra.is_file():
        texts.append(extra.read_text(encoding="utf-8"))
    return [line.rstrip("\n").split("\t") for text in texts for line in text.splitlines()
            if line.strip() and not line.startswith("#")]
