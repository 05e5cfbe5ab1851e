"""Shared fixtures: where the shared evaluation files are, a CLI runner, and an HTTP client of the
module's `server`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
SEEDS_GOLD = SHARED / "eval" / "seeds.gold.jsonl"
SCORER = SHARED / "eval" / "score.py"
DEV = ROOT / "corpus" / "dev"
DEV_GOLD = DEV / "gold.jsonl"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    return SEEDS


@pytest.fixture
def client(server) -> Iterator[httpx.Client]:
    """A client of the `server` fixture the test module defines."""
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c
