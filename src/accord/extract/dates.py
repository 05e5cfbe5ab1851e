"""When an event happened: date expressions in a text, resolved against the page's date.

"On February 11th", "in March", "on Saturday", "last year", "in May last year" say little alone; read against
the published (or crawl) date they become 2025-02-11, 2024-03, 2025-07-26, 2024. The
result is as precise as the text: YYYY-MM-DD, YYYY-MM or YYYY. Expressions are found with
spaCy's Matcher on tokens, so the same code serves parsed and unparsed sentences.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from accord.extract.nlp import load_pipeline

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS.update({"sept": 9})
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
DAY = r"^(0?[1-9]|[12]\d|3[01])(st|nd|rd|th)?$"
YEAR = r"^(19[5-9]\d|20[0-4]\d)$"
LEADS = ["in", "since", "until", "by", "last", "early", "late", "mid", "of", "from", "through", "during", "before", "after"]
RELATIVE = {"yesterday": -1, "today": 0}


@dataclass(frozen=True)
class DateMention:
    """A date expression: its token span and its resolved value (None if unresolvable)."""

    start: int
    end: int
    value: str | None


@lru_cache(maxsize=1)
def _matcher() -> Matcher:
    matcher = Matcher(load_pipeline().vocab)
    month = {"LOWER": {"IN": list(MONTHS)}, "IS_TITLE": True}
    dot = {"ORTH": ".", "OP": "?"}
    day = {"TEXT": {"REGEX": DAY}}
    year = {"TEXT": {"REGEX": YEAR}}
    comma = {"ORTH": ",", "OP": "?"}
    matcher.add("MDY", [[month, dot, day, comma, year], [month, dot, day]])
    matcher.add("DMY", [[day, {"LOWER": "of", "OP": "?"}, month, dot, year], [day, {"LOWER": "of", "OP": "?"}, month]])
    lead = {"LOWER": {"IN": LEADS}}
    shift = [{"LOWER": {"IN": ["last", "this", "next"]}}, {"LOWER": "year"}]
    matcher.add("MREL", [[lead, month, *shift], [month, *shift]])
    matcher.add("MY", [[month, dot, year], [lead, month, dot, year], [lead, month]])
    matcher.add("Y", [[{"LOWER": {"IN": LEADS}}, year]])
    matcher.add("ISO", [[{"TEXT": {"REGEX": r"^(19|20)\d\d-\d\d-\d\d$"}}]])
    matcher.add("WD", [[{"LOWER": {"IN": ["on", "last", "this", "past"]}}, {"LOWER": {"IN": list(WEEKDAYS)}}]])
    matcher.add("REL", [[{"LOWER": {"IN": list(RELATIVE)}}],
                        [{"LOWER": {"IN": ["last", "this", "next"]}}, {"LOWER": {"IN": ["year", "month"]}}]])
    return matcher


def _number(text: str) -> int:
    return int(re.match(r"\d+", text).group())


def _past_month(month: int, ref: date) -> int:
    """The year of a month named without one: the latest such month not after `ref`."""
    return ref.year if month <= ref.month else ref.year - 1


def resolve(span: Span, label: str, ref: date | None) -> str | None:
    """The value of one matched expression, as precise as it and `ref` allow."""
    words = [t for t in span if t.text not in (".", ",")]
    low = [t.lower_ for t in words]
    years = [int(t.text) for t in words if re.match(YEAR, t.text)]
    months = [MONTHS[w] for w in low if w in MONTHS]
    days = [_number(t.text) for t in words if re.match(DAY, t.text)]
    try:
        if label == "ISO":
            return date.fromisoformat(span.text).isoformat()
        if label in ("MDY", "DMY"):
            year = years[0] if years else (_past_month(months[0], ref) if ref else None)
            return date(year, months[0], days[0]).isoformat() if year else None
        if label == "MY":
            year = years[0] if years else (_past_month(months[0], ref) if ref else None)
            return f"{year:04d}-{months[0]:02d}" if year else None
        if label == "Y":
            return f"{years[0]:04d}"
        if label == "MREL" and ref is not None:  # "in March last year"
            step = {"last": -1, "this": 0, "next": 1}[low[-2]]
            return f"{ref.year + step:04d}-{months[0]:02d}"
        if ref is None:
            return None
        if label == "WD":
            back = (ref.weekday() - WEEKDAYS[low[-1]]) % 7
            return (ref - timedelta(days=back)).isoformat()
        if label == "REL":
            if low[-1] in RELATIVE:
                return (ref + timedelta(days=RELATIVE[low[-1]])).isoformat()
            step = {"last": -1, "this": 0, "next": 1}[low[0]]
            if low[-1] == "year":
                return f"{ref.year + step:04d}"
            month_index = ref.year * 12 + ref.month - 1 + step
            return f"{month_index // 12:04d}-{month_index % 12 + 1:02d}"
    except (ValueError, IndexError):
        return None
    return None


def date_mentions(doc: Doc, ref: date | None) -> list[DateMention]:
    """Every date expression of `doc` with its value, in text order, longest match kept."""
    found: list[DateMention] = []
    for match_id, start, end in sorted(_matcher()(doc), key=lambda m: (m[1], -m[2])):
        if found and start < found[-1].end:
            continue
        label = doc.vocab.strings[match_id]
        found.append(DateMention(start, end, resolve(doc[start:end], label, ref)))
    return found
