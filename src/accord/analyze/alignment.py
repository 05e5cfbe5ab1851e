"""Alignment: how often pairs of countries take the same stance on the same instruments, and the blocs this forms.

For each pair of countries, `shared` counts the targets on which both hold a stance, `same`
those where the stance is the same word (both "signed"), `opposed` those where one stance
is positive and the other negative (signed against refused). Blocs are communities
(networkx greedy modularity) of the agreement graph: countries are joined when they share
at least `min_shared` targets and agree on more than half of them, weighted by agreement.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import networkx as nx

from accord.analyze.db import DB, opened
from accord.analyze.names import knowledge
from accord.analyze.stances import load_stances, rules


@dataclass(frozen=True)
class Pair:
    """Two countries' agreement: `agreement` is same / shared."""

    a: str
    b: str
    shared: int
    same: int
    opposed: int
    agreement: float


@dataclass(frozen=True)
class Bloc:
    """A community of the agreement graph; `cohesion` is the mean agreement of its linked pairs."""

    id: int
    members: tuple[str, ...]
    cohesion: float


@dataclass(frozen=True)
class Alignment:
    """Every pair of countries with a shared target (most shared first), and the blocs."""

    pairs: tuple[Pair, ...]
    blocs: tuple[Bloc, ...]


def _is_country(code: str) -> bool:
    module = knowledge()
    if module is not None and hasattr(module, "country_codes"):
        return code in module.country_codes()
    return len(code) == 3 and code.isalpha() and code.isupper()


def pairs_from(positions: dict[str, dict[str, str]]) -> list[Pair]:
    """Pairs of actors from {target: {actor: stance action}}, for every pair sharing a target."""
    sides = {a: r.side for a, r in rules().items()}
    tally: dict[tuple[str, str], list[int]] = {}
    for held in positions.values():
        for (a, x), (b, y) in combinations(sorted(held.items()), 2):
            t = tally.setdefault((a, b), [0, 0, 0])
            t[0] += 1
            t[1] += x == y
            t[2] += {sides.get(x), sides.get(y)} == {"+", "-"}
    found = [Pair(a, b, s, m, o, round(m / s, 4)) for (a, b), (s, m, o) in tally.items()]
    return sorted(found, key=lambda p: (-p.shared, -p.agreement, p.a, p.b))


def blocs_from(pairs: list[Pair], min_shared: int = 1) -> list[Bloc]:
    """Communities of the graph of pairs sharing `min_shared` targets and agreeing on most."""
    graph = nx.Graph()
    for p in pairs:
        if p.shared >= min_shared and p.agreement > 0.5:
            graph.add_edge(p.a, p.b, weight=p.agreement)
    if graph.number_of_edges() == 0:
        return []
    groups = nx.community.greedy_modularity_communities(graph, weight="weight")
    found = []
    for members in sorted((sorted(g) for g in groups if len(g) > 1), key=lambda m: (-len(m), m)):
        weights = [d["weight"] for _, _, d in graph.subgraph(members).edges(data=True)]
        found.append(Bloc(len(found) + 1, tuple(members), round(sum(weights) / len(weights), 4) if weights else 0.0))
    return found


def alignment(db: DB, min_shared: int = 1, countries_only: bool = True) -> Alignment:
    """Pairwise agreement between countries (or all actors) and the blocs it forms."""
    with opened(db) as store:
        held = load_stances(store, evidence=False)
    positions: dict[str, dict[str, str]] = {}
    for s in held:
        if not countries_only or _is_country(s.actor):
            positions.setdefault(s.target_key, {})[s.actor] = s.action
    pairs = pairs_from(positions)
    return Alignment(tuple(p for p in pairs if p.shared >= min_shared), tuple(blocs_from(pairs, min_shared)))
