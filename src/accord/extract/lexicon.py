"""The extractor's word knowledge, read from data files: trigger verbs and word lists.

Both files live in `accord/data/` (triggers.tsv, extract_words.tsv) and are read once
per process. Keeping them as data lets a user add a verb or a noun without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from accord.datafiles import data_lines


@dataclass(frozen=True)
class Trigger:
    """A verb that states an action; `with_word` must hang on it ("take part")."""

    lemma: str
    with_word: str | None
    action: str | None
    """None: the verb states an action only on a meeting ("addressed the summit")."""
    on_meeting: str | None


@dataclass(frozen=True)
class Lexicon:
    """Everything the event rules look up, by name."""

    triggers: dict[str, tuple[Trigger, ...]]
    type_nouns: dict[str, str]
    keeps: frozenset[str]
    cancels: frozenset[str]
    modal: frozenset[str]
    official: frozenset[str]
    delegation: frozenset[str]
    criticism: frozenset[str]
    generic: frozenset[str]
    loose: frozenset[str]
    private: frozenset[str]
    groups: frozenset[str]
    roles: frozenset[str]


@lru_cache(maxsize=1)
def _word_lists() -> dict[str, tuple[str, ...]]:
    """The rows of extract_words.tsv by category (a category's rows, the user's too, add up)."""
    words: dict[str, list[str]] = {}
    for category, listed in data_lines("extract_words.tsv"):
        words.setdefault(category, []).extend(listed.split())
    return {k: tuple(v) for k, v in words.items()}


def words(category: str) -> frozenset[str]:
    """The words of one category of extract_words.tsv ("reporting", "state-references", ...)."""
    return frozenset(_word_lists().get(category, ()))


def word_actions(kind: str) -> dict[str, str]:
    """Words by the action they mean, from the categories "<kind>:<action>" ("role:sign")."""
    return {w: category.split(":", 1)[1] for category, listed in _word_lists().items()
            if category.startswith(kind + ":") for w in listed}


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Return the lexicon, read from the data files once per process."""
    triggers: dict[str, list[Trigger]] = {}
    for lemma, with_word, action, on_meeting in data_lines("triggers.tsv"):
        trig = Trigger(lemma, None if with_word == "-" else with_word, None if action == "-" else action,
                       None if on_meeting == "-" else on_meeting)
        triggers.setdefault(lemma, []).append(trig)
    type_nouns: dict[str, str] = {}
    for category, listed in _word_lists().items():
        if category.startswith("type:"):
            for w in listed:
                type_nouns.setdefault(w, category[5:])
    return Lexicon(
        triggers={k: tuple(v) for k, v in triggers.items()},
        type_nouns=type_nouns,
        **{k: words(k) for k in
           ("keeps", "cancels", "modal", "official", "delegation", "criticism", "generic", "loose",
            "private", "groups", "roles")},
    )
