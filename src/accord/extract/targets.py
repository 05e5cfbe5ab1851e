"""What an event acts on: the target a noun phrase of a parsed sentence points to.

Three cases, tried in order:
1. the phrase holds a target mention (a catalog name, or a capitalised name with a type noun);
2. it refers back ("this declaration", "the summit"): the latest earlier target of that type;
3. it describes a new one ("a global organization to coordinate AI governance"): a new
   Target named by the phrase, matched against the catalog first so aliases join up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Token

from accord import knowledge
from accord.extract.lexicon import lexicon, words
from accord.extract.mentions import TargetMention, instrument_target
from accord.records import Target

REFERRING = frozenset("this that the these those its their such said same".split())
LEADING = frozenset("a an the this that these those its their his her our such any another".split())
NOMINALISED = words("nominalised")
"""Acts named as nouns that hand over to their object ("the creation of a body" is the body)."""
CUT_DEPS = frozenset(("relcl", "advcl", "appos", "punct", "cc", "conj", "acl"))
CONTENT_PREPS = frozenset("on of for about regarding concerning against".split())
"""Prepositions whose object says what a target is about ("a resolution on AI"), unlike "at", "in"."""
SUMMIT_TEXTS = words("summit-texts")
"""Nouns for what a summit issues ("statement", "declaration"): described at a summit, they are its declaration."""

HOLLOW = words("hollow")
"""Modifiers that leave a noun as vague as it was ("further guidance", "the corresponding statement")."""
UNQUOTE = str.maketrans("", "", "\"“”‘’")
WHEN = frozenset(("DATE", "TIME"))
"""Entity labels of a prepositional object that says when, not what ("an agreement on Monday")."""
PLACE_OR_TIME = frozenset(("GPE", "LOC", "FAC", "DATE", "TIME"))
TARGET_PREPS = ("to", "in", "at", "from", "for", "against", "of", "on", "with", "into", "out")


@dataclass
class TargetMemory:
    """Targets named so far in an article, by token position, for resolving references."""

    mentions: list[TargetMention] = field(default_factory=list)
    noted: list[TargetMention] = field(default_factory=list)
    """Instruments described in passing, which only a pronoun may mean (see `before`)."""

    def add(self, mention: TargetMention) -> None:
        self.mentions.append(mention)
        self.mentions.sort(key=lambda m: m.start)

    def overlapping(self, start: int, end: int) -> TargetMention | None:
        hits = [m for m in self.mentions if m.start < end and start < m.end]
        return max(hits, key=lambda m: (m.catalog, m.end - m.start)) if hits else None

    def before(self, position: int, kind: str | tuple[str, ...] | None, skip: str | tuple[str, ...] | None = None,
               word: str | None = None, noted: bool = False, only_word: bool = False) -> Target | None:
        """The latest target named before `position`, of type `kind` (or of any of the kinds, or
        any if None) but not `skip`;
        one whose name holds `word` first, if any does ("the pact" -> the Pact for the Future,
        though a compact was named since)."""
        skips = (skip,) if isinstance(skip, str) else skip or ()
        pool = sorted([*self.mentions, *self.noted], key=lambda m: m.start) if noted else self.mentions
        earlier = [m for m in reversed(pool) if m.start < position
                   and (kind is None or m.target.type in ((kind,) if isinstance(kind, str) else kind))
                   and m.target.type not in skips]
        if word:  # a name with the word as its head noun first, else one with the word anywhere
            named = next((m for m in earlier if any(word == _head_word(n) for n in m.target.names)), None) or next(
                (m for m in earlier if any(word in n.lower().split() for n in m.target.names)), None)
            if named is not None or only_word:
                return named.target if named is not None else None
        return earlier[0].target if earlier else None

    def salient(self, position: int, skip: tuple[str, ...]) -> Target | None:
        """The target named most often before `position` (the latest of them on a tie), not of a
        type in `skip`: what "has not signed" with no object is about."""
        counts: dict[str, tuple[int, int, Target]] = {}
        for m in self.mentions:
            if m.start < position and m.target.type not in skip:
                key = m.target.key or m.target.name.lower()
                counts[key] = (counts.get(key, (0, 0, m.target))[0] + 1, m.start, m.target)
        return max(counts.values(), key=lambda c: (c[0], c[1]))[2] if counts else None

    def meeting(self, position: int) -> Target | None:
        """The meeting an attendance before `position` is at: the one named most often so far (else
        one noted in passing, "the summit in Apulia"),
        the first named of them on a tie (a story about a summit names it again and again, from
        its lead on; a forum named in passing, once)."""
        counts: dict[str, tuple[int, int, Target]] = {}
        named = [m for m in self.mentions if m.start < position and m.target.type == "summit"]
        for m in named or self.noted:
            if m.start < position and m.target.type == "summit":
                key = m.target.key or m.target.name.lower()
                seen, first, _ = counts.get(key, (0, m.start, m.target))
                counts[key] = (seen + 1, first, m.target)
        return max(counts.values(), key=lambda c: (c[0], -c[1]))[2] if counts else None


_NAME_HEAD = re.compile(r"\s(?:of|for|on|to|in|between|against)\s")


def _head_word(name: str) -> str:
    """The head noun of an instrument's name: its last word before any preposition ("code" in
    "Hiroshima Process International Code of Conduct for ...")."""
    words = _NAME_HEAD.split(name.lower(), maxsplit=1)[0].split()
    return words[-1] if words else ""


def phrase_tokens(head: Token, with_clauses: bool = False) -> list[Token]:
    """The tokens of the noun phrase headed by `head`, without relative clauses and appositions.

    `with_clauses` keeps the clause that says what it is for ("an organization to coordinate ...").
    """
    keep = [head]
    for child in head.children:
        if child.dep_ in CUT_DEPS and not (with_clauses and child.dep_ in ("acl", "relcl") and child.i > head.i
                                            and not any(c.dep_.startswith("nsubj") for c in child.children)):
            continue
        if child.dep_ == "prep" and (child.lower_ not in CONTENT_PREPS or any(
                c.dep_ == "pobj" and c.ent_type_ in WHEN for c in child.children)):
            continue
        if child.dep_ == "npadvmod" and child.ent_type_ in WHEN:
            continue  # "the summit last year"
        if child.i < head.i and any(c.dep_.startswith("nsubj") for c in child.children):
            continue  # "leaders of the G20 adopted [AI principles]": a clause the parse hung on the noun
        keep.extend(child.subtree)
    nested = {t.i for c in head.subtree if c.dep_ == "relcl" and c.head.i != head.i for t in c.subtree}
    # "a memorandum of understanding in Washington": where or when it happened is no part of its name
    nested |= {t.i for c in head.subtree if c.dep_ == "prep" and c.head.i != head.i and c.is_lower
               and any(o.dep_ == "pobj" and o.ent_type_ in PLACE_OR_TIME for o in c.children) for t in c.subtree}
    keep = sorted((t for t in keep if t.i not in nested), key=lambda t: t.i)
    # stop at a comma or parenthesis that closes the phrase after the head
    out: list[Token] = []
    for t in keep:
        if t.i > head.i and (t.text in (",", ";", "—", "–") or (
                out and any(head.doc[k].text in (",", ";") for k in range(out[-1].i + 1, t.i)))):
            break  # "a new UN body, similar to the IAEA": the comma the parse cut out closes it too
        out.append(t)
    return out


def phrase_text(tokens: list[Token]) -> str:
    """The phrase as written, without leading determiners or quotes."""
    while tokens and (tokens[0].lower_ in LEADING or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct and tokens[-1].text != ")":
        tokens = tokens[:-1]
    if not tokens:
        return ""
    # the tokens as written; a word cut out of the middle ("an agreement [on Monday] to work
    # together") stays out
    return "".join(t.text + (t.whitespace_ if nxt.i == t.i + 1 else " ")
                   for t, nxt in zip(tokens, [*tokens[1:], tokens[-1]], strict=True)).strip()


def _descend(head: Token) -> Token:
    """From "the creation of a body" to "body": nominalised verbs hand over to their object."""
    while head.lemma_.lower() in NOMINALISED:
        nxt = next((c for c in head.children if c.dep_ == "prep" and c.lower_ in ("of", "to")), None)  # "revisions to"
        obj = next((c for c in nxt.children if c.dep_ == "pobj"), None) if nxt is not None else None
        if obj is None:
            break
        head = obj
    return head


def refers_back(head: Token, tokens: list[Token]) -> bool:
    """"the summit", "this declaration", "the two-day summit", "the non-binding proposal": a
    determiner that points back, and no name or subject matter of its own."""
    if not any(t.lower_ in REFERRING for t in tokens if t.i < head.i):
        return False
    for t in tokens:
        if t.i == head.i or t.is_punct or t.lower_ in LEADING:
            continue
        if t.pos_ == "PROPN" or t.dep_ == "prep" or (t.like_num and t.i > head.i):
            return False
    return True


def _led_by(tokens: list[Token], actor_at) -> str | None:
    """The actor of an "X-led" modifier inside the phrase, if any."""
    for t in tokens:
        if t.text == "-" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ in ("led", "backed", "drafted", "proposed"):
            code = actor_at(t.i - 1)
            if code:
                return code
    return None


def resolve_target(head: Token, offset: int, memory: TargetMemory, actor_at,
                   owners: tuple[str, ...] = ()) -> Target | None:
    """The Target the phrase headed by `head` names or refers to, or None if it names none.

    `offset` maps the sentence's token indices to the article's; `actor_at(i)` gives the
    actor code of the sentence token i, used to tell "a China-led resolution" apart.
    `owners` are the actors the sentence makes owners of the target (those acting on it),
    with which a description is matched against the catalog ("its original AI principles").
    """
    head = _descend(head)
    tokens = phrase_tokens(head)
    lex = lexicon()
    lemma = head.lemma_.lower()
    kind = lex.type_nouns.get(lemma) or lex.type_nouns.get(head.lower_)
    own = tokens  # the noun phrase without the words of a type named in words
    if kind is None and (kind := lex.type_nouns.get("_".join(t.lower_ for t in head.doc[head.i:head.i + 3]))):
        # a type named in words, "a joint call to action on ...": the words and what follows them
        tail = phrase_tokens(head.doc[head.i + 2])
        tokens = sorted({*tokens, head.doc[head.i + 1], *tail}, key=lambda t: t.i)
        own = [t for t in tokens if t.i not in (head.i + 1, head.i + 2)]
    start, end = offset + tokens[0].i, offset + tokens[-1].i + 1
    hit = memory.overlapping(start, end)
    # a name inside the phrase is its target unless the phrase heads another thing of its own:
    # "the AI Action Summit investment plan" is a plan, not the summit
    if hit is not None and (hit.start <= offset + head.i < hit.end or kind is None
                            or (kind == "summit") == (hit.target.type == "summit")):
        return hit.target
    if kind is None and lemma in lex.loose and refers_back(head, tokens):
        # "the text", "the document", "the measure": the instrument last named
        return _referred(memory, start, end, memory.before(start, None, skip=("summit", "organization")))
    if kind is None:
        named = knowledge.named_instrument(phrase_text(tokens)) if head.pos_ == "PROPN" else None
        if named is None:
            return None
        target = instrument_target(named, phrase_text(tokens))  # "approved IndiaAI": a catalogued name alone
        memory.add(TargetMention(start, end, target, True))
        return target
    if kind == "summit" and not refers_back(head, own) and _only_when(head, tokens):
        # "Tuesday's session", "the 2024 meeting": when it met is all it says, so it is the meeting
        # the story is about
        return _referred(memory, start, end, memory.meeting(start))
    held = meeting_held_at(head, tokens) if kind == "summit" else None
    if held is not None:
        target = instrument_target(held, phrase_text(tokens) or held.name)
        memory.add(TargetMention(start, end, target, True))
        return target
    if refers_back(head, own):
        kinds = knowledge.KINDRED.get(kind, (kind,))
        earlier = memory.before(start, kinds, word=head.lower_, only_word=True)
        if earlier is None and own is tokens:  # "the call to action" means one so called, or none
            earlier = next((t for t in (memory.before(start, k) for k in kinds) if t is not None), None)
        if earlier is None and lemma in lexicon().loose:
            earlier = memory.before(start, None, skip=("summit", "organization"))
        if earlier is None and kind == "summit":  # "the two-day gathering": a meeting described before
            earlier = memory.before(start, "summit", noted=True)
        if earlier is not None:
            return _referred(memory, start, end, earlier)
    content = [t for t in tokens if t.i != head.i and not t.is_punct and t.lower_ not in LEADING and t.dep_ != "case"]
    if not content and (lemma in lex.generic or any(t.lower_ in REFERRING for t in tokens)):
        return None
    name = phrase_text(tokens)
    if not name or len(name) > 160 or len(name.split()) > 14:
        return None
    if head.tag_ in ("NNS", "NNPS") and any(c.dep_ == "nummod" for c in head.children):
        return None  # "two AI resolutions" counts instruments; it names none
    titled = _quoted_title(head)
    if content and not titled and all(t.lower_ in HOLLOW or t.lower_ in lex.criticism for t in content):
        return None  # "further guidance", "excessive regulation", "the corresponding statement": none named
    if any(t.lower_ == "own" for t in tokens) or any(
            t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound", "nmod") and t.nbor().text != "-"
            for t in tokens if t.i < head.i):
        return None  # "plans of their own", a clause swallowed by the parse
    full = phrase_text(phrase_tokens(head, with_clauses=True))
    if head.tag_ in ("NNS", "NNPS") and not content and not titled and full == name:
        return None  # "frameworks", "the resolutions": a kind of thing, not one instrument
    if not content and full != name and len(full) <= 160:
        name, full = full, name  # "a bill to promote AI research" says more than "bill"
    led = _led_by(tokens, actor_at)
    inst = knowledge.find_instrument(name.translate(UNQUOTE))
    if inst is not None and (inst.type == "summit") != (kind == "summit"):
        inst = None  # "the AI Action Summit investment plan" names a plan, not the summit
    if inst is None and led:
        inst = next((i for i in knowledge.instruments().values() if i.led_by == led and i.type == kind
                     and any(head.lower_ in n.lower().split() for n in (i.name, *i.aliases))), None)
        # "a China-led resolution" is its resolution; "a US-led coalition" no US institute
    if inst is None:
        possessors = tuple(c for c in (actor_at(t.i) for t in tokens if t.dep_ == "poss") if c)
        inst = knowledge.described_instrument(name.translate(UNQUOTE), head.lower_, kind, (*owners, *possessors))
    if inst is None and kind == "declaration" and not led and not any(t.pos_ == "PROPN" for t in tokens) and (
            head.lemma_.lower() in SUMMIT_TEXTS):
        # "a joint statement on ..." in a story about a summit: the declaration of that summit
        # (not "an agreement on testing AI models": a new instrument, which names no summit)
        meeting = memory.meeting(start)
        inst = knowledge.meeting_declaration(meeting.key) if meeting is not None and meeting.key else None
    if inst is None and titled:
        # 'a new order, "Removing Barriers to ..."': the quoted title names it
        inst = knowledge.find_instrument(titled)
        name, full = titled, name
    if inst:
        target = instrument_target(inst, name)
    else:
        target = Target(name=name, type=kind, aliases=(full,) if full != name and len(full) <= 200 else ())
    memory.add(TargetMention(start, end, target, inst is not None))
    return target


def _only_when(head: Token, tokens: list[Token]) -> bool:
    """Whether a phrase says nothing of its noun but when ("Tuesday's session", "last week's talks")."""
    rest = [t for t in tokens if t.i != head.i and not t.is_punct and t.lower_ not in LEADING]
    return bool(rest) and all(t.ent_type_ in WHEN or t.tag_ == "POS" for t in rest)


def meeting_held_at(head: Token, tokens: list[Token]) -> knowledge.Instrument | None:
    """The catalogued meeting "the summit in Apulia" or "the leaders' summit it hosted in
    Hiroshima" means: the one held at the place named beside it, if the words fit only one."""
    around = [*head.subtree, *(head.head.children if head.dep_ == "dobj" else ())]
    places = [t for c in around if c.dep_ == "prep" and c.lower_ in ("in", "at") for t in c.children
              if t.dep_ == "pobj" and t.ent_type_ in ("GPE", "LOC", "FAC")]
    description = phrase_text(tokens)
    for place in places:
        words = [w.text for w in place.subtree if w.ent_type_ == place.ent_type_]
        found = knowledge.meeting_at(" ".join(words), description, head.lower_)
        if found is not None:
            return found
    return None


def _referred(memory: TargetMemory, start: int, end: int, target: Target | None) -> Target | None:
    """`target`, which the tokens start..end refer back to, noted there as one more mention of it
    (so a target a story keeps coming back to counts as often as it is meant)."""
    if target is not None and memory.overlapping(start, end) is None:
        memory.add(TargetMention(start, end, target, target.key is not None))
    return target


TITLING = frozenset(("titled", "entitled", "called", "named", "dubbed"))
"""Words that put a quoted title after a noun ("an order titled ...")."""


def _quoted_title(head: Token) -> str | None:
    """The title in quotes set beside a noun ('an order, "Removing Barriers ..."'; 'an order on
    Thursday, titled "Removing Barriers ..."'), if any."""
    doc = head.doc
    i = head.i + 1
    if i < len(doc) and doc[i].text == ",":
        i += 1
    titled = next((j for j in range(head.i + 1, min(len(doc), head.i + 8)) if doc[j].lower_ in TITLING), None)
    if titled is not None and all(t.text not in ('"', "“", ";") for t in doc[head.i + 1:titled]):
        i = titled + 1 + (titled + 1 < len(doc) and doc[titled + 1].text == ":")
    if i >= len(doc) or doc[i].text not in ('"', "“"):
        return None
    end = next((j for j in range(i + 1, min(len(doc), i + 30)) if doc[j].text in ('"', "”")), None)
    if end is None or end - i < 3:
        return None
    return doc[i + 1:end].text.strip(" ,")


def object_heads(verb: Token) -> list[Token]:
    """Where a verb's target may stand: its object, then its prepositional objects."""
    heads = [c for c in verb.children if c.dep_ in ("dobj", "attr", "oprd")]
    for prep in (c for c in verb.children if c.dep_ in ("prep", "prt", "dative")):
        if prep.lower_ in TARGET_PREPS:
            heads.extend(c for c in prep.children if c.dep_ in ("pobj", "pcomp"))
            for sub in (c for c in prep.children if c.dep_ == "prep"):
                heads.extend(c for c in sub.children if c.dep_ == "pobj")
    for obj in [h for h in heads if h.dep_ == "dobj"]:
        # "published the Principles and a Code of Conduct": each conjoined object is a target
        heads.extend(c for c in obj.conjuncts if c.i > obj.i)
        # "joined the second day of the meeting": the meeting
        for prep in (c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"):
            heads.extend(c for c in prep.children if c.dep_ == "pobj")
    for obj in list(heads):
        if obj.lemma_.lower() in lexicon().delegation:
            for prep in (c for c in obj.children if c.dep_ == "prep" and c.lower_ in TARGET_PREPS):
                heads.extend(c for c in prep.children if c.dep_ == "pobj")
    return heads


__all__ = ["TargetMemory", "resolve_target", "object_heads", "phrase_tokens", "phrase_text", "knowledge"]
