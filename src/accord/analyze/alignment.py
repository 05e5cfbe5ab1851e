"""Alignment: how often pairs of countries take the same stance on the same instruments, and the blocs this forms.

For each pair of countries, `shared` counts the targets on which both hold a stance, `same`
those where the stance is the same word (both "signed"), `opposed` those where one stance
is positive and the other negative (signed against refused). Blocs are communities
(networkx greedy modularity) of the agreement graph: countries are joined when they share
at least `min_shared` targets and agree on more than half of them, weighted by agreement.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from accord.analyze.db import DB, opened
from accord.analyze.names import knowledge
from accord.analyze.stances import rules, stance_actions


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
    """Pairs of actors from {target: {actor: stance action}}, for every pair sharing a target.

    Counted by matrix products over actors x targets: `shared` of the matrix of held stances by
    its transpose, `same` summed over one such matrix per action, `opposed` of the positive
    stances' matrix by the negative ones' (both ways): a few milliseconds for 200 countries
    over 400 targets, where counting pair by pair and target by target took seconds."""
    actors = sorted({a for held in positions.values() for a in held})
    if len(actors) < 2:
        return []
    row = {a: i for i, a in enumerate(actors)}
    actions = sorted({x for held in positions.values() for x in held.values()})
    column = {x: i for i, x in enumerate(actions)}
    # one stance per (actor, target): held[k, a, t] is 1 where actor a's stance on target t is action k
    cells = np.array([(column[x], row[a], t) for t, stances in enumerate(positions.values())
                      for a, x in stances.items()])
    held = np.zeros((len(actions), len(actors), len(positions)), dtype=np.float32)  # counts up to 2**24: exact
    held[cells[:, 0], cells[:, 1], cells[:, 2]] = 1
    sides = {a: r.side for a, r in rules().items()}
    positive = held[[column[x] for x in actions if sides.get(x) == "+"]].sum(axis=0)
    negative = held[[column[x] for x in actions if sides.get(x) == "-"]].sum(axis=0)
    anything = held.sum(axis=0)
    shared = anything @ anything.T
    by_action = held.transpose(1, 0, 2).reshape(len(actors), -1)  # actor x (action, target)
    same = by_action @ by_action.T
    opposed = positive @ negative.T + negative @ positive.T
    first, second = np.nonzero(np.triu(shared, 1))
    counts = zip(first.tolist(), second.tolist(), shared[first, second].astype(int).tolist(),
                 same[first, second].astype(int).tolist(), opposed[first, second].astype(int).tolist(), strict=True)
    found = [Pair(actors[i], actors[j], s, m, o, round(m / s, 4)) for i, j, s, m, o in counts]
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
        held = stance_actions(store)
    kept = {actor for _, actor in held}
    kept = {actor for actor in kept if _is_country(actor)} if countries_only else kept
    positions: dict[str, dict[str, str]] = {}
    for (target, actor), action in held.items():
        if actor in kept:
            positions.setdefault(target, {})[actor] = action
    pairs = pairs_from(positions)
    return Alignment(tuple(p for p in pairs if p.shared >= min_shared), tuple(blocs_from(pairs, min_shared)))
