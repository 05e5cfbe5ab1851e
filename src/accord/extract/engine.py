"""The pattern engine: events from the patterns of `accord/data/patterns/` on a parsed sentence.

One function, `pattern_events`, runs the patterns (compiled once per process, one spaCy
DependencyMatcher each, tried only on sentences holding their words) and turns each match into an event with the shared machinery of the
sentence reader, so that no pattern repeats it:
- actor nodes go through one list expander (`listed_actors`) and the actor resolver;
- target nodes go to the target resolver; "@instrument" and "@meeting" to the article's memory;
- negation and modality are read in one place (`clause_status`), at the trigger's clause;
- the action is refined by who acts on what ("a state adopting a joint declaration signs it").
Adding a construction means adding a pattern line and its example sentences; this module
does not change.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Token

from accord.extract.events import OWNING, Found, SentenceReader, negated_action, refined_action
from accord.extract.lists import as_well_as, list_members
from accord.extract.patterns import Pattern, matcher
from accord.extract.targets import resolve_target
from accord.records import Target


def clause_verb(tok: Token) -> Token:
    """The verb of the clause a trigger word stands in: the word itself when it is a verb, else
    the nearest verb above it ("the signing of X was welcomed": welcomed)."""
    cur = tok
    for _ in range(6):
        if cur.pos_ in ("VERB", "AUX"):
            return cur
        if cur.head.i == cur.i:
            break
        cur = cur.head
    return tok


def clause_status(reader: SentenceReader, trigger: Token) -> str:
    """"ok", "negated" or "cancelled" for the trigger: its own negation ("no ratification"), then
    that of its clause's verb, whose modals and governing verbs ("expected", "urged") cancel it."""
    verb = clause_verb(trigger)
    status = reader._status(verb)
    if verb.i != trigger.i:
        lemma = verb.lemma_.lower()
        if lemma in reader.lex.cancels or verb.lower_ in reader.lex.cancels:
            return "cancelled"  # "called for the ratification of ...", "awaits ..."
        if any(c.dep_ == "neg" or c.lower_ == "no" for c in trigger.children):
            status = "negated" if status == "ok" else "ok"
    return status


def listed_actors(reader: SentenceReader, node: Token) -> list[str]:
    """The actor codes a node stands for, every member of its list included: conjuncts and
    appositions (through the resolver), and members hung on it by "including", "such as",
    "among", "alongside", "along with", "as well as" (accord.extract.lists)."""
    codes = list(reader.actors_of(node))
    for head in [*list_members(node), *as_well_as(node)]:
        codes += [c for c in reader.actors_of(head) if c not in codes]
    return codes


def _target(reader: SentenceReader, p: Pattern, nodes: dict[str, Token], trigger: Token, action: str,
            actors: list[str]) -> Target | None:
    for where in p.targets:
        if where == "@instrument":
            found = reader._instrument_before(trigger.i, action) or reader.memory.salient(
                reader.offset + trigger.i, reader._unsigned(action))
        elif where == "@meeting":
            found = reader.memory.meeting(reader.offset + trigger.i)
        else:
            owners = tuple(actors) if action in OWNING else ()
            found = resolve_target(nodes[where], reader.offset, reader.memory, reader.actor_at, owners)
        if found is not None and (not p.target_types or found.type in p.target_types):
            return found
    return None


def pattern_events(reader: SentenceReader, sent: Doc) -> Iterator[Found]:
    """The events the data patterns find in the sentence, each carrying its pattern's id."""
    for p, token_ids in matcher(sent.vocab)(sent):
        nodes = {node["RIGHT_ID"]: sent[i] for node, i in zip(p.tree, token_ids, strict=True)}
        trigger = nodes[p.trigger]
        action = p.action_for(trigger.lemma_.lower()) or p.action_for(trigger.lower_)
        if action is None:
            continue
        status = clause_status(reader, trigger)
        if status == "cancelled" or (status == "negated" and p.negated == "drop"):
            continue
        actors: list[str] = []
        for name in p.actors:
            actors += [c for c in listed_actors(reader, nodes[name]) if c not in actors]
        if not actors:
            continue
        target = _target(reader, p, nodes, trigger, action, actors)
        if target is None:
            continue
        if status == "negated" and p.negated == "refuse":
            action = negated_action(action, trigger.lemma_.lower(), target)
            if action is None:
                continue
        if target.type == "summit" and p.on_meeting:
            action = p.on_meeting
        by_action: dict[str, list[str]] = {}
        for actor in actors:
            by_action.setdefault(refined_action(action, trigger.lemma_.lower(), actor, target), []).append(actor)
        for final, group in by_action.items():
            yield Found(tuple(group), final, target, trigger.i, p.id, p.confidence)
