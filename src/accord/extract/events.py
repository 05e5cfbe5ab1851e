"""Events from one parsed sentence: trigger verbs, their actors and their targets.

Two kinds of rules read spaCy's dependency parse:
- the data patterns of `accord/data/patterns/` (run by `accord.extract.engine`): one per
  construction, each with its example sentences; new constructions go there;
- the verb rules below, driven by triggers.tsv: a trigger verb gives the action; its subject,
  or the agent of a passive ("co-sponsored by the US"), gives the actors, every member of a
  list included; its object, prepositional object, passive subject or the noun it modifies
  gives the target; negation turns a signature into a refusal; modals and verbs like
  "expected" or "urged" cancel the event; a trigger under another trigger ("refused to sign")
  yields to it. The membership and role-list rules read "X was among the signatories" and
  "signatories including X".
Each rule has a versioned name stored on the events it makes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from accord import knowledge
from accord.extract.lexicon import Trigger, lexicon, word_actions, words
from accord.extract.lists import as_well_as, list_members
from accord.extract.mentions import TargetMention, instrument_target
from accord.extract.targets import (
    TargetMemory,
    meeting_held_at,
    object_heads,
    phrase_text,
    phrase_tokens,
    refers_back,
    resolve_target,
)
from accord.records import TARGET_TYPES, Target

CONDITIONAL = words("conditional")
"""Subordinators that make an event only a condition ("if Chile signs")."""
ALLOWED_PREPS = frozenset("including of from among like as for such".split())
REPORTING = words("reporting")
"""Verbs of saying, whose reported clause holds the actor's words ("said it would sign")."""

STATE_REFERENCES = words("state-references")
"""Nouns that, with "the" and nothing else, stand for the state just named or the story is about."""

BODY_REFERENCES = words("body-references")
"""Nouns that, with "the", stand for the intergovernmental body last named ("the bloc")."""

ROLES = word_actions("role")
"""Roles an actor "is among": "China was not among the signatories of the statement"."""

ORGANS = words("organs")
"""Organs that, named without their state ("the Union Cabinet approved"), act for the state the story is about."""

SITTINGS = words("sittings")
"""Sittings of an organ ("the Assembly's plenary session") that act as the organ does."""

BODY_SITTINGS = SITTINGS | words("body-meetings")
"""Meetings of a body that act for it ("the OECD Ministerial Council Meeting adopted revisions")."""

MEMBERS = words("members")
"""Plural people who, named without a state ("ministers endorsed", "its member states"), act for the body last named."""

MEMBERSHIP_VERBS = words("membership-verbs")
"""Verbs that list the members of a group named as the actor ("a group made up of A and B")."""

STATES_WORDS = words("states-words")
"""Plural nouns for states, which make a body named with them ("27 countries and the EU") a co-signatory."""

SAYING = words("saying")
"""Verbs besides REPORTING whose subject "it" in the reported clause stands for ("Japan confirmed it had signed")."""

COMPANY_WORDS = words("company")
"""People one joins at a meeting ("officials from Kenya joined their American hosts"): an attendance."""

LAUNCHING = words("launching")
"""Proposing verbs whose subject "it" is a state too ("in 2023 it launched the Hiroshima AI Process")."""

PRONOUN_ACTIONS = frozenset(("host", "attend", "sign", "ratify", "refuse", "withdraw"))
"""Actions whose subject "it" is a state rather than a text or a body ("it ratified", not "it calls for")."""

OWNING = frozenset(("adopt", "propose", "host"))
"""Actions whose actors own their target: "the OECD adopted its principles" are the OECD's principles."""

CUE_WORDS = frozenset(ROLES) | {"brought", "gathered", "drew", "assembled", "attending", "include",
                                "included", "includes", "members"}
"""Words other than trigger verbs that can carry an event ("among the critics", "was represented by")."""

NAMING_DEPS = ("nsubj", "dobj", "pobj", "conj", "appos")
"""Where a noun phrase names a thing of its own (not a modifier of another word)."""

LIST_GLUE = frozenset([",", "and", "the", "as", "well", "or", "also"])
"""Words that may stand between the members of a list of actors."""

ON_INSTRUMENTS = frozenset(("sign", "refuse", "ratify", "withdraw", "sponsor"))
"""Actions that, stated without an object ("also signed", "signed it"), act on the instrument last named."""

ON_MEETINGS = frozenset(("host", "attend"))
"""Actions on a meeting (or, chairing it, a body), never on a text."""

NOT_SIGNED = ("summit", "organization")
"""Target types "it" cannot mean after "signed", "ratified" or "refused": one signs an instrument."""

ISSUING = words("issuing")
"""Verbs of putting a text out, which for a government's own plan or law mean issuing it."""

PUBLISHING = words("publishing")
"""Verbs of publishing a text, which for a body's own text mean adopting it (launching it is proposing)."""

BODIES_OR_MEETINGS = frozenset(("organization", "summit"))
"""Target types that a list of targets does not mix with instruments."""

REFRAINING = words("refraining")
"""Verbs that, governing a trigger through a preposition ("refrained from endorsing"), negate it."""

BACKING = words("backing")
"""Triggers short of signing whose negation is still a refusal ("did not back the convention")."""

ENACTED = frozenset(("law", "strategy", "framework"))
"""Target types a body or government enacts for itself: endorsing or signing one is adopting it."""


def _distinct(targets: list[Target]) -> list[Target]:
    seen: list[Target] = []
    for t in targets:
        if all((t.key or t.name) != (o.key or o.name) for o in seen):
            seen.append(t)
    return seen


def _among_them(tok: Token) -> bool:
    return tok.lower_ == "among" and any(c.lower_ == "them" for c in tok.children)


def refined_action(action: str, lemma: str, actor: str, target: Target) -> str:
    """The action FORMAT.md codes, given who acts on what kind of target.

    A state that "adopts" a joint declaration signs it; a state that launches or presents its
    own national plan or law adopts it; a state or body that endorses,
    approves or signs its own law, order or strategy adopts it ("Trump signed an executive
    order", "AU ministers endorsed a continental strategy"); backing a declaration is
    endorsing it, which FORMAT.md codes as signing.
    """
    body = actor in knowledge.body_codes()
    if action == "adopt" and not body and target.type == "declaration":
        return "sign"
    if action == "sign" and target.type in ENACTED and (body or lemma in ("sign", "approve", "endorse")
                                                       or _national(actor, target)):
        return "adopt"  # a government agreeing to its own national plan adopts it
    if action == "sign" and body and lemma in ("endorse", "approve") and _own_body_text(actor, target):
        return "adopt"  # "AU ministers endorsed an African Digital Compact": the body's own text
    if action == "sign" and body and lemma == "agree" and not target.key and target.type != "organization":
        return "adopt"  # "G20 ministers agreed on a statement on AI": a new text of the body's own
    if action == "support" and lemma == "back" and target.type == "declaration":
        return "sign"
    if action == "propose" and lemma in ISSUING and target.type in ENACTED and _national(actor, target):
        return "adopt"  # "Brazil presented a Brazilian AI Plan": a government issuing its own plan adopts it
    if action == "propose" and body and lemma in PUBLISHING and target.type not in BODIES_OR_MEETINGS and (
            not target.key or _own_body_text(actor, target)):
        return "adopt"  # "UNESCO issued its Recommendation", "the G7 unveiled a code": a body's own text
    return action


BODY_NAME_NOISE = words("body-name-noise")
"""Words of a body's name that do not make a text its own ("African" does, "Union" does not)."""


def _own_body_text(body: str, target: Target) -> bool:
    """Whether the target is the body's own text: catalogued as led by it, or named with its
    code or a telling word of its name ("the African Digital Compact" of the African Union)."""
    led = knowledge.instruments().get(target.key) if target.key else None
    if led is not None:
        return led.led_by == body
    found = knowledge.bodies().get(body)
    if found is None:
        return False
    own = {body.lower()} | {w for w in knowledge.normal_form(found.name).split() if w not in BODY_NAME_NOISE}
    return bool(own & set(knowledge.normal_form(target.name).split()))


CHAIRING = words("chairing")
"""Triggers that host meetings and, chairing them in turn, organizations, but no instrument."""

PURPOSE_PREPS = words("purpose-preps")
"""Prepositions that say what pledged money is for."""


def _hyphenated(noun: Token) -> str:
    """The noun with the words hyphenated to it ("city-state" is three tokens), lowercased."""
    start = noun.i
    while start >= 2 and noun.doc[start - 1].text == "-":
        start -= 2
    return noun.doc[start:noun.i + 1].text.lower()


DESCRIBED = frozenset(("declaration", "resolution", "convention", "law", "strategy", "framework"))
"""Target types an article may introduce by description ("a pact on sharing research") and refer back to."""


def _introduced(noun: Token) -> bool:
    """Whether the noun introduces a new thing: an indefinite article ("a declaration calling for
    ...", "an accord on AI in healthcare"), not a reference ("the declaration") or a count."""
    return any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in noun.children)


def negated_action(action: str, lemma: str, target: Target) -> str | None:
    """What a negated act is: a signing (or backing an instrument: "did not back the convention")
    not done is a refusal; any other act not done is no event ("did not praise it")."""
    if action == "sign" or (lemma in BACKING and target.type not in BODIES_OR_MEETINGS):
        return "refuse"
    return None


def _joined_someone(verb: Token) -> bool:
    """Whether the verb is "join" with a person or actor for its object ("joined the President to ...")."""
    lex = lexicon()
    return verb.lemma_.lower() == "join" and any(
        c.dep_ == "dobj" and (c.ent_type_ in ("PERSON", "GPE", "NORP", "ORG") or c.pos_ == "PROPN"
                              or c.lemma_.lower() in lex.official)
        and c.lemma_.lower() not in lex.type_nouns for c in verb.children)


def _does_so(verb: Token) -> bool:
    """Whether the verb's object is "to do so" ("declined to do so"): the act named before."""
    return any(c.dep_ == "xcomp" and c.lemma_ == "do" and any(g.lower_ == "so" for g in c.children)
               for c in verb.children)


def _that_clause(verb: Token) -> bool:
    """Whether the verb takes a "that" clause for its object ("proposed that the models be governed")."""
    return any(c.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
               for c in verb.children)


WORLDWIDE = words("worldwide")
"""Words that make an instrument a state proposes to others rather than its own national one."""


def _national(actor: str, target: Target) -> bool:
    """Whether the target is the actor's own national instrument: its name says "national" or
    names the country ("the Brazilian Artificial Intelligence Plan")."""
    country = knowledge.countries().get(actor)
    if country is None:
        return False
    words = set(knowledge.normal_form(target.name).split())
    if words & WORLDWIDE:
        return False  # "the Global AI Governance Initiative" China launched is offered to the world
    own = {w for name in (country.name, *country.aliases, *country.demonyms) for w in [knowledge.normal_form(name)]
           if " " not in w}
    led = knowledge.instruments().get(target.key) if target.key else None
    if led is not None and led.led_by == actor and led.type in ("strategy", "law"):
        return True  # a catalogued national plan or law of this state
    return "national" in words or bool(words & own)


@dataclass(frozen=True)
class Found:
    """An event as found in a sentence, before it becomes a record: token positions only."""

    actors: tuple[str, ...]
    action: str
    target: Target
    trigger: int
    rule: str
    confidence: float


class SentenceReader:
    """Reads the events of parsed sentences; `actor_at(i)` maps a sentence token to an actor code."""

    def __init__(self, actor_at: Callable[[int], str | None], memory: TargetMemory,
                 offset: int, people: dict[str, str], last_body: Callable[[int], str | None] = lambda _: None,
                 home: str | None = None, previous: str | None = None):
        self.actor_at = actor_at
        self.memory = memory
        self.offset = offset
        self.people = people
        self.last_body = last_body
        self.home = home
        self.previous = previous
        self.lex = lexicon()

    # --- actors -----------------------------------------------------------------
    def _path_ok(self, tok: Token, slot: Token) -> bool:
        """Whether the actor named at `tok` acts through the phrase headed by `slot`."""
        body = self.actor_at(tok.i) in knowledge.body_codes()
        for _ in range(40):  # a list of twenty states is a chain of conjuncts
            if tok.i == slot.i:
                return True
            head, dep = tok.head, tok.dep_
            if head.i == tok.i:
                return False
            if head.lower_ in ("including", "include", "includes"):
                pass
            elif dep in ("compound", "amod", "poss", "nmod", "npadvmod"):
                if not (head.lemma_.lower() in self.lex.official or head.lower_ in self.lex.official
                        or head.lemma_.lower() in self.lex.delegation or head.ent_type_ == "PERSON"
                        or head.lower_ in STATES_WORDS  # "the Group of Seven democracies", not "EU members"
                        or (head.pos_ == "PROPN" and head.ent_type_ == "" and self.actor_at(head.i) is None)
                        or (body and head.lemma_.lower() in BODY_SITTINGS)):
                    return False  # "the OECD Ministerial Council Meeting adopted": the OECD
            elif dep == "pobj":
                if head.lower_ not in ALLOWED_PREPS and not (head.lower_ == "in" and self._official(head.head)):
                    return False  # "lawmakers in Brazil" act for Brazil; "a summit in Paris" is no actor
                if head.head.lemma_.lower() in self.lex.private or head.head.lower_ in self.lex.private:
                    return False  # "firms from the US" are not the US
                if head.head.lower_ == "member":
                    return False  # "a member of the European Parliament" speaks for herself
            elif dep == "prep":
                if tok.lower_ not in ALLOWED_PREPS and not (tok.lower_ == "in" and self._official(head)):
                    return False
            elif dep in ("acl", "relcl") and tok.lemma_.lower() in MEMBERSHIP_VERBS:
                pass  # "a core group made up of Austria and Brazil", "a coalition comprising ..."
            elif dep not in ("conj", "appos", "cc", "flat"):
                return False
            tok = head
        return False

    def actors_of(self, slot: Token) -> list[str]:
        """The actor codes a subject or agent phrase stands for, in text order, once each."""
        codes: list[str] = []
        for tok in slot.subtree:
            code = self.actor_at(tok.i)
            if code is None:
                if tok.ent_type_ == "PERSON" or tok.pos_ == "PROPN":
                    code = self.people.get(tok.text)
                if code is None:
                    continue
            # the mention's last token stands for it in the parse
            if tok.i + 1 <= slot.right_edge.i and self.actor_at(tok.i + 1) == code and tok.head.i == tok.i + 1:
                continue
            if self._path_ok(tok, slot) and code not in codes:
                codes.append(code)
        if codes:
            codes = self._listed_before(slot) + [c for c in codes if c not in self._listed_before(slot)]
        elif (_hyphenated(slot) in STATE_REFERENCES and any(c.lower_ == "the" for c in slot.children)
              and not any(c.dep_ in ("compound", "amod", "prep") and c.nbor().text != "-" for c in slot.children)
              and (self.previous or self.home)):
            codes = [self.previous or self.home]  # "the city-state hosted ...", "the kingdom committed ..."
        elif (slot.lemma_.lower() in BODY_REFERENCES and any(c.lower_ in ("the", "its") for c in slot.children)
              and not any(c.dep_ in ("compound", "amod") for c in slot.children)):
            # "the group endorsed", "the bloc adopted": the body last named
            body = self.last_body(self.offset + slot.i)
            codes = [body] if body else []
        else:
            codes = self._unnamed_actors(slot)
        return codes

    def _unnamed_actors(self, slot: Token) -> list[str]:
        """Who an organ or group named without its state stands for: "the organisation's Committee
        of Ministers" and "its member states" for the body last named; "the Union Cabinet" for the
        state of the clause it sits in, else the state the story is about; "ministers endorsed"
        for the body last named."""
        if slot.pos_ not in ("NOUN", "PROPN") or any(self.actor_at(t.i) for t in slot.subtree):
            return []
        word = slot.lemma_.lower()
        owner = next((c for c in slot.children if c.dep_ == "poss"), None)
        if owner is not None and (owner.lemma_.lower() in BODY_REFERENCES or owner.lower_ == "its") and (
                word in ORGANS or slot.lower_ in MEMBERS or self._official(slot)):
            body = self.last_body(self.offset + slot.i)
            return [body] if body else []
        if owner is not None and owner.lemma_.lower() in ORGANS and word in SITTINGS and owner.tag_ in ("NN", "NNP"):
            # "the National Assembly's plenary session passed the act": the assembly, for its state
            governing = self._governing_actors(slot.head)
            return governing or ([self.home] if self.home else [])
        if owner is not None or any(c.dep_ == "det" and c.lower_ not in ("the",) for c in slot.children):
            return []  # "some ministers", "a committee", "their parliament"
        if word in ORGANS and slot.tag_ in ("NN", "NNP"):
            governing = self._governing_actors(slot.head)
            return governing or ([self.home] if self.home else [])
        if slot.lower_ in MEMBERS and slot.tag_ == "NNS":
            body = self.last_body(self.offset + slot.i)
            return [body] if body else []
        return []

    def _governing_actors(self, verb: Token) -> list[str]:
        """The actors of the clause a clause hangs on ("South Korea went further when the assembly passed ...")."""
        tok = verb
        for _ in range(5):
            if tok.head.i == tok.i:
                return []
            tok = tok.head
            subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if tok.pos_ in ("VERB", "AUX") and subject is not None:
                return [c for c in (self.actor_at(t.i) for t in subject.subtree) if c][:1]
        return []

    def _listed_before(self, slot: Token) -> list[str]:
        """Actors listed right before the subject ("Chile, Colombia and Peru signed"), which the
        parser sometimes cuts off from it."""
        codes: list[str] = []
        i = slot.left_edge.i - 1
        doc = slot.doc
        while i >= 1 and doc[i].text == ",":
            code = self.actor_at(i - 1)
            if code is None:
                break
            j = i - 1
            while j > 0 and self.actor_at(j - 1) == code:
                j -= 1
            if j > 0 and doc[j - 1].lower_ == "the":
                j -= 1
            codes.insert(0, code)
            i = j - 1
        return codes if i < 0 or doc[i].is_punct else []

    def _subject(self, verb: Token) -> tuple[Token | None, bool]:
        """The phrase that does the verb's action, and whether it came from a passive agent."""
        active = any(c.dep_ == "nsubj" for c in verb.children) and not any(c.dep_ == "auxpass" for c in verb.children)
        for child in verb.children:
            if child.dep_ == "agent" and not active:  # "adopted by consensus" is no passive
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj, True
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "csubj")), None)
        if subj is not None and subj.lower_ in ("which", "that", "who") and verb.dep_ == "relcl":
            antecedent = verb.head
            among = antecedent.head
            if antecedent.dep_ == "pobj" and among.lower_ == "among" and among.head.lemma_ == "be":
                # "X and Y were among those that endorsed it": the ones doing it are X and Y
                outer = next((c for c in among.head.children if c.dep_ == "nsubj"), None)
                if outer is not None:
                    return outer, False
            return antecedent, False
        if subj is not None:
            return subj, False
        if verb.dep_ in ("xcomp", "conj", "advcl", "ccomp") and verb.head.i != verb.i and verb.head.pos_ in ("VERB", "AUX"):
            return self._subject(verb.head)
        holder = verb.head
        if verb.dep_ in ("relcl", "acl") and holder.dep_ in ("attr", "oprd") and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
            # "Chile is the latest country to sign it": Chile signs
            outer = next((c for c in holder.head.children if c.dep_ == "nsubj"), None)
            if outer is not None:
                return outer, False
        if verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
            outer = verb.head.head
            if outer.pos_ == "ADV" and outer.head.pos_ in ("VERB", "AUX"):
                outer = outer.head  # "Qatar shied away from signing": Qatar
            if outer.pos_ in ("VERB", "AUX"):
                return self._subject(outer)  # "Kenya joined Chile in declining to sign": Kenya declined
        swallowed = self._swallowed_subject(verb)
        if swallowed is not None:
            return swallowed, False
        owner = self._possessor(verb)
        return (owner, True) if owner is not None else (None, False)

    def _swallowed_subject(self, verb: Token) -> Token | None:
        """The subject the parser hung on a fronted phrase ("At a summit in Paris, Norway and Sweden
        opted not to ...": Norway and Sweden made conjuncts of Paris): the actor opening the words
        between the phrase's last comma and the verb."""
        if verb.dep_ != "ROOT" or not any(c.dep_ == "prep" and c.i < verb.i for c in verb.children):
            return None
        doc = verb.doc
        comma = next((i for i in range(verb.i - 1, 0, -1) if doc[i].text == ","), None)
        if comma is None:
            return None
        first = comma + 1 + (doc[comma + 1].lower_ == "the")
        if first >= verb.i or self.actor_at(first) is None:
            return None
        while first + 1 < verb.i and self.actor_at(first + 1) == self.actor_at(first):
            first += 1  # the mention's last token heads it ("Saudi Arabia")
        return doc[first]

    def _possessor(self, verb: Token) -> Token | None:
        """The owner of what a passive adoption adopts: "the Assembly's first resolution was adopted",
        "its resolution, adopted in 2023" (the Assembly adopted it)."""
        if verb.lemma_.lower() not in ("adopt", "pass", "approve", "endorse"):
            return None
        if any(c.dep_ == "auxpass" for c in verb.children):
            thing = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        else:
            thing = verb.head if verb.dep_ == "acl" and verb.tag_ == "VBN" else None
        owner = next((c for c in thing.children if c.dep_ == "poss"), None) if thing is not None else None
        if owner is None:
            return None
        if self.actor_at(owner.i) in knowledge.body_codes() or owner.lemma_.lower() in BODY_REFERENCES:
            return owner
        return None

    # --- blocking -------------------------------------------------------------------
    def _status(self, verb: Token) -> str:
        """"ok", "negated" or "cancelled", from the verb and the verbs that govern it."""
        status = "ok"
        tok = verb
        for _ in range(4):
            kids = list(tok.children)
            if any(c.dep_ == "aux" and c.lemma_.lower() in self.lex.modal for c in kids):
                return "cancelled"
            if any(c.dep_ == "mark" and c.lower_ in CONDITIONAL for c in kids):
                return "cancelled"
            if any(c.dep_ == "neg" or c.lower_ in ("never", "not", "n't") for c in kids):
                status = "negated" if status == "ok" else "ok"
            if tok.dep_ == "pcomp" and tok.head.dep_ == "prep" and REFRAINING & {
                    tok.head.head.lemma_.lower(), tok.head.head.head.lemma_.lower()}:  # "shied away from"
                return "negated" if status == "ok" else "ok"  # "refrained from endorsing it"
            if tok.dep_ in ("xcomp", "ccomp") and tok.head.i != tok.i:
                governor = tok.head
                glemma = governor.lemma_.lower()
                if glemma in self.lex.cancels or governor.lower_ in self.lex.cancels:
                    return "cancelled"
                if glemma in self.lex.keeps or tok.dep_ == "xcomp":
                    tok = governor
                    continue
            break
        return status

    # --- triggers -------------------------------------------------------------------
    def _options(self, verb: Token) -> tuple[Trigger, ...]:
        """Triggers for the verb's lemma; hyphenated verbs ("co-sponsored") are lemmatised here."""
        for word in (verb.lemma_.lower(), verb.lower_):
            if word in self.lex.triggers:
                return self.lex.triggers[word]
        low = verb.lower_
        for suffix, add in (("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("s", "")):
            if low.endswith(suffix) and low[: -len(suffix)] + add in self.lex.triggers:
                return self.lex.triggers[low[: -len(suffix)] + add]
        return ()

    def _trigger(self, verb: Token) -> Trigger | None:
        options = self._options(verb)
        if not options:
            return None
        words = {c.lower_ for c in verb.children}
        plain = None
        for trig in options:
            if trig.with_word and all(w in words for w in trig.with_word.split()):
                return trig
            if trig.with_word is None:
                plain = trig
        return plain

    def _under_trigger(self, verb: Token) -> bool:
        """True for "sign" in "refused to sign": the governing trigger speaks for both."""
        head = verb.head
        if head.lemma_.lower() in self.lex.keeps:
            return False  # "agreed to set up a panel": the setting up is the event, not the agreeing
        if _joined_someone(head):
            return False  # "Rwanda joined the AU's chair to launch the declaration": a launch, with the chair
        return verb.dep_ == "xcomp" and head.i != verb.i and self._trigger(head) is not None

    def _over_trigger(self, verb: Token) -> bool:
        """True for "agreed" in "agreed to set up": a verb that keeps the trigger under it yields to it."""
        return verb.lemma_.lower() in self.lex.keeps and any(
            c.dep_ == "xcomp" and self._trigger(c) is not None for c in verb.children)

    def _behalf(self, verb: Token) -> list[str]:
        """"X signed the convention on Britain's behalf", "on behalf of the EU": that actor."""
        for behalf in (t for t in verb.subtree if t.lower_ == "behalf" and t.head.lower_ == "on"):
            owners = [c for c in behalf.children if c.dep_ == "poss"]
            owners += [t for c in behalf.children if c.dep_ == "prep" and c.lower_ == "of" for t in c.children
                       if t.dep_ == "pobj"]
            return list(dict.fromkeys(code for o in owners for code in self.actors_of(o)))
        return []

    def _pronoun_state(self, slot: Token, trig: Trigger) -> list[str]:
        """Who "it" or "they" is: in "Japan said it supports the process", the one who said it;
        else, doing what states do ("in May it co-hosted the summit"), the state the story is about."""
        if slot.lower_ not in ("it", "they", "we"):
            return []
        clause = slot.head
        while clause.dep_ in ("xcomp", "conj") and clause.head.i != clause.i:
            clause = clause.head
        teller = clause.head if clause.dep_ == "ccomp" else None
        if teller is not None and (teller.lemma_.lower() in REPORTING or teller.lemma_.lower() in SAYING):
            speaker = next((c for c in teller.children if c.dep_ == "nsubj"), None)
            found = self.actors_of(speaker) if speaker is not None else []
            if found:
                return found
        if slot.lower_ == "they":
            # "Modi and Macron flew to Paris, where they co-chaired the summit": the actors of a
            # clause this one hangs on
            outer = slot.head
            for _ in range(6):
                if outer.head.i == outer.i:
                    break
                outer = outer.head
                subject = next((c for c in outer.children if c.dep_ == "nsubj" and c.lower_ != "they"), None)
                found = self.actors_of(subject) if subject is not None else []
                if len(found) >= 2:
                    return found
        if slot.lower_ == "it" and (trig.action in PRONOUN_ACTIONS or trig.lemma in LAUNCHING) and (
                self.previous or self.home):
            # "Seoul has worked to be a convener. In May it co-hosted ...": the state the sentence
            # before opened with, else the state the story is about
            return [self.previous or self.home]
        return []

    def _body_target(self, head: Token) -> Target | None:
        """The intergovernmental body a membership verb acts on, as an organization target."""
        code = self.actor_at(head.i)
        if code is None and head.lemma_.lower() in BODY_REFERENCES and any(c.lower_ == "the" for c in head.children):
            code = self.last_body(self.offset + head.i)  # "rejoined the organisation": the body last named
        body = knowledge.bodies().get(code) if code else None
        if body is None:
            return None
        return Target(name=body.name, type="organization", aliases=(code, *body.aliases))

    def _owners(self, head: Token, actors: list[str]) -> tuple[str, ...]:
        """Who owns the phrase headed by `head`: the actors, and the body "the organisation's" means."""
        body = any(t.dep_ == "poss" and t.lemma_.lower() in BODY_REFERENCES for t in head.subtree)
        last = self.last_body(self.offset + head.i) if body else None
        return (*actors, last) if last else tuple(actors)

    @staticmethod
    def _unsigned(action: str) -> tuple[str, ...]:
        """The target types a pronoun or a missing object cannot stand for, given the action."""
        return NOT_SIGNED if action in ("sign", "ratify", "refuse") else ("summit",)

    def _instrument_before(self, position: int, action: str) -> Target | None:
        """What "it" or a missing object means for `action`: the treaty last named for a ratification,
        else the last target of a type the action can act on."""
        ratified = self.memory.before(self.offset + position, "convention", noted=True) if action == "ratify" else None
        return ratified or self.memory.before(self.offset + position, None, skip=self._unsigned(action))

    def note_descriptions(self, sent: Doc) -> None:
        """Put in memory what the sentence names or describes without acting on it, for a later
        reference: a catalogued instrument, named ("together with a voluntary International Code
        of Conduct") or described ("a leaders' statement on inclusive and sustainable AI"), counts
        as named, so "the code" or "the statement" later means it; a treaty described ("the AU's
        convention on cyber security, adopted in Malabo") and a meeting described ("the first
        meeting of a new network") are noted, for "ratified it" or "the gathering". (Other
        descriptions stay out: "the declaration" should keep meaning the one named.)"""
        for tok in sent:
            kind = self.lex.type_nouns.get(tok.lemma_.lower()) or self.lex.type_nouns.get(tok.lower_)
            if kind is None or tok.pos_ not in ("NOUN", "PROPN") or self.memory.overlapping(
                    self.offset + tok.i, self.offset + tok.i + 1) is not None:
                continue
            tokens = phrase_tokens(tok)
            if kind == "summit":
                if tok.pos_ == "PROPN":
                    continue
                held = meeting_held_at(tok, tokens)
                if held is not None:  # "host of the summit in Apulia": the meeting, should no other be named
                    self.memory.noted.append(TargetMention(self.offset + tok.i, self.offset + tok.i + 1,
                                                           instrument_target(held, held.name), True))
                elif tok.dep_.startswith(("nsubj", "dobj", "pobj")) and (
                        (not refers_back(tok, tokens) and any(c.dep_ == "prep" and c.lower_ in ("of", "on") for c in tok.children))
                        or sum(c.dep_ in ("amod", "compound") and c.i < tok.i for c in tok.children) >= 2):
                    self.memory.noted += self._aside(tok)
                continue
            naming = tok.dep_.startswith(NAMING_DEPS) and (tok.pos_ == "PROPN" or not refers_back(tok, tokens))
            treaty = kind == "convention" and tok.pos_ == "NOUN" and tok.dep_.startswith((*NAMING_DEPS, "ROOT"))
            found = self._aside(tok) if naming or treaty else []
            catalogued = [m for m in found if m.catalog] if naming else []
            if naming and not catalogued and kind in DESCRIBED and _introduced(tok):
                # "a declaration calling for open AI": a new instrument, which "the text", "the
                # declaration" or "among the signatories" may mean in the sentences after it
                catalogued = [m for m in found if len(m.target.name.split()) >= 3]
            for m in catalogued:
                self.memory.add(m)
            if treaty and not catalogued:
                self.memory.noted += found

    def _aside(self, head: Token) -> list[TargetMention]:
        """The mentions resolving the phrase headed by `head` would add, without adding them."""
        scratch = TargetMemory(list(self.memory.mentions))
        if resolve_target(head, self.offset, scratch, self.actor_at) is None:
            return []
        return [m for m in scratch.mentions if m not in self.memory.mentions]

    def _targets(self, verb: Token, passive: bool, actors: list[str], action: str) -> list[Target]:
        heads: list[Token] = []
        if passive or verb.dep_ in ("acl", "relcl", "amod"):
            own = [c for c in verb.children if c.dep_ == "nsubjpass"]
            if not own and passive and verb.dep_ == "conj":  # "was organised by X and co-hosted by Y"
                own = [c for c in verb.head.children if c.dep_ == "nsubjpass"]
            heads += own
            if verb.dep_ in ("acl", "relcl", "amod") and not any(
                    c.dep_ in ("nsubjpass", "dobj") and c.lower_ not in ("which", "that", "who") for c in verb.children):
                heads.append(verb.head)  # not "the agency whose recommendation was adopted": that is the recommendation
        heads += object_heads(verb)
        heads += [obj for c in verb.children if c.dep_ == "xcomp" for obj in object_heads(c)]
        if verb.dep_ in ("acl", "relcl") and verb.head.lemma_.lower() not in self.lex.type_nouns:
            # "a resolution ..., a months-long effort backed by ...": the effort is the resolution
            earlier = [t for t in verb.doc[: verb.head.i] if t.pos_ == "NOUN" and t.lemma_.lower() in self.lex.type_nouns]
            heads += earlier[-1:]
        targets: list[Target] = []
        first: Token | None = None
        for head in heads:
            if head.lower_ in ("which", "that"):
                before = head.doc[head.i - 1] if head.i > 0 else None
                if not (verb.dep_ == "ccomp" and head.dep_ == "dobj" and before is not None
                        and before.pos_ in ("NOUN", "PROPN")):
                    continue
                head = before  # "builds on the Strategy that the Council endorsed", parsed as "builds [that ...]"
            if first is not None and head.i not in {c.i for c in first.conjuncts}:
                continue  # after the first target, only those conjoined with it ("X and Y")
            if head.lower_ in ("it", "them") and head.dep_ == "dobj":
                earlier = self._instrument_before(verb.i, action)
                if earlier is not None:
                    targets.append(earlier)
                    first = head
                continue
            owners = actors if action in OWNING else []  # who signs a declaration does not own it
            target = resolve_target(head, self.offset, self.memory, self.actor_at, self._owners(head, owners))
            if target is None and action in ("sign", "withdraw") and first is None:
                target = self._body_target(head)  # "rejoined UNESCO", "left the WHO": membership of a body
            if target is not None and targets and (target.type in BODIES_OR_MEETINGS or targets[0].type
                                                   in BODIES_OR_MEETINGS) and target.type != targets[0].type:
                continue  # "signed orders taking it out of the accord and the WHO": no list of alike things
            if target is not None:
                targets.append(target)
                first = first or head
        if not targets and action == "pledge":
            targets = self._purpose(verb)
        return targets

    def _purpose(self, verb: Token) -> list[Target]:
        """What money is pledged for when no instrument is named: "committed $3.8 million for AI
        safety work in partner countries", "will invest 30 billion euros in a data centre campus"."""
        amounts = [t for c in verb.children if c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ not in PURPOSE_PREPS)
                   for t in c.subtree]  # "$3.8 million", "between 30 billion and 50 billion euros"
        if not any(t.ent_type_ == "MONEY" or (t.dep_ == "dobj" and t.like_num) for t in amounts):
            return []
        preps = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in PURPOSE_PREPS]
        preps += [t for t in amounts if t.dep_ == "prep" and t.lower_ in PURPOSE_PREPS]  # "30 billion euros in ..."
        for prep in preps:
            for obj in (c for c in prep.children if c.dep_ == "pobj" and c.pos_ == "NOUN"
                        and c.ent_type_ not in ("GPE", "LOC", "DATE", "TIME", "MONEY")):
                tokens = phrase_tokens(obj)
                name = phrase_text(tokens)
                if len(name.split()) >= 2 and not any(self.actor_at(t.i) for t in tokens):
                    target = Target(name=name, type="strategy")
                    self.memory.add(TargetMention(self.offset + obj.left_edge.i, self.offset + obj.i + 1, target, False))
                    return [target]
        return []

    def _fallback_target(self, sent: Doc, verb: Token, actors_slot: Token, action: str) -> Target | None:
        """The nearest target named or referred to in the sentence, when the parse links none to
        the verb, of a type the action can act on ("did not take part in the talks and has not
        signed": not the talks)."""
        inside_actor = {t.i for t in actors_slot.subtree if self.actor_at(t.i) or t.ent_type_ == "PERSON"}
        unsigned = self._unsigned(action) if action in ("sign", "ratify", "refuse") else ()
        if action in ON_MEETINGS:  # one hosts or attends a meeting (or chairs a body), never a text
            unsigned = tuple(t for t in TARGET_TYPES if t not in BODIES_OR_MEETINGS)
        best = None
        for mention in self.memory.mentions:
            if mention.target.type in unsigned:
                continue
            if self.offset <= mention.start < self.offset + len(sent) and mention.start - self.offset not in inside_actor:
                distance = abs(mention.start - self.offset - verb.i)
                if best is None or distance < best[0]:
                    best = (distance, mention.target)
        for tok in sent:
            if tok.i in inside_actor or tok.pos_ != "NOUN" or tok.lemma_.lower() not in self.lex.type_nouns:
                continue
            distance = abs(tok.i - verb.i)
            if (best is None or distance < best[0]) and refers_back(tok, phrase_tokens(tok)):
                target = resolve_target(tok, self.offset, self.memory, self.actor_at)
                if target is not None and target.type not in unsigned:
                    best = (distance, target)
        return best[1] if best else None

    def verb_events(self, sent: Doc) -> Iterator[Found]:
        for verb in sent:
            if not verb.tag_.startswith("VB"):
                continue
            trig = self._trigger(verb)
            if trig is None or self._under_trigger(verb) or self._over_trigger(verb):
                continue
            if _joined_someone(verb) and any(c.dep_ in ("xcomp", "advcl") and self._trigger(c) for c in verb.children):
                continue  # "joined the chair to launch it": the launch is the event
            status = self._status(verb)
            if status == "cancelled":
                continue
            slot, passive = self._subject(verb)
            if slot is None:
                continue
            if status == "ok" and any(c.lower_ == "neither" for c in slot.children):
                status = "negated"  # "Neither Russia nor Belarus signed it"
            delegation = self._delegation(verb)
            if trig.lemma == "send" and delegation is None:
                continue  # "sent a letter" is no attendance; "sent a delegation" is
            if slot.lower_ == "it" and slot.head.i != verb.i and any(
                    c.dep_ == "dobj" and c.lower_ == "it" for c in verb.children):
                continue  # "It enters into force after five have ratified it": "it" is no state there
            behalf = self._behalf(verb)
            if behalf and trig.action == "propose" and delegation is None:
                # "presented the draft on behalf of A, B and C": they sponsor it, the one presenting proposes it
                yield from self._behalf_sponsors(verb, trig, slot, behalf, passive, status)
            actors = delegation or (behalf if trig.action != "propose" else []) or self.actors_of(slot) or (
                self._pronoun_state(slot, trig))
            actors += [c for c in self._companions(verb, slot) if c not in actors]
            if not actors:  # "Sixty nations endorsed it, though Saudi Arabia did not": the refusal still counts
                if trig.action == "sign" and any(c.lemma_ == "do" for c in verb.children):
                    for target in _distinct(self._targets(verb, passive, [], trig.action)):
                        yield from self._elided_refusals(verb, trig, target, status)
                continue
            targets = self._targets(verb, passive, actors, trig.action)
            if not targets and _does_so(verb):  # "India signed the statement, but the US declined to do so"
                earlier = [v for v in sent[:verb.i] if v.pos_ in ("VERB", "AUX") and self._trigger(v) is not None]
                if earlier:
                    targets = self._targets(earlier[-1], self._subject(earlier[-1])[1], actors, trig.action)
            confidence = 0.85
            if not targets and not any(c.dep_ == "dobj" and c.pos_ != "PRON" for c in verb.children) and not any(
                    o.pos_ == "NOUN" and o.head.lower_ == "to" for o in object_heads(verb)) and not (
                    trig.action == "propose" and _that_clause(verb)):  # "proposed that models be ...": no instrument
                fallback = self._fallback_target(sent, verb, slot, trig.action)
                if fallback is None and trig.action in ON_INSTRUMENTS:
                    # "The European Union also signed.", "Chile ratified it later": the instrument last named
                    fallback = (self.memory.salient(self.offset + verb.i, self._unsigned(trig.action))
                                if trig.action != "ratify" else self._instrument_before(verb.i, trig.action))
                if fallback is not None:
                    targets, confidence = [fallback], 0.6
            if not targets and (delegation is not None or trig.action in ON_MEETINGS or (
                    trig.lemma == "join" and any(c.dep_ == "dobj" and c.lemma_.lower() in COMPANY_WORDS
                                                 for c in verb.children))):
                # "took part", "sent their ministers": the meeting last named
                meeting = self.memory.meeting(self.offset + verb.i)
                targets = [meeting] if meeting else []
            for target in _distinct(targets):
                yield from self._verb_event(verb, trig, slot, actors, target, delegation, status, confidence)
                yield from self._elided_refusals(verb, trig, target, status)

    def _behalf_sponsors(self, verb: Token, trig: Trigger, slot: Token, behalf: list[str], passive: bool,
                         status: str) -> Iterator[Found]:
        if status != "ok":
            return
        for target in _distinct(self._targets(verb, passive, behalf, "sponsor")):
            if target.type not in BODIES_OR_MEETINGS:
                yield Found(tuple(behalf), "sponsor", target, verb.i, "accord.verb.behalf.sponsor.v1", 0.8)

    def _elided_refusals(self, verb: Token, trig: Trigger, target: Target, status: str) -> Iterator[Found]:
        """"Sixty nations endorsed the declaration, though Saudi Arabia did not": the states of a
        negated "did" echoing a signing refused it."""
        if status != "ok" or trig.action != "sign" or target.type in BODIES_OR_MEETINGS:
            return
        for echo in verb.children:
            if echo.dep_ in ("advcl", "conj") and echo.lemma_ == "do" and any(
                    c.dep_ == "neg" for c in echo.children) and not any(
                    c.dep_ in ("dobj", "xcomp", "ccomp") for c in echo.children):
                subject = next((c for c in echo.children if c.dep_ == "nsubj"), None)
                actors = self.actors_of(subject) if subject is not None else []
                if actors:
                    yield Found(tuple(actors), "refuse", target, echo.i, "accord.verb.elided-refusal.v1", 0.7)

    def _verb_event(self, verb: Token, trig: Trigger, slot: Token, actors: list[str], target: Target,
                    delegation: list[str] | None, status: str, confidence: float) -> Iterator[Found]:
        """The events of one trigger on one of its targets."""
        action = "attend" if delegation is not None else (
            trig.on_meeting if target.type == "summit" else trig.action)
        if action in ("sign", "support") and self._as_sponsor(verb):
            action = "sponsor"
        if action is None or (trig.lemma in CHAIRING and target.type not in ("summit", "organization")):
            return  # a cabinet "chaired by" its prime minister hosts no plan it approves
        if status == "negated":
            action = negated_action(action, trig.lemma, target)
            if action is None:
                return
        by_action: dict[str, list[str]] = {}
        states = knowledge.country_codes()
        joint = target.type == "declaration" and action == "adopt" and (
            any(a in states for a in actors)
            or any(t.lower_ in STATES_WORDS and t.pos_ == "NOUN" for t in slot.subtree))  # not "United Nations"
        # "the US and the UAE agreed to set up a partnership framework": states agreeing together on
        # a text of their own sign it
        joint = joint or (action in ("propose", "adopt") and len(actors) >= 2 and all(a in states for a in actors)
                          and verb.dep_ == "xcomp" and verb.head.lemma_.lower() == "agree"
                          and target.type not in BODIES_OR_MEETINGS)
        for actor in actors:
            # "27 countries and the EU put out a statement": the EU signs it with them
            final = "sign" if joint else refined_action(action, trig.lemma, actor, target)
            by_action.setdefault(final, []).append(actor)
        for final, group in by_action.items():
            yield Found(tuple(group), final, target, verb.i, f"accord.verb.{final}.v1", confidence)
        self._remember_people(slot, actors)

    def _companions(self, verb: Token, slot: Token) -> list[str]:
        """Actors listed beside the subject rather than in it: "signed by dozens of governments,
        among them China and India", "alongside Kenya and Nigeria", "co-hosted with France"."""
        codes: list[str] = []
        together = any(c.lower_ in ("together", "along", "jointly") for c in verb.subtree)
        co_verb = verb.lower_.startswith("co")
        if slot.lemma_.lower() in self.lex.groups or slot.lower_ in self.lex.groups:
            # "signed by dozens of governments, among them China and India"
            doc = verb.doc
            for among in (t for t in doc[:-1] if t.lower_ == "among" and doc[t.i + 1].lower_ == "them"):
                codes += [c for c in self._listed_after(doc, among.i + 2) if c not in codes]
        outer = verb.head.head if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" else None
        if verb.dep_ in ("xcomp", "advcl") and _joined_someone(verb.head):
            outer = verb.head  # "Rwanda joined Kenya to launch it": Kenya launched it too
        if outer is not None and outer.lemma_.lower() == "join":
            # "Kenya joined Chile in declining to sign": Chile declined too
            codes += [c for o in outer.children if o.dep_ == "dobj" for c in self.actors_of(o) if c not in codes]
        for echo in verb.children:
            # "The US did not sign it, and neither did the UK", "Morocco signed, as did Egypt": them too
            if echo.lemma_ == "do" and ((echo.dep_ == "conj" and any(
                    c.lower_ in ("neither", "nor", "so") for c in echo.children)) or (
                    echo.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in echo.children))):
                subject = next((c for c in echo.children if c.dep_ == "nsubj"), None)
                codes += [c for c in (self.actors_of(subject) if subject is not None else []) if c not in codes]
        children = list(verb.children)
        if co_verb:  # "co-hosted the summit with Britain": the "with" the parse hangs on the object
            children += [p for o in verb.children if o.dep_ == "dobj" for p in o.children
                         if p.dep_ == "prep" and p.lower_ == "with"]
        heads = list_members(verb)  # "signed it alongside Kenya", "along with Peru"
        heads += [m for o in verb.children if o.dep_ == "dobj" for m in list_members(o)]  # parsed under the object
        heads += list_members(slot)  # "Mexico, along with Colombia, backed it"
        for follow in verb.children:  # "Slovakia signed it, followed by Slovenia and Croatia"
            if follow.dep_ in ("advcl", "acl") and follow.lemma_.lower() == "follow":
                heads += [o for a in follow.children if a.dep_ == "agent" for o in a.children if o.dep_ == "pobj"]
        for child in children:
            if child.i == slot.i:
                continue
            if child.dep_ == "prep" and child.lower_ == "with" and (together or co_verb):
                heads += [c for c in child.children if c.dep_ == "pobj"]
            elif child.dep_ in ("npadvmod", "appos", "dep") and self.actor_at(child.i) is not None:
                heads.append(child)
            elif child.dep_ == "dobj" and self.actor_at(child.i) is None:
                heads += as_well_as(child)  # "endorsed the declaration as well as Thailand"
        for head in heads:
            codes += [c for c in self.actors_of(head) if c not in codes]
        return codes

    def _listed_after(self, doc: Doc, i: int) -> list[str]:
        """The actors of a list that starts at token i ("China, India and the EU"), in order."""
        codes: list[str] = []
        for tok in doc[i:]:
            code = self.actor_at(tok.i)
            if code is not None:
                if code not in codes:
                    codes.append(code)
            elif tok.lower_ not in LIST_GLUE:
                break
        return codes

    @staticmethod
    def _as_sponsor(verb: Token) -> bool:
        """"backed by 110 countries as co-sponsors", "joined as a co-sponsor": a sponsorship."""
        return any(t.lower_ == "as" and any(c.lower_.startswith(("co-sponsor", "cosponsor", "sponsor"))
                                            for c in t.children) for t in verb.subtree)

    def _delegation(self, verb: Token) -> list[str] | None:
        """"led a Vietnamese delegation to ...": the states whose delegation the verb's object is
        ([] when it names none), or None when the object is no delegation."""
        for obj in (c for c in verb.children if c.dep_ == "dobj"):
            if obj.lemma_.lower() in self.lex.delegation:
                codes = (self.actor_at(t.i) for t in obj.subtree if t.i <= obj.i)
                return list(dict.fromkeys(c for c in codes if c))
            if verb.lemma_.lower() == "send" and (obj.ent_type_ == "PERSON" or self._official(obj) or any(
                    c.dep_ == "appos" and self._official(c) for c in obj.children)):
                return []  # "Beijing sent Wu Zhaohui, a vice-minister", "sent their ministers"
        return None

    def _official(self, tok: Token) -> bool:
        """Whether the noun names an office or officials ("ministers", "vice-minister")."""
        word = tok.lemma_.lower()
        return word in self.lex.official or word.rsplit("-", 1)[-1] in self.lex.official

    def _remember_people(self, slot: Token, actors: list[str]) -> None:
        """"Bùi Hoàng Phương led a Vietnamese delegation": later "Phương" acts for VNM too."""
        if len(actors) != 1:
            return
        for tok in slot.subtree:
            if tok.ent_type_ == "PERSON" and self.actor_at(tok.i) is None:
                self.people.setdefault(tok.text, actors[0])

    def criticism_events(self, sent: Doc) -> Iterator[Found]:
        """"X said the wording of the statement was too restrictive": criticism is `oppose`."""
        for verb in sent:
            if verb.lemma_.lower() not in REPORTING or not verb.tag_.startswith("VB"):
                continue
            said = [t for c in verb.children if c.dep_ in ("ccomp", "xcomp", "dobj") for t in c.subtree]
            if not any(t.lemma_.lower() in self.lex.criticism or t.lower_ in self.lex.criticism for t in said):
                continue
            slot, _ = self._subject(verb)
            actors = self.actors_of(slot) if slot is not None else []
            if not actors:
                continue
            targets = [resolve_target(t, self.offset, self.memory, self.actor_at) for t in said
                       if t.pos_ in ("NOUN", "PROPN")]
            target = next((t for t in targets if t is not None), None)
            if target is None and any(t.lower_ in ("it", "this", "that") and t.dep_.startswith("nsubj") for t in said):
                target = self.memory.before(self.offset + verb.i, None, skip="summit")
            if target is not None:
                yield Found(tuple(actors), "oppose", target, verb.i, "accord.criticism.oppose.v1", 0.6)

    def membership_events(self, sent: Doc) -> Iterator[Found]:
        """"China was not among the signatories of the statement", "Poland was among its critics"."""
        for verb in sent:
            if verb.lemma_ != "be":
                continue
            among = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "among"), None)
            role = next((c for c in among.children if c.dep_ == "pobj"), None) if among is not None else None
            action = ROLES.get(role.lower_) if role is not None else None
            doing = None
            if action is None and role is not None:
                # "Among those attending were ...", "among the leaders who took part were ...": the clause's action
                doing = next((c for c in role.children if c.dep_ in ("acl", "relcl") and self._trigger(c)), None)
                action = self._trigger(doing).action if doing is not None else None
            subject = next((c for c in verb.children if c.dep_ in ("nsubj", "attr")), None)
            if subject is None and verb.dep_ == "conj":  # "China sent a delegate but was not among ..."
                subject = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
            if action is None or subject is None:
                continue
            actors = self.actors_of(subject)
            if not actors:
                continue
            if self._status(verb) == "negated":
                if action != "sign":
                    continue
                action = "refuse"
            of = [t for c in role.children if c.dep_ == "prep" and c.lower_ in ("of", "to", "at") for t in c.children
                  if t.dep_ == "pobj"]
            if doing is not None:  # "among the 28 countries that endorsed the Bletchley Declaration": what they endorsed
                of = object_heads(doing) + of
            target = next((t for t in (resolve_target(h, self.offset, self.memory, self.actor_at) for h in of) if t), None)
            if action == "attend":  # "among the delegates at Bletchley Park": the meeting there, or none
                target = target if target is not None and target.type == "summit" else (
                    self.memory.meeting(self.offset + verb.i))
            elif target is None:
                target = self.memory.before(self.offset + verb.i, None, skip=self._unsigned(action))
            if target is not None:
                yield Found(tuple(actors), action, target, verb.i, f"accord.among.{action}.v1", 0.7)

    def member_list_events(self, sent: Doc) -> Iterator[Found]:
        """"GPAI started work in 2020 with 15 founding members: Australia, Canada, ...": the states
        listed after "members:" joined the body the sentence names."""
        bodies = knowledge.body_codes()
        for tok in sent[:-2]:
            if tok.lemma_.lower() != "member" or sent[tok.i + 1].text != ":":
                continue
            members = [c for c in self._listed_after(sent, tok.i + 2) if c not in bodies or c == "EU"]
            body = next((t for t in sent[:tok.i] if self.actor_at(t.i) in bodies and self.actor_at(t.i) not in members),
                        None)
            target = self._body_target(body) if body is not None else next(
                (m.target for m in self.memory.mentions if m.target.type == "organization"
                 and self.offset <= m.start < self.offset + tok.i), None)  # "GPAI", named as a catalogued organization
            if target is not None and len(members) >= 2:
                yield Found(tuple(members), "sign", target, tok.i, "accord.members.sign.v1", 0.6)

    def role_list_events(self, sent: Doc) -> Iterator[Found]:
        """Members listed with a role noun: "a group of co-sponsors that included Brazil and Egypt",
        "with 123 co-sponsors, China among them", "signatories including Chile"."""
        for role in sent:
            action = ROLES.get(role.lower_)
            if action is None:
                continue
            holders = [role, role.head] if role.dep_ == "pobj" and role.head.lower_ == "of" else [role]
            if len(holders) == 2:
                holders.append(role.head.head)  # "a group of co-sponsors that included ..."
            of_heads = [t for c in role.children if c.dep_ == "prep" and c.lower_ in ("of", "to") for t in c.children
                        if t.dep_ == "pobj"]
            members: list[Token] = []
            for holder in holders:
                for child in holder.children:
                    if child.dep_ in ("relcl", "acl") and child.lemma_.lower() == "include":
                        members += [c for c in child.children if c.dep_ == "dobj"]
                members += list_members(holder)  # "signatories including Chile", "such as", "among"
            for head in of_heads:  # "endorsers of the declaration such as Kenya": parsed under the declaration
                members += [m for m in list_members(head) if self.actor_at(m.i)]
            for holder in holders:  # "signatories include Chile", "the list of signatories includes Chile"
                if holder.dep_ == "nsubj" and holder.head.lemma_.lower() == "include":
                    members += [c for c in holder.head.children if c.dep_ == "dobj"]
            for among in (t for t in sent[role.i + 1:] if _among_them(t)):
                # "123 co-sponsors, China among them": the actor "among" hangs on, or the role's apposition
                members += [c for c in role.children if c.dep_ == "appos"] if among.head.i == role.i else [among.head]
            actors = list(dict.fromkeys(code for m in members for code in self.actors_of(m)))
            if not actors:
                continue
            heads = of_heads + [c for c in role.children if c.dep_ == "poss"]  # "the declaration's signatories"
            root = role
            while root.head.i != root.i:
                root = root.head
            heads += [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
            named = (resolve_target(h, self.offset, self.memory, self.actor_at) for h in heads)
            if action == "attend":  # "participants included ...": in the meeting
                target = next((t for t in named if t is not None and t.type == "summit"), None)
                target = target or self.memory.meeting(self.offset + role.i)
            else:
                target = next((t for t in named if t is not None and t.type != "summit"), None)
                target = target or self.memory.before(self.offset + role.i, None, skip="summit")
            if target is not None:
                yield Found(tuple(actors), action, target, role.i, f"accord.role.{action}.v1", 0.7)

    def events(self, sent: Doc) -> list[Found]:
        from accord.extract.engine import pattern_events  # the engine reads through this reader

        found = (list(pattern_events(self, sent)) + list(self.verb_events(sent)) + list(self.membership_events(sent))
                 + list(self.role_list_events(sent))
                 + list(self.member_list_events(sent)))
        seen = {(f.action, a) for f in found for a in f.actors}
        for f in self.criticism_events(sent):
            if not any((act, a) in seen for a in f.actors for act in ("oppose", "refuse")):
                found.append(f)
        self.note_descriptions(sent)
        return found
