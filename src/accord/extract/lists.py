"""The one list expander: the nodes a parse hangs beside an actor or a verb as more members of
its list ("including Chile", "such as Chile", "alongside Kenya", "along with Peru", "as well as
Thailand"), for the actor resolver to read. Conjuncts and appositions the resolver follows itself.
"""

from __future__ import annotations

from spacy.tokens import Token

from accord.extract.lexicon import words

LIST_PREPS = words("list-preps")
"""Prepositions that add members to a list of actors ("alongside Kenya", "including Chile")."""


def list_members(node: Token) -> list[Token]:
    """The heads of the members hung on `node` by a listing preposition."""
    found: list[Token] = []
    for child in node.children:
        if child.dep_ != "prep":
            continue
        word = child.lower_
        if word == "along":  # "along with Peru"
            found += [o for w in child.children if w.lower_ == "with" for o in w.children if o.dep_ == "pobj"]
        elif word in LIST_PREPS or (word == "as" and any(c.lower_ == "such" for c in child.children)):
            found += [o for o in child.children if o.dep_ == "pobj"]
    return found


def as_well_as(node: Token) -> list[Token]:
    """Members added to a phrase by "as well as" ("the declaration as well as Thailand"), which
    the parser makes conjuncts of whatever stands before."""
    doc = node.doc
    return [c for c in node.conjuncts if c.i > node.i and c.i >= 3 and doc[c.i - 1].lower_ == "as"
            and doc[c.i - 2].lower_ == "well" and doc[c.i - 3].lower_ == "as"]
