"""The publication date a page prints, in any of the forms news pages use.

Pages print dates as ISO ("Release Time:2025-02-12", "2025-02-10 17:27"), long form
("February 11, 2025", "11 Feb 2025", "Mon, 09 Sep 2024"), numbers with the year last
("02.07.2024", "07/02/2024") and relative stamps ("1 day ago", "yesterday").

Numbers with the year last are ambiguous between day-first and month-first. They are
decided by evidence, strongest first: a number above 12 can only be a day; another date
of the same shape on the page that is unambiguous sets the page's convention; a reading
after the reference date is impossible; otherwise dots and dashes mean day-first (the
convention of every country that writes them) and slashes month-first, and the note
says the date was ambiguous. Relative stamps are resolved only against a known
reference date (the crawl date, a JSONL field, --reference-date), never against today.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    _MONTHS[calendar.month_name[_number].lower()] = _number
    _MONTHS[calendar.month_abbr[_number].lower()] = _number
_MONTHS["sept"] = 9
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))

_ISO = re.compile(r"(?<!\d)((?:19|20)\d\d)([-/.年])(\d{1,2})\2?(\d{1,2})(?!\d)")
_YEAR_LAST = re.compile(r"(?<![\d.])(\d{1,2})([./-])(\d{1,2})\2((?:19|20)\d\d)(?!\d)")
_DAY_MONTH = re.compile(rf"(?<!\w)(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\.?,?\s+((?:19|20)\d\d)(?!\d)", re.I)
_MONTH_DAY = re.compile(rf"(?<!\w)({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)(?!\d)", re.I)
_RELATIVE = re.compile(r"(?<!\w)(?:(\d+|an?|one)\s+(minute|min|hour|hr|day|week|month)s?\s+ago|(yesterday)|(today|just now))(?!\w)", re.I)

_MAY_HOLD_DATE = re.compile(r"\d|ago|yesterday|today|just now", re.I)
"""What every date form above needs: a digit, or a word of the relative forms. Most lines
of a page hold neither, and one search rules them out."""

_LABELS = re.compile(r"(?i)\b(published|release time|released|posted|date|dated|first published|on)\b")
_UPDATED = re.compile(r"(?i)\b(updated|modified|last updated|edited)\b")


@dataclass(frozen=True)
class FoundDate:
    """A date printed on a page: where it starts in its line, and how it was read."""

    value: date
    position: int
    note: str | None = None
    updated: bool = False


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _relative(match: re.Match[str], reference: date | None) -> date | None:
    if reference is None:
        return None
    amount, unit, yesterday, today = match.groups()
    if yesterday:
        return reference - timedelta(days=1)
    if today:
        return reference
    count = 1 if amount.lower() in ("a", "an", "one") else int(amount)
    unit = unit.lower()
    if unit in ("minute", "min", "hour", "hr"):
        hours = count / 60 if unit in ("minute", "min") else count
        return reference - timedelta(hours=hours) if hours >= 24 else reference
    days = {"day": 1, "week": 7, "month": 30}[unit] * count
    return reference - timedelta(days=days)


def _day_first_evidence(lines: list[str]) -> bool | None:
    """The page's own convention for year-last numbers, from one that only reads one way."""
    for line in lines:
        for m in _YEAR_LAST.finditer(line):
            first, second = int(m.group(1)), int(m.group(3))
            if first > 12 >= second:
                return True
            if second > 12 >= first:
                return False
    return None


def _updated_labels(line: str) -> list[tuple[int, bool]]:
    """Where the line names a date, and whether that label marks an update."""
    labels = [(m.start(), False) for m in _LABELS.finditer(line)]
    labels += [(m.start(), True) for m in _UPDATED.finditer(line)]
    return sorted(labels)


def dates_in(line: str, reference: date | None = None, day_first: bool | None = None) -> list[FoundDate]:
    """Every full date printed in one line, in order of position."""
    if not _MAY_HOLD_DATE.search(line):
        return []
    labels = _updated_labels(line)
    found: list[FoundDate] = []

    def add(value: date | None, start: int, note: str | None = None) -> None:
        if value is None:
            return
        before = [updated for position, updated in labels if position < start]
        found.append(FoundDate(value, start, note, updated=bool(before) and before[-1]))

    for m in _ISO.finditer(line):
        add(_safe(int(m.group(1)), int(m.group(3)), int(m.group(4))), m.start())
    for m in _DAY_MONTH.finditer(line):
        add(_safe(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1))), m.start())
    for m in _MONTH_DAY.finditer(line):
        add(_safe(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2))), m.start())
    for m in _YEAR_LAST.finditer(line):
        value, note = _year_last(m, reference, day_first)
        add(value, m.start(), note)
    for m in _RELATIVE.finditer(line):
        add(_relative(m, reference), m.start(), "relative to the reference date")
    return sorted(found, key=lambda f: f.position)


def _year_last(m: re.Match[str], reference: date | None, day_first: bool | None) -> tuple[date | None, str | None]:
    """A year-last number read day-first or month-first, by the evidence there is."""
    first, separator, second, year = int(m.group(1)), m.group(2), int(m.group(3)), int(m.group(4))
    as_day_first, as_month_first = _safe(year, second, first), _safe(year, first, second)
    if as_day_first is None or as_month_first is None or as_day_first == as_month_first:
        return as_day_first or as_month_first, None
    if day_first is not None:
        return (as_day_first if day_first else as_month_first), "day-first by the page's other dates" if day_first \
            else "month-first by the page's other dates"
    if reference is not None:
        later = [d for d in (as_day_first, as_month_first) if d > reference]
        if len(later) == 1:
            kept = as_month_first if later[0] == as_day_first else as_day_first
            return kept, "the other reading is after the reference date"
    if separator == "/":
        return as_month_first, "ambiguous: month-first read for a slashed date"
    return as_day_first, "ambiguous: day-first read for a dotted or dashed date"


def published_date(header: list[str], trailer: list[str], reference: date | None = None,
                   ) -> tuple[str | None, str | None]:
    """The page's publication date as ISO text, and a note on how it was decided.

    `header` holds the lines a page prints before and at the start of its story, where the
    date of publication stands; `trailer` the lines after it, used only for a labelled
    date ("Published: ..."). The first date of the header wins over an "updated" date.
    """
    convention = _day_first_evidence(header + trailer)
    candidates = [f for line in header for f in dates_in(line, reference, convention)]
    if not candidates:
        candidates = [f for line in trailer if _LABELS.search(line) and not _UPDATED.search(line)
                      for f in dates_in(line, reference, convention)]
    if not candidates:
        return None, None
    chosen = next((f for f in candidates if not f.updated), candidates[0])
    if reference is not None and chosen.value > reference + timedelta(days=1):
        return None, f"printed date {chosen.value.isoformat()} is after the reference date"
    return chosen.value.isoformat(), chosen.note


def has_relative_stamp(line: str) -> bool:
    """True when a line holds a relative time stamp such as "3 hours ago"."""
    return _RELATIVE.search(line) is not None


def has_date(line: str) -> bool:
    """True when a line prints a full date or a relative stamp."""
    return _MAY_HOLD_DATE.search(line) is not None and bool(_ISO.search(line) or _YEAR_LAST.search(line) or _DAY_MONTH.search(line)
                or _MONTH_DAY.search(line) or _RELATIVE.search(line))


def normalized_date(text: str | None, reference: date | None = None) -> str | None:
    """A date given as a field (JSONL `published`, a feed's pubDate) as ISO text, or None."""
    if not text:
        return None
    found = dates_in(text.strip(), reference)
    return found[0].value.isoformat() if found else None
