"""Is an article about the governance of AI? A score and the terms that fired.

An article is relevant when it is about artificial intelligence AND about what states
and intergovernmental bodies do about it. Both sides are counted from the terms of
data/relevance_terms.tsv (a user can extend it): AI terms by occurrences, governance
terms by weight, each distinct term once. The headline counts twice, since a headline
says what a story is about. The reason for the decision is the list of terms that fired.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from accord.datafiles import data_lines
from accord.records import Relevance

MIN_AI_MENTIONS = 2
MIN_GOVERNANCE_WEIGHT = 5
MIN_GOVERNANCE_TERMS = 3


@dataclass(frozen=True)
class Terms:
    """The compiled term lists: one pattern a group, and each term's weight."""

    ai: re.Pattern[str]
    governance: re.Pattern[str]
    weights: dict[str, int]


def _pattern(term: str) -> str:
    prefix = term.endswith("*")
    words = term.rstrip("*").split()
    body = r"[\s-]+".join(re.escape(w) for w in words)
    flags = "" if term.rstrip("*").isupper() else "(?i:"
    core = f"{flags}{body})" if flags else body
    return rf"(?<![\w.]){core}" + (r"\w*" if prefix else r"(?![\w])")


@lru_cache(maxsize=1)
def terms() -> Terms:
    """The relevance terms, compiled once per process."""
    groups: dict[str, list[str]] = {"ai": [], "governance": []}
    weights: dict[str, int] = {}
    for group, weight, term in data_lines("relevance_terms.tsv"):
        groups[group].append(term)
        weights[term.rstrip("*").lower()] = int(weight)

    def compiled(items: list[str]) -> re.Pattern[str]:
        ordered = sorted(items, key=len, reverse=True)
        return re.compile("|".join(f"(?:{_pattern(t)})" for t in ordered))

    return Terms(compiled(groups["ai"]), compiled(groups["governance"]), weights)


def _weight(found: str, weights: dict[str, int]) -> int:
    key = re.sub(r"[\s-]+", " ", found.lower())
    if key in weights:
        return weights[key]
    return max((w for t, w in weights.items() if key.startswith(t)), default=1)


def relevance(title: str | None, text: str) -> Relevance:
    """The relevance decision for one article, with its score in [0, 1] and the terms that fired."""
    table = terms()
    material = f"{title or ''}\n{title or ''}\n{text}"
    ai_hits = [m.group(0) for m in table.ai.finditer(material)]
    governance = {re.sub(r"[\s-]+", " ", m.group(0).lower()) for m in table.governance.finditer(material)}
    weight = sum(_weight(t, table.weights) for t in governance)
    ai_part = min(1.0, len(ai_hits) / (MIN_AI_MENTIONS + 2))
    governance_part = min(1.0, weight / (MIN_GOVERNANCE_WEIGHT * 2))
    relevant = (len(ai_hits) >= MIN_AI_MENTIONS and weight >= MIN_GOVERNANCE_WEIGHT
                and len(governance) >= MIN_GOVERNANCE_TERMS)
    fired = sorted({h if h.isupper() else h.lower() for h in ai_hits}) + sorted(governance)
    return Relevance(relevant, round(ai_part * governance_part, 3), tuple(fired))
