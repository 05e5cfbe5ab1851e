"""Evidence an analyst can cite: no evidence sentence of any of our corpora (and of the shared
seeds and real pages) carries a dateline, a date stamp, a byline or menu text."""

from __future__ import annotations

import re

import pytest

from accord.pipeline import processed_stream
from conftest import DEV, SHARED

FURNITURE = [
    (re.compile(r"^[A-Z][A-Z .'-]{2,}(?:,|\s*\(|\s+-|:)"), "an all-capitals dateline"),
    (re.compile(r"^[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}, (?:[A-Z][a-z]{2,8}\.? \d{1,2}|\d{1,2} [A-Z][a-z]{2,8})"
                r"(?:,? \d{4})?\s*(?:\([^)]{1,40}\))?\s*(?:-{1,2}|–|—|:)\s"), "a dateline"),
    (re.compile(r"\bdate \d{4}-\d{2}-\d{2}\b|^\d{1,2}/\d{1,2}/\d{2,4}\s*[-–—]"), "a date stamp"),
    (re.compile(r"^By [A-Z][a-z]+ [A-Z][a-z]+\b"), "a byline"),
    (re.compile(r"\b(?:Subscribe to|Sign up for our|Click here|Read more:|Related Articles|Cookie settings)\b", re.I),
     "menu text"),
]

CORPORA = [DEV, DEV.parent / "heldout", DEV.parent / "heldout2", SHARED / "seeds", SHARED / "real" / "articles"]


@pytest.mark.slow
@pytest.mark.parametrize("corpus", CORPORA, ids=[c.name for c in CORPORA])
def test_no_evidence_carries_page_furniture(corpus):
    if not corpus.is_dir():
        pytest.skip(f"{corpus} is not here")
    bad = []
    for item in processed_stream([str(corpus)]):
        if not hasattr(item, "extraction"):
            continue
        for ev in item.extraction.events:
            bad += [(item.clean.doc, what, ev.evidence[:80]) for pattern, what in FURNITURE
                    if pattern.search(ev.evidence)]
    assert bad == []
