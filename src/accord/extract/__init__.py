"""The extract stage: countries and events of a cleaned document.

`extract(doc)` reads the principal article. Names of states, bodies and targets, and
date expressions, are found on the tokens alone; only sentences holding a trigger word
are parsed, and irrelevant documents are never parsed at all. `extract_all(docs)` gives
the same for many documents, their sentences parsed in one pass of the pipeline (`reading`,
then `parsed_parts`, then `Reading.extraction`): spaCy costs much more per call than the
few sentences of one article take to parse.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from itertools import islice

from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc, Span, Token

from accord import knowledge
from accord.extract.amounts import money, money_spent_by
from accord.extract.dates import DateMention, date_mentions
from accord.extract.events import CUE_WORDS, Found, SentenceReader
from accord.extract.lexicon import lexicon, words
from accord.extract.mentions import actor_mentions, outside_targets, target_mentions
from accord.extract.nlp import load_pipeline
from accord.extract.patterns import cue_forms
from accord.extract.targets import TargetMemory
from accord.records import CleanDocument, Event, Extraction

MAX_CHARS = 200_000
"""Longer articles are cut here: no news story is longer, and parsing time stays bounded."""

IRREGULAR = words("irregular-forms")
"""Irregular forms of trigger verbs ("led", "took", "struck"), which no stem of theirs finds."""

_sentencizer = Sentencizer()


@cache
def _trigger_stems() -> tuple[str, ...]:
    stems = set()
    for lemma in lexicon().triggers:
        # "ratify" -> "ratif" (ratified), "adopte" never: a stem must cover every inflection
        stems.add(lemma[:-1] if lemma.endswith(("e", "y")) and len(lemma) > 4 else lemma)
    return tuple(sorted(stems))


def _sentences(tokens: Doc) -> tuple[list[Span], list[int]]:
    """Sentences of the article (punctuation-based, never across a line break), and the
    token index where each paragraph starts."""
    _sentencizer(tokens)
    paragraphs = [0]
    for tok in tokens[1:]:
        if tok.is_space and "\n" in tok.text and tok.i + 1 < len(tokens):
            tokens[tok.i + 1].is_sent_start = True
            paragraphs.append(tok.i + 1)
    return [s for s in tokens.sents if s.text.strip()], paragraphs


def _may_hold_event(sent: Span, stems: tuple[str, ...], cues: frozenset[str]) -> bool:
    """Whether a sentence is worth parsing: it holds a trigger or cue word, or introduces an
    instrument by description ("a treaty on AI in border control"), which a later sentence may
    act on ("Spain ratified it")."""
    described = _described_nouns()
    for k, tok in enumerate(sent):
        low = tok.lower_
        if low in IRREGULAR or low in CUE_WORDS or low in cues or (tok.is_alpha and low.startswith(stems)) \
                or low.startswith("co-"):
            return True
        if low in ("a", "an") and any(t.lower_ in described for t in sent[k + 1:k + 4]):
            return True
    return False


@cache
def _described_nouns() -> frozenset[str]:
    """Type nouns of the kinds an article may introduce by description (and their plurals' singulars)."""
    from accord.extract.events import DESCRIBED

    return frozenset(w for w, kind in lexicon().type_nouns.items() if kind in DESCRIBED and "_" not in w)


CLAUSE_DEPS = frozenset(("advcl", "relcl", "ccomp", "acl", "parataxis", "conj", "xcomp", "pcomp"))
"""Dependents that open a clause of their own, whose dates are not the event's."""


def _clause_head(tok: Token) -> Token:
    """The verb heading the clause a token stands in."""
    for _ in range(40):
        if (tok.pos_ in ("VERB", "AUX") and tok.dep_ in CLAUSE_DEPS) or tok.head.i == tok.i:
            return tok
        tok = tok.head
    return tok


def clause_span(parsed: Doc, trigger: int, clause_heads: list[int]) -> set[int]:
    """The token positions (in the parsed part) whose dates can be the event's: those of the
    trigger's clause and the clauses below it ("signed the call issued last year", "signed when
    it opened in May"), and of the clauses it hangs on ("On May 3 it said that X signed"); not
    those of clauses beside it. `clause_heads` gives each token's clause head (`_clause_head`),
    worked out once per sentence.
    """
    head = parsed[clause_heads[trigger]]
    governing = {head.i} | {t.i for t in head.ancestors}
    below = {t.i for t in head.subtree}  # "signed the call issued last year", "signed when it opened in May"
    # a clause it hangs on dates it only before it ("In March, the US rallied support for a text
    # backed by China"), not after ("X, co-hosted by Kenya, is the second, following one in 2023")
    return below | {i for i in range(head.left_edge.i) if clause_heads[i] in governing}


def _event_date(dates: list[DateMention], sent: Span, trigger: int, paragraph: int, lead_end: int,
                clause: set[int]) -> str | None:
    """The date in the event's own clause nearest the trigger (`clause`: article token positions);
    else, if the sentence has no date at all, the latest one earlier in the same paragraph; else
    the one in the lead paragraph, which in news sets the time of the story."""
    inside = [d for d in dates if sent.start <= d.start < sent.end and d.value]
    own = [d for d in inside if d.start in clause]
    if own:
        return min(own, key=lambda d: abs(d.start - trigger)).value
    if inside:
        return None  # the sentence's dates belong to other clauses: the story's date will do
    before = [d for d in dates if paragraph <= d.start and d.end <= sent.start and d.value]
    if before:
        return before[-1].value
    lead = [d for d in dates if d.end <= min(lead_end, sent.start) and d.value]
    return lead[0].value if lead else None


def _dated(when: str | None, published: date | None) -> str | None:
    """An event's date: the one the text gives, else the page's own date (news reports what
    happened when it was written far more often than not)."""
    return when or (published.isoformat() if published else None)


def _reference(doc: CleanDocument) -> date | None:
    if doc.published:
        try:
            return date.fromisoformat(doc.published[:10])
        except ValueError:
            pass
    return doc.reference_date


DATELINE_ENDS = frozenset((":", "--", "—", "–", "-"))


_PLACE = r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}"
_DAY = r"(?:[A-Z][a-z]{2,8}\.? \d{1,2}|\d{1,2} [A-Z][a-z]{2,8}\.?)(?:,? \d{4})?"
_AGENCY = r"\([^)]{1,40}\)"
_TITLED_DATELINE = re.compile(
    rf"(?:date\s+\d{{4}}-\d{{2}}-\d{{2}}\s+(?=[A-Z]))|(?:\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\s*[-–—]\s+(?=[A-Z]))|{_PLACE}(?:, {_DAY}\s*(?:{_AGENCY})?|\s*{_AGENCY})"
    r"\s*(?:-{1,2}|–|—|:)\s+")
"""A dateline in title case ("Paris, Feb. 11 (Reuters) - ", "Nairobi, 3 March: "), or a page's
date stamp left before the first sentence ("date 2024-06-19 ", "03/05/2024 – ")."""


def _without_dateline(sent: Span) -> Span:
    """The sentence without the dateline that opens a story ("NEW DELHI: The Cabinet ...",
    "BEIJING, July 13 -- China ..."), which the parser would take for the subject; the
    sentence itself (its evidence) keeps it."""
    first = sent[0] if len(sent) else None
    if first is None:
        return sent
    titled = _TITLED_DATELINE.match(sent.text)
    if titled is not None:  # "Paris, Feb. 11 (Reuters) - ...": a place and a date, then the story
        end = sent.start_char + titled.end()
        rest = next((k for k, tok in enumerate(sent) if tok.idx >= end), None)
        if rest is not None and rest < len(sent) - 3:
            return sent[rest:]
    if not (first.is_alpha and first.is_upper and len(first) >= 3):
        return sent
    for k, tok in enumerate(sent[:10]):
        if tok.text in DATELINE_ENDS and 0 < k < len(sent) - 3:
            return sent[k + 1:]
        if tok.is_alpha and tok.is_lower:
            return sent
    return sent


def _lead_states(sentences: list[Span], paragraphs: list[int], states: list) -> dict[int, str]:
    """For each sentence (by its first token), the state the sentence before it in the same
    paragraph opens with ("Seoul has worked to ..."), which an "it" after it most likely means."""
    starts = set(paragraphs)
    leads: dict[int, str] = {}
    for before, sent in zip(sentences, sentences[1:], strict=False):
        if sent.start in starts:
            continue
        opening = next((m for m in states if before.start <= m.start < before.start + 4), None)
        if opening is not None:
            leads[sent.start] = opening.code
    return leads


def _trimmed(sent: Span) -> tuple[str, int, int]:
    text = sent.text
    start = sent.start_char + len(text) - len(text.lstrip())
    text = text.strip()
    return text, start, start + len(text)


@dataclass
class Reading:
    """A relevant article read up to its parse: the names, dates and sentences found on its
    tokens, and the sentences to parse (`parts`: the candidates, without their datelines).
    `events` reads the parsed parts; parsing is left to the caller so that the sentences of
    many articles can be parsed together (accord.extract.extract_all)."""

    countries: tuple[str, ...]
    candidates: list[Span]
    parts: list[Span]
    actor_by_token: dict[int, str]
    memory: TargetMemory
    reference: date | None
    dates: list[DateMention]
    paragraphs: list[int]
    lead_end: int
    bodies: list[tuple[int, str]]
    home: str | None
    leads: dict[int, str]

    def last_body(self, position: int) -> str | None:
        return next((code for start, code in reversed(self.bodies) if start < position), None)

    def extraction(self, parsed_parts: Iterable[Doc]) -> Extraction:
        """The article's events, given its parts parsed (in order)."""
        people: dict[str, str] = {}
        events: list[Event] = []
        entities: dict[tuple[str, str], None] = {}
        actor_by_token = self.actor_by_token
        for sent, part, parsed in zip(self.candidates, self.parts, parsed_parts, strict=True):
            reader = SentenceReader(lambda i, o=part.start: actor_by_token.get(o + i), self.memory, part.start,
                                    people, self.last_body, self.home, self.leads.get(sent.start))
            evidence, start, end = _trimmed(part)  # without its dateline: page furniture is no evidence
            entities.update(((e.text, e.label_), None) for e in parsed.ents if e.label_ in ("PERSON", "ORG")
                            and not any(actor_by_token.get(sent.start + t.i) for t in e))
            clause_heads: list[int] = []
            for found in _with_pledges(reader.events(parsed), parsed):
                paragraph = max(p for p in self.paragraphs if p <= sent.start)
                clause_heads = clause_heads or [_clause_head(t).i for t in parsed]
                clause = {part.start + i for i in clause_span(parsed, found.trigger, clause_heads)}
                when = _dated(_event_date(self.dates, sent, part.start + found.trigger, paragraph, self.lead_end,
                                          clause), self.reference)
                amount = money(parsed) if found.action == "pledge" else None
                events.extend(_records(found, when, evidence, start, end, amount))
        return Extraction(countries=self.countries, events=tuple(_unique(events)), entities=tuple(entities))


def reading(doc: CleanDocument, nlp: Language | None = None) -> Reading | Extraction:
    """The principal article read up to its parse; for an article with no events to look for
    (none, or not relevant), its extraction at once: the countries it names."""
    article = doc.principal
    if article is None or not article.text.strip():
        return Extraction()
    nlp = nlp or load_pipeline()
    text = article.text[:MAX_CHARS]
    tokens = nlp.make_doc(text)
    named = actor_mentions(tokens)
    targets = target_mentions(tokens, {(m.start, m.end) for m in named})
    actors = outside_targets(named, targets)
    codes = knowledge.country_codes()  # "Brussels" stands for the EU, which is no country
    states = [m for m in actors if m.kind not in ("body", "person") and m.code in codes]
    countries = tuple(sorted({m.code for m in states}))
    if not doc.relevant:
        return Extraction(countries=countries)
    reference = _reference(doc)
    dates = date_mentions(tokens, reference)
    stems = _trigger_stems()
    sentences, paragraphs = _sentences(tokens)
    cues = cue_forms()
    candidates = [s for s in sentences if _may_hold_event(s, stems, cues)]
    return Reading(
        countries=countries, candidates=candidates, parts=[_without_dateline(s) for s in candidates],
        actor_by_token={i: m.code for m in actors for i in range(m.start, m.end)},
        memory=TargetMemory(list(targets)), reference=reference, dates=dates, paragraphs=paragraphs,
        lead_end=paragraphs[1] if len(paragraphs) > 1 else len(tokens),
        bodies=sorted((m.start, m.code) for m in actors if m.kind == "body"),
        home=_home_country(states), leads=_lead_states(sentences, paragraphs, states))


def parsed_parts(readings: list[Reading], nlp: Language | None = None) -> list[list[Doc]]:
    """The parts of every reading parsed, in one pass of the pipeline: spaCy's cost per call
    is large beside that of the few sentences of one article, so articles parse faster together."""
    nlp = nlp or load_pipeline()
    parsed = iter(nlp.pipe(part.as_doc() for r in readings for part in r.parts))
    return [list(islice(parsed, len(r.parts))) for r in readings]


def extract_all(docs: list[CleanDocument], nlp: Language | None = None) -> list[Extraction]:
    """What `extract` gives for each document, with their sentences parsed together."""
    read = [reading(doc, nlp) for doc in docs]
    pending = [r for r in read if isinstance(r, Reading)]
    parsed = iter(parsed_parts(pending, nlp))
    return [r.extraction(next(parsed)) if isinstance(r, Reading) else r for r in read]


def extract(doc: CleanDocument, nlp: Language | None = None) -> Extraction:
    """Countries named in the principal article and, if it is relevant, its events."""
    return extract_all([doc], nlp)[0]


FUNDED = frozenset(("adopt", "propose"))
"""Actions that, done "with" an amount of money, also pledge it."""


def _with_pledges(found: list[Found], parsed: Doc) -> list[Found]:
    """The sentence's events, with pledges only where money is named, and a pledge added to an
    adoption or launch that comes with money ("approved the mission with an outlay of ...")."""
    has_money = any(e.label_ == "MONEY" for e in parsed.ents)
    kept = [f for f in found if f.action != "pledge" or has_money]
    pledged = {(f.actors, f.target.key or f.target.name) for f in kept if f.action == "pledge"}
    for f in found:
        if (f.action in FUNDED and (f.actors, f.target.key or f.target.name) not in pledged
                and money_spent_by(parsed, f.trigger)):
            kept.append(replace(f, action="pledge", rule="accord.funded.pledge.v1"))
    return kept


def _home_country(states: list) -> str | None:
    """The state the story is about, given the mentions of states: the country named most often,
    if named twice or more and more often than any other."""
    counts = Counter(m.code for m in states)
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < 2 or (len(ranked) == 2 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]


def _records(found: Found, when: str | None, evidence: str, start: int, end: int,
             amount: str | None) -> list[Event]:
    return [Event(actor=code, action=found.action, target=found.target, date=when, evidence=evidence,
                  start=start, end=end, confidence=found.confidence, rule=found.rule, amount=amount)
            for code in found.actors]


def _unique(events: list[Event]) -> list[Event]:
    """One event per (actor, action, target): the first, most confident statement wins."""
    best: dict[tuple[str, str, str], Event] = {}
    for ev in events:
        key = (ev.actor, ev.action, ev.target.key or ev.target.name.lower())
        if key not in best or ev.confidence > best[key].confidence:
            best[key] = ev
    return sorted(best.values(), key=lambda e: (e.start, e.actor))
