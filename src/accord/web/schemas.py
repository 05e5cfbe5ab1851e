"""What the API's answers look like, for its OpenAPI description (and so for clients and fuzzers).

The routes build their JSON by hand (`tables.json_response`), so these models document
rather than validate; tests/test_schema_fuzz.py checks with schemathesis that every
answer matches them, status codes and content types included.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

MAX_ID = 2**63 - 1
"""The largest integer SQLite stores: bigger ids or offsets are refused with 422, not a 500."""
MAX_OFFSET = 1_000_000_000
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
MAX_TEXT = 300
"""Longest actor code, target key, document reference or filter value a request may send."""
MAX_QUERY = 1000
"""Longest full-text query."""


class Error(BaseModel):
    """An error: what went wrong, in words (a string, or FastAPI's list of validation problems)."""

    detail: str | list[dict[str, Any]]


class Page(BaseModel):
    """One page of a list, with how many rows match in all."""

    model_config = ConfigDict(extra="allow")
    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]]


class EventItem(BaseModel):
    """One event as lists show it."""

    id: int
    doc_id: str
    doc: str
    actor: str
    action: str
    target_key: str
    target: str
    target_type: str
    target_text: str | None
    date: str | None
    evidence: str
    start: int
    end: int
    confidence: float
    rule: str | None
    amount: str | None


class EventPage(Page):
    """A page of events."""

    items: list[EventItem]  # type: ignore[assignment]


def _error(description: str) -> dict[str, Any]:
    return {"model": Error, "description": description}


BUSY = {503: _error("The query ran past its time budget (ACCORD_QUERY_BUDGET), or the store is busy: retry later")}
NOT_FOUND = {404: _error("No such item")}
BAD = {400: _error("A filter value the API does not accept")}
CSV = {"text/csv": {"schema": {"type": "string"}}}


def listing(model: type[BaseModel] = Page) -> dict[int | str, dict[str, Any]]:
    """The responses of a list endpoint: a JSON page or a CSV download, and its errors."""
    return {200: {"model": model, "content": CSV, "description": "A page as JSON, or every row as CSV"},
            **BAD, **BUSY}


def detail(model: type[BaseModel] | None = None) -> dict[int | str, dict[str, Any]]:
    """The responses of an endpoint answering one JSON object (or list)."""
    ok: dict[str, Any] = {"description": "The item"}
    if model is not None:
        ok["model"] = model
    return {200: ok, **NOT_FOUND, **BUSY}


WRITE = {401: _error("No valid write token (Authorization: Bearer <token>)"),
         403: _error("Writes are disabled, or the request came from another site"),
         **BAD, **NOT_FOUND,
         413: _error("The request body is larger than ACCORD_MAX_BODY"),
         **BUSY}
