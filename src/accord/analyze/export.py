"""Exports: events, facts, stances or alignment pairs as CSV, JSON lines or Parquet.

Every export is a flat table (one value per column, lists joined with ";"), so it opens in a
spreadsheet as well as in pandas or DuckDB. Events are the extracted rows as stored; facts,
stances and alignment have analysts' corrections applied.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from accord.analyze.alignment import alignment
from accord.analyze.db import DB, opened
from accord.analyze.facts import load_facts
from accord.analyze.stances import stances_from

KINDS: tuple[str, ...] = ("events", "facts", "stances", "alignment")
"""What can be exported."""

FORMATS: tuple[str, ...] = ("csv", "jsonl", "parquet")
"""The formats an export can be written in."""

_EVENTS = ("SELECT e.id, e.doc_id, d.doc, d.published, d.duplicate_of, coalesce(d.duplicate_of, d.id) AS original_id,"
           " e.actor, e.action, e.target_key, t.name AS target, t.type AS target_type, e.target_text, e.date,"
           " e.evidence, e.start, e.end, e.confidence, e.rule, e.amount FROM events e"
           " JOIN documents d ON d.id = e.doc_id JOIN targets t ON t.key = e.target_key ORDER BY e.id")


def export_rows(db: DB, what: str) -> Iterator[dict]:
    """The rows of one export kind, as flat dicts."""
    if what not in KINDS:
        raise ValueError(f"'{what}' cannot be exported (choose: {', '.join(KINDS)})")
    if what == "alignment":
        result = alignment(db)
        bloc = {m: b.id for b in result.blocs for m in b.members}
        for p in result.pairs:
            yield {"a": p.a, "b": p.b, "shared": p.shared, "same": p.same, "opposed": p.opposed,
                   "agreement": p.agreement, "bloc_a": bloc.get(p.a), "bloc_b": bloc.get(p.b)}
        return
    with opened(db) as store:
        if what == "events":
            cursor = store.conn.execute(_EVENTS)
            names = [c[0] for c in cursor.description]
            for row in cursor:
                yield dict(zip(names, row, strict=True))
            return
        found = load_facts(store)
    if what == "facts":
        for f in found:
            yield {"actor": f.actor, "action": f.action, "target_key": f.target_key, "target": f.target,
                   "target_type": f.target_type, "first_date": f.first_date, "last_date": f.last_date,
                   "sources": f.sources, "documents": f.documents, "status": f.status,
                   "doc_ids": ";".join(dict.fromkeys(s.doc_id for s in f.evidence if s.doc_id)),
                   "evidence": f.evidence[0].evidence if f.evidence else ""}
        return
    for s in stances_from(found):
        yield {"actor": s.actor, "target_key": s.target_key, "target": s.target, "stance": s.stance,
               "action": s.action, "first_date": s.first_date, "last_date": s.last_date, "sources": s.sources,
               "conflict": s.conflict, "superseded": ";".join(s.superseded),
               "sides": ";".join(f"{f.action}:{f.sources}" for f in s.sides)}


def write_rows(rows: Iterator[dict], fmt: str, out: Path | None = None) -> int:
    """Write rows as csv, jsonl or parquet to `out` (standard output when None; not for parquet)."""
    if fmt not in FORMATS:
        raise ValueError(f"'{fmt}' is not an export format (choose: {', '.join(FORMATS)})")
    if fmt == "parquet":
        if out is None:
            raise ValueError("parquet is binary: name a file with --out")
        import pyarrow as pa
        import pyarrow.parquet as pq

        listed = list(rows)
        pq.write_table(pa.Table.from_pylist(listed), out)
        return len(listed)
    if out is None:
        return _write_text(rows, fmt, sys.stdout)
    with open(out, "w", encoding="utf-8", newline="") as handle:
        return _write_text(rows, fmt, handle)


def _write_text(rows: Iterator[dict], fmt: str, handle: TextIO) -> int:
    """Write rows as csv or jsonl to an open text file; return how many."""
    count = 0
    writer = None
    for row in rows:
        if fmt == "jsonl":
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            if writer is None:
                writer = csv.DictWriter(handle, fieldnames=list(row))
                writer.writeheader()
            writer.writerow(row)
        count += 1
    handle.flush()
    return count


def export(db: DB, what: str, fmt: str = "csv", out: str | Path | None = None) -> int:
    """Export `what` (events, facts, stances, alignment) in `fmt` to `out` (or standard output);
    return the number of rows written."""
    if fmt not in FORMATS:
        raise ValueError(f"'{fmt}' is not an export format (choose: {', '.join(FORMATS)})")
    return write_rows(export_rows(db, what), fmt, Path(out) if out else None)
