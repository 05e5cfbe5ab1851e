"""pandas DataFrames of the analyze results (pandas is needed only when a frame is asked for)."""

from __future__ import annotations

from dataclasses import asdict, is_dataclass
from typing import Any


def frame(items: Any) -> Any:
    """A pandas DataFrame with one row per dataclass in `items` (nested records become lists of dicts).

    An Alignment gives the frame of its pairs, with each country's bloc number as columns
    `bloc_a` and `bloc_b`; an ActorProfile gives the frame of its stances.
    """
    import pandas as pd

    if is_dataclass(items) and hasattr(items, "pairs"):
        bloc = {m: b.id for b in items.blocs for m in b.members}
        rows = [asdict(p) | {"bloc_a": bloc.get(p.a), "bloc_b": bloc.get(p.b)} for p in items.pairs]
        return pd.DataFrame(rows, columns=["a", "b", "shared", "same", "opposed", "agreement", "bloc_a", "bloc_b"])
    if is_dataclass(items) and hasattr(items, "stances"):
        items = items.stances
    return pd.DataFrame([asdict(x) for x in items])
