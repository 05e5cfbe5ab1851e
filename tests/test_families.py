"""The families of how news states events (issue 17), each on sentences written for this project.

Every sentence of `families/sentences.jsonl` is read as a one-paragraph relevant article; the
events it must give, and those it must not ("absent"), are listed with it. A sentence of a
family not handled yet is in KNOWN_MISSES: the test then expects it to fail (strict), so that
handling it shows up as a pass to record.

    .venv/bin/python tests/test_families.py     # precision, recall and F1 per family
    .venv/bin/python tests/test_families.py --record-misses   # and record what fails as known misses
    .venv/bin/python tests/test_families.py --fresh   # the same on sentences never tuned on
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from accord.commands.patterns import example_events
from accord.evaluation import scored_actor, targets_agree

HERE = Path(__file__).resolve().parent
SENTENCES = [json.loads(line) for line in (HERE / "families" / "sentences.jsonl").read_text().splitlines() if line]
FRESH = [json.loads(line) for line in (HERE / "families" / "fresh.jsonl").read_text().splitlines() if line]
"""Sentences written after the rules for the first set were made, scored only (never tuned on):
the honest estimate for the families. `report --fresh` prints their figures."""
KNOWN_MISSES = set(json.loads((HERE / "families" / "known_misses.json").read_text()))
NAMES = {1: "signatory lists on a noun", 2: "lists after the verb", 3: "described instruments",
         4: "negated membership, refusal", 5: "nominal forms", 6: "host, co-chair, attend",
         7: "owner decides the action", 8: "actor forms"}


def judged(case: dict) -> tuple[int, int, int, list[str]]:
    """(true positives, false positives, false negatives, problems) of one sentence."""
    events = [e for e in example_events(case["text"]) if scored_actor(e.actor)]
    left = list(events)
    problems: list[str] = []
    tp = 0
    for actor, action, target in case["events"]:
        hit = next((e for e in left if e.actor == actor and e.action == action
                    and targets_agree(target, e.target.names)), None)
        if hit is None:
            problems.append(f"missed {actor} {action} {target}")
        else:
            left.remove(hit)
            tp += 1
    for actor, action in case.get("absent", []):
        problems += [f"must not give {actor} {action}" for e in left if e.actor == actor and e.action == action]
    problems += [f"spurious {e.actor} {e.action} {e.target.name} [{e.rule}]" for e in left]
    return tp, len(left), len(case["events"]) - tp, problems


@pytest.mark.parametrize("case", SENTENCES, ids=[c["text"][:60] for c in SENTENCES])
def test_family_sentence(case):
    _, _, _, problems = judged(case)
    if case["text"] in KNOWN_MISSES:
        assert problems, "handled now: run tests/test_families.py --record-misses"
        pytest.xfail("a construction not handled yet (families/known_misses.json)")
    assert problems == []


def test_known_misses_are_sentences_of_the_families():
    assert {c["text"] for c in SENTENCES} >= KNOWN_MISSES


def report(cases: list[dict]) -> None:
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for case in cases:
        tp, fp, fn, problems = judged(case)
        for k, v in enumerate((tp, fp, fn)):
            totals[case["family"]][k] += v
        if problems:
            print(f"  f{case['family']}: {case['text'][:70]}: {'; '.join(problems)}")
    print("family                          P      R      F1   (tp fp fn)")
    for fam in sorted(totals):
        tp, fp, fn = totals[fam]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{fam} {NAMES.get(fam, ''):28} {p:.3f}  {r:.3f}  {f:.3f}  ({tp} {fp} {fn})")


def write_known_misses() -> None:
    """Record the sentences that fail now as the known misses (after a change that handles some)."""
    misses = [c["text"] for c in SENTENCES if judged(c)[3]]
    (HERE / "families" / "known_misses.json").write_text(json.dumps(misses, indent=1) + "\n")


if __name__ == "__main__":
    import sys

    if "--record-misses" in sys.argv:
        write_known_misses()
    report(FRESH if "--fresh" in sys.argv else SENTENCES)


def test_fresh_family_sentences_stay_above_their_floor():
    """The sentences written after the rules (families/fresh.jsonl): 0.840 event F1 when first
    measured, before four of its misses were fixed (the two sets before it, 0.753 and 0.794,
    were tuned on and joined sentences.jsonl). The next fresh set replaces it."""
    tp = fp = fn = 0
    for case in FRESH:
        a, b, c, _ = judged(case)
        tp, fp, fn = tp + a, fp + b, fn + c
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.70, (tp, fp, fn)


@pytest.mark.parametrize("text, relevant", [
    ("Chile signed the Framework Convention on Artificial Intelligence on Monday, its foreign ministry said.", True),
    ("Kenya adopted a national AI strategy on Tuesday. The plan sets out rules for agencies using AI.", True),
    ("Ghana's parliament passed an artificial intelligence bill, the speaker said.", True),
    ("Samsung unveiled a new AI phone on Tuesday. The device uses artificial intelligence to edit photos.", False),
    ("The foreign ministers of Peru and Chile met in Lima on Monday to discuss trade and fisheries.", False),
])
def test_a_wire_brief_is_relevant_without_a_paragraph_of_governance_words(text, relevant):
    """Family 9: a one- to three-sentence item about a state signing or adopting an AI instrument."""
    from accord.clean.relevance import relevance

    assert relevance(None, text).relevant is relevant
