"""Accord's knowledge of names: countries, intergovernmental bodies, and AI-governance instruments.

The tables are data files in `accord/data/` (countries.tsv, bodies.tsv, instruments.tsv),
so adding a name never means editing code. A user can extend them: files of the same
names in the directory given by $ACCORD_DATA_DIR add rows, and a row whose code or key
is already known replaces the packaged row. The files are read once per process;
`reload()` reads them again (after changing $ACCORD_DATA_DIR, say).

Lookups compare names in a normal form (lower case, accents, punctuation, a leading
"the" and a possessive "'s" removed), never by guessing: `resolve_actor` and
`find_instrument` find a name that is listed, and `closest_names` offers the nearest
listed names for a "did you mean" message.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from accord.datafiles import DATA_DIR_VARIABLE, data_texts
from accord.records import TARGET_TYPES

NOT_AN_ACTOR = "-"
"""The code of countries.tsv rows that name no country ("New Mexico", "Latin American")."""

ACTOR_KINDS: tuple[str, ...] = ("name", "alias", "demonym", "capital", "body")
"""How a text names an actor, strongest evidence first; "capital" covers a body's seat."""


@dataclass(frozen=True)
class Country:
    """An ISO 3166-1 country and the ways news names it or its government."""

    code: str
    name: str
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()


@dataclass(frozen=True)
class Body:
    """An intergovernmental actor of FORMAT.md; `seats` are cities that stand for it ("Brussels")."""

    code: str
    name: str
    aliases: tuple[str, ...] = ()
    seats: tuple[str, ...] = ()


@dataclass(frozen=True)
class Instrument:
    """A known instrument, initiative, organization or meeting that events act on.

    `led_by` is the actor code that proposed, led or hosted it, so that "a China-led
    resolution" or "the summit in Paris" can be told apart from its neighbours.
    """

    key: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    year: int | None = None
    led_by: str | None = None
    place: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name, then the aliases."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class ActorName:
    """One text that names an actor: `kind` is name, alias, demonym, capital or body."""

    text: str
    code: str
    kind: str


class KnowledgeError(ValueError):
    """A data file row that cannot be read; the message names the file, line and what was expected."""


@dataclass(frozen=True)
class _Tables:
    countries: dict[str, Country]
    bodies: dict[str, Body]
    instruments: dict[str, Instrument]
    non_actor_names: tuple[str, ...]


# ---------------------------------------------------------------- normal forms

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u2013": "-", "\u2014": "-"})
_POSSESSIVE = re.compile(r"'s\b|(?<=s)'(?=\s|$)")
_SPELLINGS = (
    (re.compile(r"\bartificial intelligence\b"), "ai"),
    (re.compile(r"\b(organi|speciali|standardi)s(ation|ations|e|ed)\b"), r"\1z\2"),
    (re.compile(r"\blabell(ing|ed)\b"), r"label\1"),
)


def plain_text(text: str) -> str:
    """`text` without accents, with straight quotes and plain hyphens ("Việt Nam" -> "Viet Nam")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def normal_form(text: str) -> str:
    """The form names are compared in: lower case, no accents, no punctuation, no leading
    "the", no possessive "'s" ("the U.S.'s" -> "us", "Côte d’Ivoire" -> "cote d ivoire")."""
    low = plain_text(text).casefold().strip()
    low = _POSSESSIVE.sub("", low).replace(".", "").replace("&", " and ")
    words = re.sub(r"[^\w]+", " ", low).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def instrument_form(text: str) -> str:
    """The normal form of an instrument name, also reading "artificial intelligence" as "ai"
    and British spellings as American ones, as the scorer does."""
    form = normal_form(text)
    for pattern, replacement in _SPELLINGS:
        form = pattern.sub(replacement, form)
    return form


# ---------------------------------------------------------------- reading the files

def _rows(name: str, columns: tuple[str, ...], required: int) -> Iterator[tuple[str, str, list[str]]]:
    """(source, "file:line", fields) for each data row of `name` in every source.

    Missing trailing optional columns read as "-"; too few or too many columns is an error
    that names the expected columns.
    """
    for source, text in data_texts(name):
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            fields = [f.strip() for f in line.rstrip("\n").split("\t")]
            if not required <= len(fields) <= len(columns):
                raise KnowledgeError(
                    f"{source}:{number}: expected {required} to {len(columns)} tab-separated columns "
                    f"({', '.join(columns)}), found {len(fields)}")
            fields += ["-"] * (len(columns) - len(fields))
            yield source, f"{source}:{number}", fields


def _names(field: str) -> tuple[str, ...]:
    """The names of a |-separated column ("-" or empty is none), in order, without repeats."""
    out: list[str] = []
    for part in field.split("|"):
        part = part.strip()
        if part and part != "-" and part not in out:
            out.append(part)
    return tuple(out)


def _optional(field: str) -> str | None:
    return None if field in ("", "-") else field


def _place(table: dict, key: str, value: object, source: str, where: str, seen: dict[str, str]) -> None:
    """Put a row in its table: a repeat within one file is an error, a later file replaces."""
    if seen.get(key) == source:
        raise KnowledgeError(f"{where}: {key!r} is listed twice in this file")
    seen[key] = source
    table[key] = value


def _read_countries() -> tuple[dict[str, Country], tuple[str, ...]]:
    countries: dict[str, Country] = {}
    shadows: list[str] = []
    seen: dict[str, str] = {}
    for source, where, (code, name, aliases, demonyms, capitals) in _rows(
            "countries.tsv", ("code", "name", "aliases", "demonyms", "capitals"), 2):
        if code == NOT_AN_ACTOR:
            shadows.append(name)
            continue
        if not re.fullmatch(r"[A-Z]{3}", code):
            raise KnowledgeError(f"{where}: country code {code!r} is not an ISO 3166-1 alpha-3 code "
                                 f"(three capital letters) nor {NOT_AN_ACTOR!r}")
        country = Country(code, name, _names(aliases), _names(demonyms), _names(capitals))
        _place(countries, code, country, source, where, seen)
    return countries, tuple(dict.fromkeys(shadows))


def _read_bodies() -> dict[str, Body]:
    bodies: dict[str, Body] = {}
    seen: dict[str, str] = {}
    for source, where, (code, name, aliases, seats) in _rows(
            "bodies.tsv", ("code", "name", "aliases", "seats"), 2):
        if not re.fullmatch(r"[A-Z][A-Z0-9]+", code):
            raise KnowledgeError(f"{where}: body code {code!r} should be capital letters and digits")
        _place(bodies, code, Body(code, name, _names(aliases), _names(seats)), source, where, seen)
    return bodies


def _read_instruments(actors: set[str]) -> dict[str, Instrument]:
    instruments: dict[str, Instrument] = {}
    seen: dict[str, str] = {}
    for source, where, (key, kind, year, led_by, place, name, aliases) in _rows(
            "instruments.tsv", ("key", "type", "year", "led_by", "place", "name", "aliases"), 6):
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key):
            raise KnowledgeError(f"{where}: key {key!r} should be a slug: lower-case words joined by '-'")
        if kind not in TARGET_TYPES:
            raise KnowledgeError(f"{where}: type {kind!r} should be one of {', '.join(TARGET_TYPES)}")
        if _optional(year) is not None and not re.fullmatch(r"\d{4}", year):
            raise KnowledgeError(f"{where}: year {year!r} should be four digits or '-'")
        lead = _optional(led_by)
        if lead is not None and lead not in actors:
            raise KnowledgeError(f"{where}: led_by {lead!r} is neither a country code of countries.tsv "
                                 f"nor a body code of bodies.tsv")
        inst = Instrument(key, kind, name, tuple(a for a in _names(aliases) if a != name),
                          int(year) if _optional(year) else None, lead, _optional(place))
        _place(instruments, key, inst, source, where, seen)
    return instruments


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    countries, shadows = _read_countries()
    bodies = _read_bodies()
    instruments = _read_instruments(set(countries) | set(bodies))
    return _Tables(countries, bodies, instruments, shadows)


def reload() -> None:
    """Forget what was read, so the next lookup reads the data files (and $ACCORD_DATA_DIR) again."""
    for cached in (_tables, _actor_names, _actor_table, _instrument_table, find_instrument, _instrument_words):
        cached.cache_clear()


# ---------------------------------------------------------------- the tables

def countries() -> dict[str, Country]:
    """Every country by alpha-3 code (packaged rows, then the user's)."""
    return dict(_tables().countries)


def bodies() -> dict[str, Body]:
    """Every intergovernmental actor by code."""
    return dict(_tables().bodies)


def instruments() -> dict[str, Instrument]:
    """Every catalogued instrument by key, in file order."""
    return dict(_tables().instruments)


def body_codes() -> frozenset[str]:
    """The codes of the intergovernmental actors (UN, UNGA, EU, COE, ...)."""
    return frozenset(_tables().bodies)


def country_codes() -> frozenset[str]:
    """The alpha-3 codes of the countries."""
    return frozenset(_tables().countries)


def non_actor_names() -> tuple[str, ...]:
    """Phrases that contain an actor's name but name no actor ("New Mexico", "Latin American"):
    a matcher that prefers longer matches can list them to keep the country inside them out."""
    return _tables().non_actor_names


# ---------------------------------------------------------------- actors

def _surface_forms(text: str) -> list[str]:
    """`text` as written, with a curly apostrophe, and without accents: the forms a
    token-level matcher needs, since it does not normalize them itself."""
    forms = [text]
    if "'" in text:
        forms.append(text.replace("'", "\u2019"))
    plain = plain_text(text)
    if plain not in forms:
        forms.append(plain)
    return forms


@lru_cache(maxsize=1)
def _actor_names() -> tuple[ActorName, ...]:
    tables = _tables()
    rows: list[tuple[str, str, str]] = []
    for c in tables.countries.values():
        rows.append((c.name, c.code, "name"))
        rows.extend((a, c.code, "alias") for a in c.aliases)
        rows.extend((d, c.code, "demonym") for d in c.demonyms)
        rows.extend((p, c.code, "capital") for p in c.capitals)
    for b in tables.bodies.values():
        rows.extend((n, b.code, "body") for n in (b.name, *b.aliases))
        rows.extend((s, b.code, "capital") for s in b.seats)
    out: list[ActorName] = []
    seen: set[str] = set()
    for text, code, kind in rows:
        for form in _surface_forms(text):
            if form not in seen:
                seen.add(form)
                out.append(ActorName(form, code, kind))
    return tuple(out)


def actor_names() -> list[ActorName]:
    """Every text that names a country or body, with its code and kind: the table an
    extractor turns into PhraseMatcher or EntityRuler patterns. Countries come first, each
    name before its aliases, demonyms and capitals; accentless and curly-apostrophe forms are
    included because a token matcher does not normalize them."""
    return list(_actor_names())


@lru_cache(maxsize=1)
def _actor_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for entry in _actor_names():
        table.setdefault(normal_form(entry.text), entry.code)
    return table


def resolve_actor(text: str) -> str | None:
    """The code of the country or body `text` names exactly ("the U.S.", "Việt Nam",
    "Britain's", "Beijing", "Council of Europe"), or None; no fuzzy guessing."""
    return _actor_table().get(normal_form(text))


def actor_clashes() -> dict[str, set[str]]:
    """Normal forms that more than one actor claims, with the codes that claim them (should be empty)."""
    claims: dict[str, set[str]] = {}
    for entry in _actor_names():
        claims.setdefault(normal_form(entry.text), set()).add(entry.code)
    return {form: codes for form, codes in claims.items() if len(codes) > 1}


# ---------------------------------------------------------------- instruments

@lru_cache(maxsize=1)
def _instrument_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for inst in _tables().instruments.values():
        for name in inst.names:
            form = instrument_form(name)
            if form:
                table.setdefault(form, inst.key)
    return table


def named_instrument(text: str) -> Instrument | None:
    """The catalog entry whose name or alias `text` is, exactly after normalizing ("IndiaAI")."""
    key = _instrument_table().get(instrument_form(text))
    return _tables().instruments[key] if key else None


@lru_cache(maxsize=4096)
def find_instrument(text: str) -> Instrument | None:
    """The catalog entry `text` names: an exact match of a name after normalizing, else the
    longest name that `text` contains as whole words ("China's new Global AI Governance
    Action Plan" -> the action plan), else None."""
    exact = named_instrument(text)
    if exact is not None:
        return exact
    form = instrument_form(text)
    if not form:
        return None
    table = _instrument_table()
    padded = f" {form} "
    inside = [name for name in table if f" {name} " in padded]
    return _tables().instruments[table[max(inside, key=len)]] if inside else None


DESCRIPTION_NOISE = frozenset((
    "ai artificial intelligence global international new first original revised updated final closing "
    "concluding outcome joint own stand alone standalone "
    "landmark historic group bloc body organisation organization union summit meeting leaders ministers "
    "ministerial countries nations member states version text led "
    "a an the of on for and to in by with from at its their his her our this that these those").split())
"""Words of a description that say nothing about which instrument it is ("the bloc's new AI rules")."""

KINDRED = {"declaration": ("declaration", "framework", "convention"), "framework": ("framework", "declaration"),
           "law": ("law", "framework")}
"""Types a description may name one for the other: "principles" are a declaration or a framework;
"the agreement" may be a treaty; a "code" of conduct is a framework."""


@lru_cache(maxsize=1)
def _instrument_words() -> dict[str, frozenset[str]]:
    """Every word of each instrument's names and place, in instrument form, by key."""
    words: dict[str, frozenset[str]] = {}
    for inst in _tables().instruments.values():
        names = (*inst.names, inst.place or "")
        words[inst.key] = frozenset(w for name in names for w in instrument_form(name).split())
    return words


def described_instrument(description: str, head: str, kind: str, owners: tuple[str, ...] = ()) -> Instrument | None:
    """The one catalog entry a description of a `kind` target with head noun `head` fits, or None.

    A description fits an entry when all its telling words are among the entry's words
    ("the summit's final declaration on inclusive and sustainable AI" fits the Paris AI
    Declaration). With two telling words or more, one fitting entry is enough; with fewer,
    the entry must also be led by one of `owners`, the actors that own the target in the
    sentence ("the organisation's principles" with the OECD as owner), and be the only such.
    """
    vocabulary = _instrument_words()
    head_form = instrument_form(head)
    telling = {w for w in instrument_form(description).split() if w not in DESCRIPTION_NOISE and w != head_form}
    telling -= {instrument_form(o) for o in owners}
    types = KINDRED.get(kind, (kind,))
    fitting = [inst for inst in _tables().instruments.values()
               if inst.type in types and telling <= vocabulary[inst.key]]
    if len(telling) >= 2 and len(fitting) == 1:
        return fitting[0]
    owned = [inst for inst in fitting if inst.led_by in owners
             and (head_form in vocabulary[inst.key] if inst.type != "summit" else telling)]
    return owned[0] if len(owned) == 1 else None


def meeting_at(place: str, description: str, head: str) -> Instrument | None:
    """The one catalogued meeting held at `place` that `description` fits ("the leaders' summit"
    in Hiroshima; "the G7 summit" in Apulia), or None."""
    where = instrument_form(place)
    vocabulary = _instrument_words()
    telling = {w for w in instrument_form(description).split() if w not in DESCRIPTION_NOISE} - {instrument_form(head)}
    found = [i for i in _tables().instruments.values() if i.type == "summit" and i.place
             and instrument_form(i.place) == where and telling <= vocabulary[i.key]]
    return found[0] if len(found) == 1 else None


def meeting_declaration(meeting_key: str) -> Instrument | None:
    """The one catalog declaration adopted where and when the catalogued meeting was held, if
    exactly one was ("the summit's joint statement" at Bletchley Park in 2023)."""
    meeting = _tables().instruments.get(meeting_key)
    if meeting is None or meeting.type != "summit" or not meeting.place:
        return None
    found = [i for i in _tables().instruments.values() if i.type == "declaration"
             and i.place == meeting.place and i.year == meeting.year]
    return found[0] if len(found) == 1 else None


def instrument_clashes() -> dict[str, set[str]]:
    """Normal forms that more than one instrument claims, with their keys (should be empty)."""
    claims: dict[str, set[str]] = {}
    for inst in _tables().instruments.values():
        for name in inst.names:
            claims.setdefault(instrument_form(name), set()).add(inst.key)
    return {form: keys for form, keys in claims.items() if len(keys) > 1}


def closest_names(text: str, n: int = 3, cutoff: float = 0.6) -> list[str]:
    """Up to `n` canonical instrument names nearest to `text` (difflib), for a "not found,
    did you mean ..." message; each instrument appears once."""
    table = _instrument_table()
    found: list[str] = []
    for form in difflib.get_close_matches(instrument_form(text), list(table), n=len(table), cutoff=cutoff):
        name = _tables().instruments[table[form]].name
        if name not in found:
            found.append(name)
        if len(found) == n:
            break
    return found


__all__ = [
    "ACTOR_KINDS", "DATA_DIR_VARIABLE", "ActorName", "Body", "Country", "Instrument", "KnowledgeError",
    "actor_clashes", "actor_names", "bodies", "body_codes", "closest_names", "countries",
    "country_codes", "find_instrument", "instrument_clashes", "instrument_form", "instruments",
    "non_actor_names", "normal_form", "plain_text", "reload", "resolve_actor",
]
