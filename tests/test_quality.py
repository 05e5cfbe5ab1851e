"""Quality gates: the figures of the shared scorer on the seeds and on our development corpus.

Floors are pinned in quality_floors.json beside this file; a change that drops below them fails.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.evaluation import evaluate
from accord.formats import document_record
from accord.pipeline import processed_stream
from conftest import DEV, SEEDS_GOLD

FLOORS = json.loads((Path(__file__).with_name("quality_floors.json")).read_text())


def figures(gold_path: Path, inputs: Path) -> dict:
    gold = {g["doc"]: g for g in map(json.loads, gold_path.read_text().splitlines()) if g}
    pred = {p.clean.doc: document_record(p.clean, p.extraction)
            for p in processed_stream([str(inputs)]) if hasattr(p, "clean")}
    return evaluate(gold, pred)[0]


def test_seeds_meet_the_floors(seeds):
    result = figures(SEEDS_GOLD, seeds)
    floors = FLOORS["seeds"]
    assert result["events"]["f1"] >= floors["events_f1"], result["events"]
    assert result["countries"]["f1"] >= floors["countries_f1"], result["countries"]
    for key in ("relevance_accuracy", "published_accuracy", "title_accuracy"):
        assert result[key] >= floors[key], (key, result[key])


HELDOUT = DEV.parent / "heldout"
HELDOUT2 = DEV.parent / "heldout2"


@pytest.mark.parametrize("name, corpus", [("dev", DEV), ("heldout", HELDOUT), ("heldout2", HELDOUT2)])
def test_our_corpora_meet_the_floors(name: str, corpus: Path):
    """The development corpus (tuned on) and the held-out one (only ever measured, never tuned on)."""
    gold = corpus / "gold.jsonl"
    if not gold.exists():
        pytest.skip(f"no {name} gold")
    result = figures(gold, corpus)
    floors = FLOORS[name]
    assert result["documents"] >= floors["documents"]
    required = result["events"]["tp"] + result["events"]["fn"]
    assert required >= floors["required_events"]
    assert result["events"]["f1"] >= floors["events_f1"], result["events"]
    assert result["countries"]["f1"] >= floors["countries_f1"], result["countries"]
    for key in ("relevance_accuracy", "published_accuracy", "title_accuracy"):
        assert result[key] >= floors[key], (key, result[key])
