"""Turning what a user types into a target key or an actor code, or a "not found" with suggestions.

A target is named by its key ("paris-ai-declaration", "new:..."), its name or an alias, as
stored or as catalogued; an actor by its code ("USA") or a name the catalog knows
("United States", "Britain"). Unknown names raise NotFound carrying the closest known names
(difflib), so every front end can say "not found, did you mean ...".
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from functools import lru_cache
from typing import Any

from accord.store.database import Store


class NotFound(LookupError):
    """A target, actor or fact that is not known; `closest` holds the nearest known names."""

    def __init__(self, what: str, text: str, closest: list[str] | None = None):
        self.what, self.text, self.closest = what, text, list(closest or [])
        hint = f" (closest: {', '.join(self.closest)})" if self.closest else ""
        super().__init__(f"{what} '{text}' not found{hint}")


def knowledge() -> Any | None:
    """accord.knowledge if it can be imported (it is optional for the analyze stage)."""
    try:
        import accord.knowledge as module
    except ImportError:
        return None
    return module


def plain_form(text: str) -> str:
    """Lower case, no accents, words separated by single spaces: the form names are compared in."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\bartificial intelligence\b", "ai", text)
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


@lru_cache(maxsize=1)
def catalog() -> dict[str, dict]:
    """The instrument catalog by key as plain dicts (empty when accord.knowledge is missing)."""
    module = knowledge()
    if module is None or not hasattr(module, "instruments"):
        return {}
    return {key: {"key": key, "name": i.name, "type": i.type, "aliases": list(i.aliases), "year": i.year,
                  "led_by": i.led_by, "place": i.place} for key, i in module.instruments().items()}


def stored_targets(store: Store) -> dict[str, dict]:
    """The targets table by key: name, type, aliases, catalog flag."""
    return {r["key"]: {"key": r["key"], "name": r["name"], "type": r["type"], "aliases": json.loads(r["aliases"]),
                       "catalog": bool(r["catalog"])}
            for r in store.conn.execute("SELECT key, name, type, aliases, catalog FROM targets")}


def target_labels(store: Store) -> dict[str, tuple[str, str]]:
    """(name, type) of every stored target by key: one query, for readers of many targets (a
    cache `target_label` fills further with catalogued or unknown keys)."""
    return {r[0]: (r[1], r[2]) for r in store.conn.execute("SELECT key, name, type FROM targets")}


def target_label(store: Store, key: str, cache: dict[str, tuple[str, str]] | None = None) -> tuple[str, str]:
    """(name, type) of a target key: as stored, else as catalogued, else the key itself."""
    if cache is not None and key in cache:
        return cache[key]
    row = store.conn.execute("SELECT name, type FROM targets WHERE key = ?", (key,)).fetchone()
    if row is not None:
        label = (row["name"], row["type"])
    elif key in catalog():
        label = (catalog()[key]["name"], catalog()[key]["type"])
    else:
        label = (key, "")
    if cache is not None:
        cache[key] = label
    return label


def resolve_target(store: Store, text: str) -> str:
    """The key of the target `text` names (key, name or alias); NotFound with the closest names."""
    text = text.strip()
    cat = catalog()
    if text in cat or store.conn.execute("SELECT 1 FROM targets WHERE key = ?", (text,)).fetchone():
        return text
    form = plain_form(text)
    names: dict[str, str] = {}
    for key, t in [*cat.items(), *stored_targets(store).items()]:
        for name in (t["name"], *t["aliases"]):
            names.setdefault(plain_form(name), key)
        names.setdefault(plain_form(key), key)
    if form and form in names:
        return names[form]
    if text.startswith("new:") and store.conn.execute(
            "SELECT 1 FROM corrections WHERE target_key = ? OR new_target_key = ?", (text, text)).fetchone():
        return text
    labels = {**{k: t["name"] for k, t in stored_targets(store).items()}, **{k: t["name"] for k, t in cat.items()}}
    by_form = {plain_form(name): name for name in labels.values()}
    for key, name in labels.items():
        by_form.setdefault(plain_form(key), name)
    close = difflib.get_close_matches(form, list(by_form), n=12, cutoff=0.5)
    raise NotFound("target", text, list(dict.fromkeys(by_form[c] for c in close))[:3])


def resolve_actor(store: Store, text: str) -> str:
    """The code of the actor `text` names (code or known name); NotFound with the closest ones."""
    text = text.strip()
    code = text.upper()
    module = knowledge()
    known: dict[str, str] = {}
    if module is not None and hasattr(module, "countries"):
        known.update({c.code: c.name for c in module.countries().values()})
        known.update({b.code: b.name for b in module.bodies().values()})
    if store.conn.execute("SELECT 1 FROM events WHERE actor = ? LIMIT 1", (code,)).fetchone() or code in known:
        return code
    if store.conn.execute("SELECT 1 FROM corrections WHERE actor = ? OR new_actor = ? LIMIT 1",
                          (code, code)).fetchone():
        return code
    if module is not None and hasattr(module, "resolve_actor"):
        found = module.resolve_actor(text)
        if found:
            return found
    stored = [r[0] for r in store.conn.execute("SELECT DISTINCT actor FROM events")]
    choices = {c.lower(): c for c in stored}
    choices.update({c.lower(): c for c in known})
    choices.update({name.lower(): f"{name} ({c})" for c, name in known.items()})
    close = difflib.get_close_matches(text.lower(), list(choices), n=3, cutoff=0.5)
    raise NotFound("actor", text, [choices[c] for c in close])


def actor_name(code: str) -> str:
    """The name of a country or body code, or the code itself."""
    module = knowledge()
    if module is not None and hasattr(module, "countries"):
        for table in (module.countries(), module.bodies()):
            if code in table:
                return table[code].name
    return code
