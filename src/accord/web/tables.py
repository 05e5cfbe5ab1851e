"""Responses for lists: a JSON page {total, limit, offset, items} or the same rows as CSV.

Every list endpoint of the API answers through `list_response`, so each one has the same
pagination contract and the same `?format=csv` download.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from fastapi import HTTPException
from fastapi.responses import Response

MAX_LIMIT = 500
MAX_CSV_ROWS = 100_000


def json_response(content: object, status: int = 200) -> Response:
    """JSON without FastAPI's per-field encoder (the rows are plain dicts of scalars already)."""
    return Response(json.dumps(content, ensure_ascii=False, default=str), status_code=status,
                    media_type="application/json")


def page_bounds(limit: int, offset: int, fmt: str) -> tuple[int, int]:
    """The limit and offset a request may have: up to MAX_LIMIT rows as JSON, MAX_CSV_ROWS as CSV."""
    if fmt not in ("json", "csv"):
        raise HTTPException(400, f"format: '{fmt}' is not supported (choose: json, csv)")
    cap = MAX_CSV_ROWS if fmt == "csv" else MAX_LIMIT
    if limit < 1 or offset < 0:
        raise HTTPException(400, "limit must be at least 1 and offset at least 0")
    return min(limit, cap), offset


def _cell(value: object) -> object:
    """A CSV cell; text that a spreadsheet would run as a formula is prefixed with a quote."""
    if isinstance(value, list | tuple | dict):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_text(rows: Sequence[dict], columns: Sequence[str] | None = None) -> str:
    """Rows as CSV with a header line."""
    columns = list(columns or (rows[0].keys() if rows else []))
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return buf.getvalue()


def list_response(name: str, total: int, rows: Sequence[dict], limit: int, offset: int, fmt: str,
                  columns: Sequence[str] | None = None) -> Response:
    """One page of rows as JSON, or as a CSV download named after the list."""
    if fmt == "csv":
        return Response(csv_text(rows, columns), media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": f'attachment; filename="{name}.csv"',
                                 "x-total-count": str(total)})
    return json_response({"total": total, "limit": limit, "offset": offset, "items": list(rows)})
