"""Event patterns as data: the files under `accord/data/patterns/` (and $ACCORD_DATA_DIR/patterns/).

Each line of a `*.jsonl` file is one pattern, a JSON object:

    id          a versioned name, "nominal.ratification.v1", stored on every event it makes
    action      the action it codes: one of FORMAT.md's twelve, or an object mapping the trigger
                word's lemma to its action ({"ratification": "ratify", "signing": "sign"})
    on_meeting  optional: the action when the target is a meeting ("hosted the summit")
    tree        a spaCy DependencyMatcher pattern, in spaCy's own JSON form
                (https://spacy.io/usage/rule-based-matching#dependencymatcher)
    trigger     the node whose word states the action (dates, negation and modality are read there)
    actors      the nodes naming who acts; each is expanded through lists ("A, B and C",
                "including", "such as", "along with", "as well as") and resolved to actor codes
    target      the node naming what is acted on, or "@instrument" (the instrument last named)
                or "@meeting" (the meeting the story is about); a list is tried in order
    target_types  optional: the target types it may act on (FORMAT types: "summit", "declaration", ...)
    negated     what a negation of the trigger's clause does: "refuse" (a negated signing is a
                refusal; other actions are dropped), "drop" (no event), or "keep"
    examples    sentences with the events each must produce: [{"text": ..., "events":
                [["FRA", "ratify", "target words"], ...]}]
    counter     sentences that must produce no event of this pattern
    confidence  optional, 0.75 unless given
    cues        optional: words (lower case) one of which a sentence must hold, in any inflection,
                for the pattern to be tried; by default the trigger node's words. Name a rarer
                word of the construction ("among" in "counts A among its signatories") to keep
                sentences that cannot match from being parsed.

Lists, datelines, aliases and target resolution are the engine's shared machinery
(`accord.extract.engine`); a pattern only says where in the parse the parts stand.
Patterns are checked and compiled once per process, when the pipeline loads: an error names
the file, the pattern id and the problem.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from spacy.matcher import DependencyMatcher
from spacy.vocab import Vocab

from accord.datafiles import data_folder_texts
from accord.records import ACTIONS, TARGET_TYPES

FOLDER = "patterns"
SPECIAL_TARGETS = ("@instrument", "@meeting")
NEGATION = ("refuse", "drop", "keep")
WORD_ATTRS = ("LEMMA", "LOWER", "ORTH", "TEXT")


class PatternError(ValueError):
    """A pattern file that cannot be used; the message names the file, the pattern and the problem."""


@dataclass(frozen=True)
class Example:
    """A sentence and the (actor, action, target words) events it must produce."""

    text: str
    events: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class Pattern:
    """One construction: where its trigger, actors and target stand in the parse, and what it codes."""

    id: str
    actions: dict[str, str]
    """The action by trigger lemma; "*" for any."""
    on_meeting: str | None
    tree: tuple[dict, ...]
    trigger: str
    actors: tuple[str, ...]
    targets: tuple[str, ...]
    target_types: tuple[str, ...]
    negated: str
    examples: tuple[Example, ...]
    counter: tuple[str, ...]
    confidence: float
    source: str
    cues: tuple[str, ...] = ()

    def action_for(self, lemma: str) -> str | None:
        return self.actions.get(lemma, self.actions.get("*"))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*self.actions.values(), *([self.on_meeting] if self.on_meeting else [])]))

    def cue_words(self) -> set[str]:
        """The words a sentence must hold one of for this pattern (its `cues`, else the words the
        trigger node must be): a sentence with none of them needs no parse for it."""
        if self.cues:
            return set(self.cues)
        return set(_node_words(next(n for n in self.tree if n["RIGHT_ID"] == self.trigger)))


def _node_words(node: dict) -> frozenset[str]:
    """The words a node must be, from its LEMMA/LOWER/ORTH/TEXT constraints, lower case (empty: any)."""
    words: set[str] = set()
    for attr in WORD_ATTRS:
        value = node.get("RIGHT_ATTRS", {}).get(attr)
        if isinstance(value, str):
            words.add(value.lower())
        elif isinstance(value, dict) and "IN" in value:
            words.update(str(v).lower() for v in value["IN"])
    return frozenset(words)


def _fail(source: str, pid: str, problem: str) -> PatternError:
    return PatternError(f"{source}: pattern {pid}: {problem}")


def _pattern(source: str, raw: object) -> Pattern:
    if not isinstance(raw, dict):
        raise _fail(source, "?", "a pattern must be a JSON object")
    pid = raw.get("id")
    if not isinstance(pid, str) or not pid.rsplit(".", 1)[-1].startswith("v"):
        raise _fail(source, str(pid), "'id' must be a versioned name such as 'nominal.ratification.v1'")
    unknown = set(raw) - {"id", "action", "on_meeting", "tree", "trigger", "actors", "target", "negated",
                          "target_types", "examples", "counter", "confidence", "comment", "cues"}
    if unknown:
        raise _fail(source, pid, f"unknown field(s) {sorted(unknown)}")
    action = raw.get("action")
    actions = {"*": action} if isinstance(action, str) else action
    if not isinstance(actions, dict) or not actions:
        raise _fail(source, pid, "'action' must be an action or an object of lemma -> action")
    for act in [*actions.values(), *([raw["on_meeting"]] if raw.get("on_meeting") else [])]:
        if act not in ACTIONS:
            raise _fail(source, pid, f"unknown action '{act}' (valid: {', '.join(ACTIONS)})")
    tree = raw.get("tree")
    if not isinstance(tree, list) or not tree or not all(isinstance(n, dict) and "RIGHT_ID" in n for n in tree):
        raise _fail(source, pid, "'tree' must be a DependencyMatcher pattern: a list of nodes with RIGHT_ID")
    names = [n["RIGHT_ID"] for n in tree]
    trigger = raw.get("trigger")
    actors = raw.get("actors")
    targets = raw.get("target")
    targets = [targets] if isinstance(targets, str) else targets
    if trigger not in names:
        raise _fail(source, pid, f"'trigger' must name a node of the tree ({', '.join(names)})")
    if not isinstance(actors, list) or not actors or any(a not in names for a in actors):
        raise _fail(source, pid, f"'actors' must list nodes of the tree ({', '.join(names)})")
    if not isinstance(targets, list) or not targets or any(t not in names and t not in SPECIAL_TARGETS
                                                               for t in targets):
        raise _fail(source, pid, f"'target' must name a node of the tree or one of {', '.join(SPECIAL_TARGETS)}")
    types = raw.get("target_types", [])
    if not isinstance(types, list) or any(t not in TARGET_TYPES for t in types):
        raise _fail(source, pid, f"'target_types' must list types of: {', '.join(TARGET_TYPES)}")
    negated = raw.get("negated", "refuse")
    if negated not in NEGATION:
        raise _fail(source, pid, f"'negated' must be one of {', '.join(NEGATION)}")
    examples = []
    for ex in raw.get("examples", []):
        try:
            examples.append(Example(ex["text"], tuple((a, b, c) for a, b, c in ex["events"])))
        except (KeyError, TypeError, ValueError):
            raise _fail(source, pid, "each example must be {\"text\": ..., \"events\": [[actor, action, target], ...]}") from None
    if not examples:
        raise _fail(source, pid, "a pattern needs at least one example sentence")
    cues = raw.get("cues", [])
    if not isinstance(cues, list) or not all(isinstance(c, str) and c == c.lower() and " " not in c for c in cues):
        raise _fail(source, pid, "'cues' must be a list of single lower-case words")
    counter = raw.get("counter", [])
    if not isinstance(counter, list) or not all(isinstance(c, str) for c in counter):
        raise _fail(source, pid, "'counter' must be a list of sentences")
    return Pattern(id=pid, actions=dict(actions), on_meeting=raw.get("on_meeting"), tree=tuple(tree),
                   trigger=trigger, actors=tuple(actors), targets=tuple(targets), target_types=tuple(types), negated=negated,
                   examples=tuple(examples), counter=tuple(counter),
                   confidence=float(raw.get("confidence", 0.75)), source=source, cues=tuple(cues))


@cache
def patterns() -> tuple[Pattern, ...]:
    """Every pattern of the packaged files and the user's, checked (PatternError on a bad one)."""
    found: dict[str, Pattern] = {}
    for source, text in data_folder_texts(FOLDER, ".jsonl"):
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            where = f"{source}:{number}"
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as e:
                raise PatternError(f"{where}: not a JSON object ({e.msg} at column {e.colno})") from None
            pattern = _pattern(where, raw)
            if pattern.id in found:
                raise _fail(where, pattern.id, f"the id is already used at {found[pattern.id].source}")
            found[pattern.id] = pattern
    return tuple(found.values())


@dataclass(frozen=True)
class Compiled:
    """The patterns compiled for one vocabulary: a DependencyMatcher each, and the word sets of its
    nodes. A sentence must hold a word of each set (as written or as lemma, lower case) for the
    pattern to be tried, which keeps the cost flat as patterns are added."""

    matchers: tuple[tuple[Pattern, DependencyMatcher, tuple[frozenset[str], ...]], ...]

    def __call__(self, doc) -> list[tuple[Pattern, list[int]]]:
        """Each match in the sentence: its pattern and the token of each node, in tree order."""
        held = {t.lower_ for t in doc} | {t.lemma_.lower() for t in doc}
        return [(p, ids) for p, compiled, needs in self.matchers if all(need & held for need in needs)
                for _, ids in compiled(doc)]


def _compiled_pattern(p: Pattern, vocab: Vocab) -> DependencyMatcher:
    """The pattern's DependencyMatcher, or the one-line error naming its file and id."""
    compiled = DependencyMatcher(vocab, validate=True)
    try:
        compiled.add(p.id, [list(p.tree)])
    except (ValueError, KeyError, TypeError) as e:
        raise _fail(p.source, p.id, f"spaCy refuses the tree: {' '.join(str(e).split())[:300]}") from None
    return compiled


_compiled: dict[int, Compiled] = {}


def matcher(vocab: Vocab) -> Compiled:
    """The patterns compiled for the pipeline's vocabulary, once per process."""
    key = id(vocab)
    if key not in _compiled:
        _compiled[key] = Compiled(tuple(
            (p, _compiled_pattern(p, vocab), tuple(w for w in map(_node_words, p.tree) if w)) for p in patterns()))
    return _compiled[key]


def check() -> tuple[Pattern, ...]:
    """Every pattern, read and compiled against a bare vocabulary: what a run calls before its first
    document (without loading spaCy's pipeline), so that a bad pattern file stops it with one
    line, never at a sentence."""
    bare = Vocab()
    for p in patterns():
        _compiled_pattern(p, bare)
    return patterns()


def by_id() -> dict[str, Pattern]:
    return {p.id: p for p in patterns()}


def inflections(word: str) -> set[str]:
    """The regular forms of a word ("ratify": ratifies, ratified, ratifying)."""
    forms = {word, word + "s", word + "es", word + "ed", word + "d", word + "ing"}
    if word.endswith("y"):
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if word.endswith("e"):
        forms.add(word[:-1] + "ing")
    return forms


@cache
def cue_forms() -> frozenset[str]:
    """Every form of every pattern's cue words: a sentence holding none needs no parse for them."""
    return frozenset(f for p in patterns() for w in p.cue_words() for f in inflections(w))


def reload() -> None:
    """Read the pattern files again (after changing $ACCORD_DATA_DIR, say)."""
    patterns.cache_clear()
    cue_forms.cache_clear()
    _compiled.clear()
