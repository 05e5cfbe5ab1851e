"""Is an article about the governance of AI? A score and the terms that fired.

An article is relevant when it is about artificial intelligence AND about what states
and intergovernmental bodies do about it. Both sides are counted from the terms of
data/relevance_terms.tsv (a user can extend it): AI terms by occurrences, governance
terms by weight, each distinct term once. The headline counts twice, since a headline
says what a story is about. The reason for the decision is the list of terms that fired.

Most pages name none or few of the terms, so each group is first scanned with a trie of its
terms (accord.clean.alternation, case ignored: cheap, and it finds every place where a
term may start); the exact pattern is then tried at those places only, which gives the
matches a plain scan with it would give.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from accord.clean.alternation import term_atoms, trie_pattern
from accord.datafiles import data_lines
from accord.records import Relevance

MIN_AI_MENTIONS = 2
MIN_GOVERNANCE_WEIGHT = 5
MIN_GOVERNANCE_TERMS = 3


@dataclass(frozen=True)
class Terms:
    """The compiled term lists: one pattern a group, its fast scan, and each term's weight."""

    ai: re.Pattern[str]
    governance: re.Pattern[str]
    weights: dict[str, int]
    ai_places: re.Pattern[str]
    governance_places: re.Pattern[str]


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

    def places(items: list[str]) -> re.Pattern[str]:
        atoms = (term_atoms(t.rstrip("*"), r"[\s-]+", r"[\w.]", "" if t.endswith("*") else r"(?![\w])")
                 for t in items)
        return re.compile(trie_pattern(a for a in atoms if a), re.IGNORECASE)

    return Terms(compiled(groups["ai"]), compiled(groups["governance"]), weights,
                 places(groups["ai"]), places(groups["governance"]))


def matches(exact: re.Pattern[str], places: re.Pattern[str], text: str) -> list[str]:
    """What `exact.finditer(text)` finds, found faster: `places` matches wherever `exact`
    can (and maybe elsewhere), and `exact` is tried only there."""
    found: list[str] = []
    position = 0
    while (place := places.search(text, position)) is not None:
        hit = exact.match(text, place.start())
        if hit is None:
            position = place.start() + 1
        else:
            found.append(hit.group(0))
            position = max(hit.end(), place.start() + 1)
    return found


def _weight(found: str, weights: dict[str, int]) -> int:
    key = re.sub(r"[\s-]+", " ", found.lower())
    if key in weights:
        return weights[key]
    return max((w for t, w in weights.items() if key.startswith(t)), default=1)


def governance_terms(text: str) -> set[str]:
    """The distinct governance terms a text names, folded ("Regulation", "regulation")."""
    table = terms()
    return {re.sub(r"[\s-]+", " ", m.lower()) for m in matches(table.governance, table.governance_places, text)}


def governance_weight(found: set[str]) -> int:
    """The weight of distinct governance terms, as the relevance decision counts it."""
    weights = terms().weights
    return sum(_weight(t, weights) for t in found)


BRIEF_WORDS = 150
"""A wire brief: one to three sentences about a state signing or adopting an AI instrument say
what they are about in few words, so fewer governance terms make them relevant."""
BRIEF_GOVERNANCE_TERMS = 2
BRIEF_GOVERNANCE_WEIGHT = 3


def enough_governance(found: set[str], brief: bool = False) -> bool:
    """True when distinct governance terms are enough, in number and weight, for a relevant article
    (a brief one needs fewer)."""
    if brief:
        return len(found) >= BRIEF_GOVERNANCE_TERMS and governance_weight(found) >= BRIEF_GOVERNANCE_WEIGHT
    return len(found) >= MIN_GOVERNANCE_TERMS and governance_weight(found) >= MIN_GOVERNANCE_WEIGHT


def relevance(title: str | None, text: str) -> Relevance:
    """The relevance decision for one article, with its score in [0, 1] and the terms that fired."""
    table = terms()
    material = f"{title or ''}\n{title or ''}\n{text}"
    ai_hits = matches(table.ai, table.ai_places, material)
    governance = governance_terms(material)
    weight = governance_weight(governance)
    ai_part = min(1.0, len(ai_hits) / (MIN_AI_MENTIONS + 2))
    governance_part = min(1.0, weight / (MIN_GOVERNANCE_WEIGHT * 2))
    brief = len(text.split()) <= BRIEF_WORDS
    relevant = len(ai_hits) >= (1 if brief else MIN_AI_MENTIONS) and enough_governance(governance, brief)
    fired = sorted({h if h.isupper() else h.lower() for h in ai_hits}) + sorted(governance)
    return Relevance(relevant, round(ai_part * governance_part, 3), tuple(fired))
