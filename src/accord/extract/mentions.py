"""Where a text names actors and targets, found on the tokens alone (no parse needed).

Actor mentions come from the country and body tables of `accord.knowledge`, turned into
spaCy PhraseMatcher patterns; target mentions come from the instrument catalog and from
capitalised names that contain a type noun ("3rd Southeast Asia Business Forum").
Both run on every relevant article in a few milliseconds, so the expensive parse can be
kept for the sentences that hold a trigger.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from functools import lru_cache

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from accord import knowledge
from accord.extract.lexicon import data_lines, lexicon
from accord.extract.nlp import load_pipeline
from accord.records import Target

LOCATIVE = frozenset(
    "in at from to near outside inside across around via visit visited visiting arrived "
    "headquartered based held landed flew travelled traveled".split()
)
"""Words before a capital that make it a place, not a government ("summit in Paris")."""

MONTH_AND_DAY_NAMES = frozenset(m.lower() for m in (*calendar.month_name[1:], *calendar.day_name))
CONNECTORS = frozenset("of on for and the & de".split())
"""Lower-case words allowed inside a capitalised name ("Convention on ... and the Rule of Law")."""


@dataclass(frozen=True)
class ActorMention:
    """A span of tokens naming a state or body: `kind` is name, alias, demonym, capital or body."""

    start: int
    end: int
    code: str
    kind: str


@dataclass(frozen=True)
class TargetMention:
    """A span of tokens naming a target, resolved to a catalog entry or a new one."""

    start: int
    end: int
    target: Target
    catalog: bool


def _variants(name: str) -> set[str]:
    """The written forms of a name: "artificial intelligence" and "AI" stand for each other."""
    forms = {name}
    low = name.lower()
    if "artificial intelligence" in low:
        i = low.index("artificial intelligence")
        forms.add(name[:i] + "AI" + name[i + 23:])
        forms.add(name[:i] + "Artificial Intelligence (AI)" + name[i + 23:])
    if low.startswith("the "):
        forms.add(name[4:])
    return forms


def _officials() -> list[tuple[str, str, str]]:
    """(text, code, "person") for the officials of people.tsv, full names and short forms."""
    rows = []
    for name, code, short, *_ in data_lines("people.tsv"):
        rows.append((name, code, "person"))
        rows.extend((s, code, "person") for s in short.split("|") if s != "-")
    return rows


@lru_cache(maxsize=1)
def _actor_matcher() -> tuple[PhraseMatcher, dict[str, tuple[str, str]]]:
    nlp = load_pipeline()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    table: dict[str, tuple[str, str]] = {}
    names = [(e.text, e.code, e.kind) for e in knowledge.actor_names()] + _officials()
    for text, code, kind in names:
        for form in _variants(text):
            key = form.lower()
            if key in table:
                continue
            table[key] = (code, kind)
            matcher.add(key, [nlp.make_doc(form)])
    for text in knowledge.non_actor_names():
        # "New Mexico", "Latin American": the longer match wins and names no actor
        key = text.lower()
        if key not in table:
            table[key] = ("", "none")
            matcher.add(key, [nlp.make_doc(text)])
    return matcher, table


@lru_cache(maxsize=1)
def _instrument_matcher() -> tuple[PhraseMatcher, dict[str, knowledge.Instrument]]:
    nlp = load_pipeline()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    table: dict[str, knowledge.Instrument] = {}
    for inst in knowledge.instruments().values():
        for name in (inst.name, *inst.aliases):
            for form in _variants(name):
                if form.lower() not in table and len(form) > 3:
                    table[form.lower()] = inst
                    matcher.add(form.lower(), [nlp.make_doc(form)])
    return matcher, table


def instrument_target(inst: knowledge.Instrument, surface: str = "") -> Target:
    """The Target of a catalog entry, with the text's own wording kept as an alias."""
    aliases = tuple(a for a in (*inst.aliases, surface) if a and a != inst.name)
    return Target(name=inst.name, type=inst.type, aliases=aliases, key=inst.key)


def _case_agrees(span: Span) -> bool:
    """Names match only as names: "US" not "us", "China" not "china"."""
    first = span[0].text
    if len(span) == 1 and len(first) <= 3:
        return first.isupper() or first in ("U.S.", "U.K.")
    return first[:1].isupper() or not first[:1].isalpha() or first.lower() == "the"


def actor_mentions(doc: Doc) -> list[ActorMention]:
    """Every naming of a country or body in `doc`, longest match kept."""
    matcher, table = _actor_matcher()
    spans = [Span(doc, s, e, label=m) for m, s, e in matcher(doc)]
    found = []
    for span in filter_spans(spans):
        if not _case_agrees(span):
            continue
        code, kind = table[span.text.lower()] if span.text.lower() in table else table[doc.vocab.strings[span.label]]
        if not code:
            continue
        if kind == "capital" and span.start > 0 and doc[span.start - 1].lower_ in LOCATIVE:
            continue
        if _dateline(span):
            continue
        if span.end < len(doc) and doc[span.end].text == "-" and span.end + 1 < len(doc) \
                and doc[span.end + 1].lower_ in ("based", "headquartered"):
            continue
        found.append(ActorMention(span.start, span.end, code, kind))
    return found


def _dateline(span: Span) -> bool:
    """True for the place a story was filed from, printed in capitals before its first words
    ("ACCRA -", "UNITED NATIONS (Agency) -"): a place, not a government acting."""
    if not span.text.isupper() or len(span.text) <= 3:
        return False
    doc = span.doc
    if span.end < len(doc) and not (doc[span.end].is_punct or doc[span.end].is_space):
        return False  # "UNESCO issued ...", "NATO allies agreed ...": a body acting, not a place
    return span.start == 0 or doc[span.start - 1].is_space or doc[span.start - 1].text in ("\n", "\n\n")


def _named_spans(doc: Doc) -> list[tuple[int, int, str]]:
    """Capitalised names holding a type noun: (start, end, type) for each."""
    type_nouns = lexicon().type_nouns
    out = []
    i, n = 0, len(doc)
    while i < n:
        if not _capital_word(doc[i]):
            i += 1
            continue
        j = i + 1
        while j < n and not _ends_name(doc[j]):
            if _capital_word(doc[j]):
                j += 1
                continue
            # "Declaration on the Establishment of ...": one or two connectors, then a capital word
            k = j
            while k < n and k - j < 2 and doc[k].lower_ in CONNECTORS:
                k += 1
            if k == j or k >= n or not _capital_word(doc[k]) or _ends_name(doc[k]):
                break
            j = k
        words = [t for t in doc[i:j] if t.lower_ not in CONNECTORS]
        kinds = [type_nouns[t.lower_] for t in words if t.lower_ in type_nouns]
        start = i + 1 if doc[i].lower_ == "the" else i
        if len(words) >= 2 and kinds and start < j:
            out.append((start, j, kinds[-1]))
        i = max(j, i + 1)
    return out


def _ends_name(tok) -> bool:
    """Dates end a name: "the AI Basic Act on December 26" names the act."""
    return tok.lower_ in MONTH_AND_DAY_NAMES or tok.like_num


def _capital_word(tok) -> bool:
    """A word that can stand inside a name: capitalised, an acronym, or a number ("3rd")."""
    if tok.text[:1].isdigit():
        return True
    return tok.is_alpha and (tok.is_title or tok.is_upper) and tok.lower_ != "the"


def target_mentions(doc: Doc, actor_spans: set[tuple[int, int]] = frozenset()) -> list[TargetMention]:
    """Every naming of a known or new target in `doc`, in text order.

    A capitalised name that is exactly an actor's name ("the General Assembly") is the
    actor, not a target.
    """
    matcher, table = _instrument_matcher()
    spans = [Span(doc, s, e, label=m) for m, s, e in matcher(doc)]
    mentions: list[TargetMention] = []
    taken: list[tuple[int, int]] = []
    for span in filter_spans(spans):
        inst = table[doc.vocab.strings[span.label]]
        mentions.append(TargetMention(span.start, span.end, instrument_target(inst, span.text), True))
        taken.append((span.start, span.end))
    for start, end, kind in _named_spans(doc):
        if any(s < end and start < e for s, e in taken) or (start, end) in actor_spans:
            continue
        name = doc[start:end].text
        inst = knowledge.find_instrument(name)
        target = instrument_target(inst, name) if inst else Target(name=name, type=kind, key="")
        mentions.append(TargetMention(start, end, target, inst is not None))
    return sorted(mentions, key=lambda m: m.start)


def outside_targets(actors: list[ActorMention], targets: list[TargetMention]) -> list[ActorMention]:
    """Actor mentions that are not part of a target's name ("Paris" in "the Paris Declaration"),
    and bodies named in one of their own meetings ("the OECD Ministerial Council Meeting adopted"),
    which may act through it."""
    return [a for a in actors
            if not any(t.start <= a.start and a.end <= t.end and not (
                a.kind == "body" and t.target.type == "summit" and not t.catalog) for t in targets)]
