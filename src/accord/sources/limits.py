"""The caps that keep reading one input bounded in memory and time, whatever the input holds.

Every reader takes a `Limits`; `read_inputs` uses `DEFAULT_LIMITS` unless told otherwise.
An input (or part of one) that goes past a cap is refused with a one-line reason naming
the cap, and the run goes on with the next.
"""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """Caps on what one input may make the reader hold or do.

    max_bytes     one page or feed file, one WARC record, one JSONL line (held in memory whole)
    max_feed_bytes  one RSS/Atom feed (feed parsing is slow: about 2-5 s a MB)
    max_expanded  bytes one gzip-compressed input may decompress to, in total
    max_ratio     how many times larger than its compressed bytes gzip data may grow (once it
                  has grown past `bomb_floor`); a gzip bomb grows about 1000-fold
    bomb_floor    decompressed bytes below which the ratio is not checked (small files compress well)
    max_records   WARC records, JSONL lines or feed items read from one input
    max_depth     element nesting of an HTML page; libxml2, which the clean stage parses HTML
                  with, silently drops what lies deeper than 255 levels
    """

    max_bytes: int = 50 * MIB
    max_feed_bytes: int = 10 * MIB
    max_expanded: int = 8 * 1024 * MIB
    max_ratio: int = 100
    bomb_floor: int = 16 * MIB
    max_records: int = 1_000_000
    max_depth: int = 255


DEFAULT_LIMITS = Limits()
