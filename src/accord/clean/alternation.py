"""Many terms as one regular expression that Python's `re` scans fast: a trie of their characters.

`re` tries the alternatives of `term1|term2|...` one after the other at every position of
a text. With a hundred terms, each behind a lookbehind, scanning a page costs a
millisecond or more, and the clean stage and the prefilter scan every page. Written as
a trie (`a(?:i|rtificial...)|m...`), a position costs one step per distinct first
character, and when every alternative starts with a literal character `re` skips ahead
to the positions where one can start. So the "not after a word character" guard of a
term is checked after its first character (`a(?<!\\w.)i`), not before it.

A trie matches at the same positions as the plain alternation of its terms, but may take
another alternative there, so it answers "does a term occur" and "where may one start",
not "which term is it".
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def term_atoms(term: str, joiner: str, not_after: str | None = None, end: str = "") -> list[str]:
    """A term (words separated by spaces) as regular-expression atoms: its characters one by
    one, `joiner` between its words, after its first character the guard that no character
    of the class `not_after` stands before it, and `end` (a lookahead, or "") last."""
    atoms: list[str] = []
    for n, word in enumerate(term.split()):
        if n:
            atoms.append(joiner)
        atoms.extend(re.escape(c) for c in word)
    if not atoms:
        return []
    if not_after:
        atoms.insert(1, f"(?<!{not_after}.)")
    if end:
        atoms.append(end)
    return atoms


def trie_pattern(sequences: Iterable[list[str]]) -> str:
    """One pattern that matches where any of the atom sequences matches, shared prefixes merged.

    A sequence that ends where others go on makes the rest optional: whatever the longer
    ones match there, the shorter one matches too, at the same start.
    """
    children: dict[str, list[list[str]]] = {}
    for atoms in sequences:
        if not atoms:
            return ""
        children.setdefault(atoms[0], []).append(atoms[1:])
    alternatives = [first + trie_pattern(rest) for first, rest in children.items()]
    return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
