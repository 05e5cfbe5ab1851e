"""Dates of records (WARC-Date, a JSONL `published`, a feed item's date) as `date` objects.

A record-level date is the reference date of that document: relative dates in its text
("last Tuesday") are resolved against it by later stages.
"""

from __future__ import annotations

import re
import time
from datetime import date, datetime
from email.utils import parsedate_to_datetime

_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def date_of(text: object) -> date | None:
    """The calendar day of an ISO 8601 or RFC 2822 date string; None when it is not one."""
    if not isinstance(text, str) or not text.strip():
        return None
    if match := _ISO_DAY.match(text):
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


def date_of_struct(value: time.struct_time | None) -> date | None:
    """The calendar day of a `time.struct_time` (as feedparser gives item dates), or None."""
    if not value:
        return None
    try:
        return datetime(*value[:6]).date()
    except (TypeError, ValueError):
        return None
