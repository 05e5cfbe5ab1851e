"""The JSON API under /api: documents, articles, events, facts, stances, actors, targets,
timeline, alignment and full-text search; every list pages with limit/offset and a total,
and downloads as CSV with ?format=csv. Reads are public; the one write, a fact review,
needs `Authorization: Bearer <token>`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, HTTPException, Path, Query, Request
from fastapi.responses import Response
from fastapi.security import HTTPBearer
from pydantic import BaseModel, ConfigDict, Field

from accord.records import ACTIONS
from accord.web import facts, queries
from accord.web.countries import actor_name, numeric_to_alpha3
from accord.web.highlight import marked_pieces, plain_snippet
from accord.web.schemas import (
    BUSY,
    DATE_PATTERN,
    MAX_ID,
    MAX_OFFSET,
    MAX_QUERY,
    MAX_TEXT,
    NOT_FOUND,
    WRITE,
    EventItem,
    EventPage,
    detail,
    listing,
)
from accord.web.search import article_hits, evidence_hits
from accord.web.security import NO_TOKEN, same_origin
from accord.web.tables import MAX_LIMIT, json_response, list_response, page_bounds

router = APIRouter(prefix="/api", tags=["api"])
bearer = HTTPBearer(auto_error=False, description="The write token (accord serve prints where it is kept)")

Limit = Annotated[int, Query(ge=1, le=MAX_ID, description=f"Rows per page (at most {MAX_LIMIT} as JSON).")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip.")]
Format = Annotated[Literal["json", "csv"], Query(description="json (a page with its total) or csv (a download).")]
Text = Annotated[str | None, Query(max_length=MAX_TEXT)]
Action = Literal[ACTIONS]  # type: ignore[valid-type]


def _web(request: Request):
    return request.app.state.web


def counts_of(web) -> dict:
    """The store's counts (cached)."""
    return web.cached(("counts",), lambda: queries.store_counts(web.conn))


def activity_of(web) -> list[dict]:
    """Events per month (cached)."""
    return web.cached(("activity",), lambda: queries.activity(web.conn))


def targets_of(web, kind: str | None = None) -> list[dict]:
    """Targets with their counts (cached)."""
    return web.cached(("targets", kind), lambda: queries.target_list(web.conn, kind))


def actors_of(web) -> list[dict]:
    """Actors with their counts and names (cached)."""
    return web.cached(("actors",), lambda: [r | {"name": actor_name(r["actor"])} for r in queries.actor_list(web.conn)])


def warm(web) -> None:
    """Compute the store-wide aggregates once, so the first visitors do not wait for them."""
    counts_of(web), activity_of(web), targets_of(web), actors_of(web)
    web.cached(("events-total",), lambda: queries.event_page(web.conn, queries.EventFilter(), 1, 0)[0])


def _slice(name: str, rows: list[dict], limit: int, offset: int, fmt: str, columns=None) -> Response:
    limit, offset = page_bounds(limit, offset, fmt)
    return list_response(name, len(rows), rows[offset:offset + limit], limit, offset, fmt, columns)


@router.get("/stats", summary="How much the store holds", responses=detail(dict[str, int]))
def stats(request: Request) -> Response:
    return json_response(counts_of(_web(request)))


@router.get("/activity", summary="Events per month", responses=detail(list[dict[str, str | int]]))
def activity(request: Request) -> Response:
    return json_response(activity_of(_web(request)))


@router.get("/documents", summary="Stored documents, newest first", responses=listing())
def documents(request: Request, relevant: bool | None = None, limit: Limit = 50, offset: Offset = 0,
              format: Format = "json") -> Response:
    web = _web(request)
    limit, offset = page_bounds(limit, offset, format)
    total, rows = queries.document_page(web.conn, relevant, limit, offset)
    if relevant is None:  # the unfiltered total of a large store is worth remembering
        total = web.cached(("documents-total",), lambda: total)
    return list_response("documents", total, rows, limit, offset, format)


@router.get("/documents/{ref}", summary="One document: metadata, articles, events, removed boilerplate",
            responses=detail(dict))
def document(request: Request, ref: Annotated[str, Path(max_length=MAX_TEXT)]) -> Response:
    doc = queries.document_detail(_web(request).conn, ref)
    if doc is None:
        raise HTTPException(404, f"{ref}: no such document")
    return json_response(doc)


@router.get("/articles", summary="Articles (the stories of each page), optionally of one document",
            responses=listing())
def articles(request: Request, doc_id: Text = None, limit: Limit = 50, offset: Offset = 0,
             format: Format = "json") -> Response:
    conn = _web(request).conn
    limit, offset = page_bounds(limit, offset, format)
    cond, args = ("WHERE a.doc_id = ?", [doc_id]) if doc_id else ("", [])
    total = conn.execute(f"SELECT count(*) FROM articles a {cond}", args).fetchone()[0]
    rows = [dict(r) | {"principal": bool(r["principal"])} for r in conn.execute(
        f"SELECT a.doc_id, d.doc, a.position, a.title, a.principal, a.text FROM articles a"
        f" JOIN documents d ON d.id = a.doc_id {cond} ORDER BY a.rowid LIMIT ? OFFSET ?", [*args, limit, offset])]
    return list_response("articles", total, rows, limit, offset, format)


@router.get("/events", summary="Extracted events, newest first", responses=listing(EventPage))
def events(request: Request, actor: Text = None,
           action: Annotated[Action | None, Query(description="What the actor did")] = None,
           target: Annotated[str | None, Query(max_length=MAX_TEXT, description="Target key")] = None,
           doc_id: Text = None,
           since: Annotated[str | None, Query(pattern=DATE_PATTERN, description="Earliest date, YYYY[-MM[-DD]]")] = None,
           until: Annotated[str | None, Query(pattern=DATE_PATTERN, description="Latest date, YYYY[-MM[-DD]]")] = None,
           min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
           order: Literal["newest", "oldest"] = "newest",
           limit: Limit = 50, offset: Offset = 0, format: Format = "json") -> Response:
    web = _web(request)
    limit, offset = page_bounds(limit, offset, format)
    where = queries.EventFilter(actor, action, target, doc_id, since, until, min_confidence)
    if where == queries.EventFilter():
        total = web.cached(("events-total",), lambda: queries.event_page(web.conn, where, 1, 0)[0])
        _, rows = queries.event_page(web.conn, where, limit, offset, order == "newest", count=False)
    else:
        total, rows = queries.event_page(web.conn, where, limit, offset, order == "newest")
    return list_response("events", total, rows, limit, offset, format, queries.EVENT_COLUMNS)


@router.get("/events/{event_id}", summary="One event", responses=detail(EventItem))
def event(request: Request, event_id: Annotated[int, Path(ge=0, le=MAX_ID)]) -> Response:
    row = queries.event_by_id(_web(request).conn, event_id)
    if row is None:
        raise HTTPException(404, f"event {event_id}: no such event")
    return json_response(row)


@router.get("/facts", summary="Facts (actor, action, target) with evidence and review status",
            responses=listing())
def fact_list(request: Request, target: Text = None, actor: Text = None, action: Text = None,
              limit: Limit = 50, offset: Offset = 0, format: Format = "json") -> Response:
    web = _web(request)
    limit, offset = page_bounds(limit, offset, format)
    total, rows = web.cached(("facts", target, actor, action, limit, offset),
                             lambda: facts.fact_page(web.store(), target, actor, action, limit, offset))
    return list_response("facts", total, rows, limit, offset, format)


@router.get("/stances", summary="Each actor's stance on one target", responses=listing() | NOT_FOUND)
def stances(request: Request, target: Annotated[str, Query(max_length=MAX_TEXT, description="Target key")],
            limit: Limit = 500, offset: Offset = 0, format: Format = "json") -> Response:
    web = _web(request)
    if queries.target_row(web.conn, target) is None:
        raise HTTPException(404, f"{target}: no such target")
    rows = web.cached(("stances", target), lambda: facts.stance_list(web.store(), target))
    return _slice("stances", rows, limit, offset, format)


@router.get("/actors", summary="Actors with their event and target counts", responses=listing())
def actors(request: Request, limit: Limit = 100, offset: Offset = 0, format: Format = "json") -> Response:
    return _slice("actors", actors_of(_web(request)), limit, offset, format)


@router.get("/actors/{code}", summary="One actor's profile: stances across instruments and events",
            responses=detail(dict))
def actor(request: Request, code: Annotated[str, Path(max_length=MAX_TEXT)]) -> Response:
    web = _web(request)
    profile = web.cached(("actor", code.upper()), lambda: facts.actor_profile(web.store(), code))
    return json_response(profile)


@router.get("/targets", summary="Targets (instruments, summits, organizations) by how often they are named",
            responses=listing())
def targets(request: Request, type: Text = None, limit: Limit = 100, offset: Offset = 0,
            format: Format = "json") -> Response:
    return _slice("targets", targets_of(_web(request), type), limit, offset, format)


@router.get("/targets/{key}", summary="One target with its stances", responses=detail(dict))
def target(request: Request, key: Annotated[str, Path(max_length=MAX_TEXT)]) -> Response:
    web = _web(request)
    row = queries.target_row(web.conn, key)
    if row is None:
        raise HTTPException(404, f"{key}: no such target")
    row["stances"] = web.cached(("stances", key), lambda: facts.stance_list(web.store(), key))
    return json_response(row)


@router.get("/timeline", summary="Events in date order, for a target, an actor or everything",
            responses=listing() | NOT_FOUND)
def timeline(request: Request, target: Text = None, actor: Text = None,
             limit: Limit = 100, offset: Offset = 0, format: Format = "json") -> Response:
    web = _web(request)
    limit, offset = page_bounds(limit, offset, format)
    total, rows = web.cached(("timeline", target, actor, limit, offset),
                             lambda: facts.timeline_page(web.store(), target, actor, limit, offset))
    return list_response("timeline", total, rows, limit, offset, format)


@router.get("/alignment", summary="Pairwise agreement between actors, and the blocs it forms",
            responses=listing(dict))
def alignment(request: Request, min_shared: Annotated[int, Query(ge=1, le=MAX_OFFSET)] = 1, limit: Limit = 500,
              offset: Offset = 0, format: Format = "json") -> Response:
    web = _web(request)
    result = web.cached(("alignment", min_shared), lambda: facts.alignment(web.store(), min_shared))
    if format == "csv":
        return _slice("alignment", result.get("pairs", []), limit, offset, format)
    limit, offset = page_bounds(limit, offset, format)
    pairs = result.get("pairs", [])
    return json_response(result | {"total": len(pairs), "limit": limit, "offset": offset,
                                   "pairs": pairs[offset:offset + limit]})


@router.get("/search", summary="Full-text search over articles or event evidence (FTS5)", responses=listing())
def search(request: Request, q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY,
                                                     description="Words or \"phrases\"; word* for a prefix")],
           kind: Literal["articles", "evidence"] = "evidence", limit: Limit = 20, offset: Offset = 0,
           format: Format = "json") -> Response:
    conn = _web(request).conn
    limit, offset = page_bounds(limit, offset, format)
    total, rows = (article_hits if kind == "articles" else evidence_hits)(conn, q, limit, offset)
    for r in rows:
        pieces = marked_pieces(r["snippet"])
        r["snippet"] = plain_snippet(pieces)
        r["matches"] = [p.text for p in pieces if p.events]
    return list_response("search", total, rows, limit, offset, format)


@router.get("/countries/map", summary="ISO numeric map ids to alpha-3 actor codes",
            responses={200: {"model": dict[str, str], "description": "Map id -> actor code"}})
def country_map() -> Response:
    return json_response(numeric_to_alpha3())


@router.get("/reviews", summary="The audit log of reviews: who did what to which fact, when and why",
            responses=listing() | BUSY)
def reviews(request: Request, limit: Limit = 100, offset: Offset = 0, format: Format = "json") -> Response:
    module = facts.analyze_module()
    if module is None or not hasattr(module, "audit_log"):
        raise HTTPException(503, "reviews need the analyze stage, which is not installed")
    rows = facts.plain(module.audit_log(_web(request).store()))
    return _slice("reviews", list(reversed(rows)) if rows and rows[0].get("id", 0) < rows[-1].get("id", 0) else rows,
                  limit, offset, format)


class Changes(BaseModel):
    """What a review changes: new values for an edit, or what an added fact rests on."""

    model_config = ConfigDict(extra="forbid")
    actor: str | None = Field(None, max_length=40, description="edit: the new actor code")
    action: Action | None = Field(None, description="edit: the new action")
    target_key: str | None = Field(None, max_length=200, description="edit: the new target key")
    date: str | None = Field(None, pattern=DATE_PATTERN, description="edit or add: the date, YYYY[-MM[-DD]]")
    evidence: str | None = Field(None, max_length=2000, description="add: the sentence stating the fact")
    doc_id: str | None = Field(None, max_length=MAX_TEXT, description="add: the document it comes from")


CHANGEABLE = {"confirm": set(), "reject": set(), "edit": {"actor", "action", "target_key", "date"},
              "add": {"date", "evidence", "doc_id"}}
"""Which fields of `Changes` each decision takes."""


class Review(BaseModel):
    """A reviewer's decision on a fact keyed by (actor, action, target_key)."""

    decision: Literal["confirm", "reject", "edit", "add"]
    actor: str = Field(min_length=1, max_length=40)
    action: Action
    target_key: str = Field(min_length=1, max_length=200)
    who: str = Field(min_length=1, max_length=100)
    why: str = Field(default="", max_length=2000)
    changes: Changes = Field(default_factory=Changes)


def record_review(request: Request, item: Review) -> dict:
    """Check and store a review; raise HTTPException with the reason when it cannot be stored."""
    changes = {k: v for k, v in item.changes.model_dump().items() if v not in (None, "")}
    if extra := set(changes) - CHANGEABLE[item.decision]:
        raise HTTPException(400, f"{item.decision}: cannot change {', '.join(sorted(extra))}")
    web = _web(request)
    try:
        result = facts.review(web.store(), item.decision, item.who, item.why, item.actor.upper(), item.action,
                              item.target_key, **changes)
    except LookupError as e:
        raise HTTPException(404 if hasattr(e, "closest") or "not found" in str(e) else 503, str(e)) from e
    except (ValueError, TypeError) as e:
        raise HTTPException(400, str(e)) from e
    web.forget()
    return result if isinstance(result, dict) else {"result": result}


@router.post("/facts/review", summary="Confirm, reject, edit or add a fact (needs the write token)",
             status_code=201, responses={201: {"description": "The review as stored"}, **WRITE},
             dependencies=[Depends(bearer)])
def review(request: Request, item: Annotated[Review, Body()]) -> Response:
    """Refused with 403 when writes are disabled or the request is cross-site (even with the token),
    401 without a valid token; the token itself is checked in constant time."""
    guard = _web(request).guard
    if not guard.writes_enabled:
        raise HTTPException(403, NO_TOKEN)
    if not same_origin(request):
        raise HTTPException(403, "cross-site request refused")
    if not guard.bearer_valid(request):
        raise HTTPException(401, "a valid write token is required (Authorization: Bearer <token>)",
                            headers={"www-authenticate": "Bearer"})
    return json_response(record_review(request, item), 201)
