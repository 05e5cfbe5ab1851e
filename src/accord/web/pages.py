"""The server-rendered pages: overview, targets, countries, alignment, search, documents, events, review.

Pages are Jinja2 templates with autoescape on; source text reaches them only as plain
strings (or as highlight pieces, each escaped), never marked safe. Data for charts and
the map travels in `<script type="application/json">` blocks serialized with `tojson`
(which escapes <, > and &, so a `</script>` in source text cannot end the block) and is
drawn by static scripts, so no page needs an inline script. Values put into a link's path
go through `seg` (percent-encoded, so they stay one path segment), and a document's own
address becomes a link only if it is http(s) (`web_url`): no `javascript:` or `data:` links.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from accord.records import ACTIONS, TARGET_TYPES
from accord.web import facts, queries
from accord.web.api import Review, activity_of, actors_of, counts_of, record_review, targets_of
from accord.web.app import HERE
from accord.web.countries import actor_name, is_country, numeric_to_alpha3
from accord.web.highlight import evidence_span, highlighted_pieces, marked_pieces
from accord.web.schemas import MAX_OFFSET, MAX_QUERY, MAX_TEXT
from accord.web.search import article_hits, evidence_hits
from accord.web.security import NO_TOKEN, SESSION_COOKIE, safe_next, same_origin


def web_url(value: object) -> str | None:
    """`value` if it is an absolute http(s) address with a host, else None (never a script or data URL)."""
    if not isinstance(value, str) or any(c in value for c in "\x00\t\r\n"):
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    return value.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def seg(value: object) -> str:
    """`value` percent-encoded as one path segment (no '/', '?' or '#' can escape it)."""
    return _segment(str(value))


@lru_cache(maxsize=8192)
def _segment(text: str) -> str:
    """A target page links every actor of every action (two thousand links): the same few hundred
    codes, each quoted once."""
    return quote(text, safe="")


router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals.update(actor_name=actor_name, ACTIONS=ACTIONS, TARGET_TYPES=TARGET_TYPES)
templates.env.filters.update(web_url=web_url, seg=seg)
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
PAGE = 50
SHOWN = 100
"""Facts on a page of a target's facts; the latest events on a country page (the API has them all)."""


def _web(request: Request):
    return request.app.state.web


def render(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
    """A page, with the session's CSRF token for its forms (a new anonymous session if it has none)."""
    guard = _web(request).guard
    session = guard.session(request)
    cookie = None
    if session is None:
        session, cookie = guard.new_session()
    context |= {"csrf": guard.csrf_token(session), "authed": session.authed, "reviewer": session.who,
                "writes_enabled": guard.writes_enabled, "path": request.url.path}
    response = templates.TemplateResponse(request, template, context, status_code=status)
    if cookie:
        response.set_cookie(SESSION_COOKIE, cookie, httponly=True, samesite="strict", path="/")
    return response


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    web = _web(request)
    counts = counts_of(web)
    _, latest = queries.event_page(web.conn, queries.EventFilter(), limit=15, count=False)
    monthly = activity_of(web)
    top = targets_of(web)[:10]
    return render(request, "overview.html", counts=counts, latest=latest, activity=monthly, top_targets=top)


@router.get("/targets", response_class=HTMLResponse)
def target_index(request: Request, type: str | None = None) -> HTMLResponse:
    rows = targets_of(_web(request), type)
    return render(request, "targets.html", targets=rows, kind=type)


@router.get("/targets/{key}", response_class=HTMLResponse)
def target_page(request: Request, key: str, offset: Offset = 0) -> HTMLResponse:
    web = _web(request)
    target = queries.target_row(web.conn, key)
    if target is None:
        return render(request, "error.html", 404, message=f"No target with key {key}.")
    stances = web.cached(("target-stances", key), lambda: facts.target_stances(web.store(), key))
    total, page = web.cached(("facts", key, None, None, SHOWN, offset),
                             lambda: facts.fact_page(web.store(), target=key, limit=SHOWN, offset=offset))
    by_action: dict[str, set[str]] = {}  # who did what: the facts not rejected, as the stances' histories hold them
    for s in stances:
        for action in s.get("actions", []):
            by_action.setdefault(action, set()).add(s["actor"])
    shown = []
    for f in page:
        evidence = f.get("evidence") or []
        shown.append(f | {"evidence": evidence[:3], "more_evidence": max(0, len(evidence) - 3)})
    map_data = {"stances": {s["actor"]: {"stance": s.get("stance"), "actions": s.get("actions", []),
                                         "word": s.get("word"),
                                         "name": s.get("actor_name")} for s in stances if is_country(s["actor"])},
                "ids": numeric_to_alpha3()}
    return render(request, "target.html", target=target, stances=stances, facts=shown, total_facts=total,
                  offset=offset, page=SHOWN,
                  by_action={a: [(seg(c), actor_name(c)) for c in sorted(v)] for a, v in by_action.items()},
                  map_data=map_data, conflicts=[s for s in stances if s.get("conflict")])


@router.get("/countries", response_class=HTMLResponse)
def country_index(request: Request) -> HTMLResponse:
    return render(request, "countries.html", actors=actors_of(_web(request)))


@router.get("/countries/{code}", response_class=HTMLResponse)
def country_page(request: Request, code: str) -> HTMLResponse:
    web = _web(request)
    code = code.upper()
    if len(code) > MAX_TEXT:
        return render(request, "error.html", 404, message="No actor has so long a code.")
    view = web.cached(("country", code), lambda: facts.country_view(web.store(), code, SHOWN))
    if not view["events"] and not view.get("stances"):
        return render(request, "error.html", 404, message=f"Nothing is stored about {code}.")
    return render(request, "country.html", code=code, name=actor_name(code), profile=view, events=view["events"],
                  total_events=view["total_events"])


@router.get("/alignment", response_class=HTMLResponse)
def alignment_page(request: Request, min_shared: Annotated[int, Query(ge=1, le=MAX_OFFSET)] = 1) -> HTMLResponse:
    web = _web(request)
    result = web.cached(("alignment", min_shared), lambda: facts.alignment(web.store(), min_shared))
    return render(request, "alignment.html", result=result, min_shared=min_shared)


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: Annotated[str, Query(max_length=MAX_QUERY)] = "", kind: str = "evidence",
                offset: Offset = 0) -> HTMLResponse:
    conn = _web(request).conn
    kind = kind if kind in ("articles", "evidence") else "evidence"
    total, rows = (article_hits if kind == "articles" else evidence_hits)(conn, q, PAGE, offset) if q.strip() else (0, [])
    for r in rows:
        r["pieces"] = marked_pieces(r["snippet"])
    return render(request, "search.html", q=q, kind=kind, total=total, rows=rows, offset=offset, page=PAGE)


@router.get("/documents", response_class=HTMLResponse)
def document_index(request: Request, offset: Offset = 0) -> HTMLResponse:
    total, rows = queries.document_page(_web(request).conn, None, PAGE, offset)
    return render(request, "documents.html", total=total, rows=rows, offset=offset, page=PAGE)


@router.get("/documents/{ref}", response_class=HTMLResponse)
def document_view(request: Request, ref: str, removed: bool = False) -> HTMLResponse:
    doc = queries.document_detail(_web(request).conn, ref)
    if doc is None:
        return render(request, "error.html", 404, message=f"No document {ref}.")
    principal = next((a for a in doc["articles"] if a["principal"]), doc["articles"][0] if doc["articles"] else None)
    spans, unplaced = [], []
    for ev in doc["events"]:
        span = evidence_span(principal["text"], ev["start"], ev["end"], ev["evidence"]) if principal else None
        if span:
            spans.append((ev["id"], *span))
        else:
            unplaced.append(ev["id"])
    pieces = highlighted_pieces(principal["text"], spans) if principal else []
    return render(request, "document.html", doc=doc, principal=principal, pieces=pieces, unplaced=unplaced,
                  show_removed=removed, title=display_title(doc["title"], principal))


def display_title(title: str | None, principal: dict | None) -> str:
    """What to call a document: its title, else its story's headline, else the story's first line
    (cut at a word near 100 characters); "(no title)" only for a page with no text at all."""
    if title:
        return title
    if principal and principal.get("title"):
        return principal["title"]
    first = (principal or {}).get("text", "").strip().split("\n", 1)[0].strip()
    if not first:
        return "(no title)"
    return first if len(first) <= 100 else first[:100].rsplit(" ", 1)[0] + " …"


@router.get("/events", response_class=HTMLResponse)
def event_index(request: Request, actor: str | None = None, action: str | None = None,
                target: str | None = None, offset: Offset = 0) -> HTMLResponse:
    web = _web(request)
    where = queries.EventFilter(actor or None, action if action in ACTIONS else None, target or None)
    if where == queries.EventFilter():
        total = web.cached(("events-total",), lambda: queries.event_page(web.conn, where, 1, 0)[0])
        _, rows = queries.event_page(web.conn, where, PAGE, offset, count=False)
    else:
        total, rows = queries.event_page(web.conn, where, PAGE, offset)
    query = {k: v for k, v in (("actor", where.actor), ("action", where.action), ("target", where.target)) if v}
    return render(request, "events.html", total=total, rows=rows, offset=offset, page=PAGE, where=where,
                  query=query)


# --- writing ---------------------------------------------------------------------------------
@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "login.html", next=safe_next(next), error=None)


def _checked_form(request: Request, csrf: str) -> None:
    """Refuse a form post that is cross-site (403) or whose CSRF token is not this session's (403)."""
    guard = _web(request).guard
    if not same_origin(request):
        raise HTTPException(403, "cross-site request refused")
    if not guard.csrf_valid(guard.session(request), csrf):
        raise HTTPException(403, "the form's CSRF token is missing or stale: reload the page and try again")


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, token: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "",
          next: Annotated[str, Form()] = "/", who: Annotated[str, Form()] = "") -> Response:
    guard = _web(request).guard
    _checked_form(request, csrf)
    if not guard.writes_enabled:
        return render(request, "login.html", 403, next=safe_next(next), error=NO_TOKEN)
    if not guard.token_valid(token):
        return render(request, "login.html", 401, next=safe_next(next), error="That is not the write token.")
    if not who.strip():
        return render(request, "login.html", 400, next=safe_next(next), error="Say who you are: reviews are signed.")
    _, cookie = guard.new_session(authed=True, who=who)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, cookie, httponly=True, samesite="strict", path="/")
    return response


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    _checked_form(request, csrf)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/review")
def review_form(request: Request, decision: Annotated[str, Form()], actor: Annotated[str, Form()],
                action: Annotated[str, Form()], target_key: Annotated[str, Form()],
                csrf: Annotated[str, Form()] = "", who: Annotated[str, Form()] = "",
                why: Annotated[str, Form()] = "", new_actor: Annotated[str, Form()] = "",
                new_action: Annotated[str, Form()] = "", new_target_key: Annotated[str, Form()] = "",
                date: Annotated[str, Form()] = "", evidence: Annotated[str, Form()] = "",
                doc_id: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/") -> Response:
    guard = _web(request).guard
    if not guard.writes_enabled:
        raise HTTPException(403, NO_TOKEN)
    if not same_origin(request):
        raise HTTPException(403, "cross-site request refused")
    session = guard.session(request)
    if session is None or not session.authed:
        raise HTTPException(401, "sign in with the write token first (/login)")
    _checked_form(request, csrf)
    if decision not in ("confirm", "reject", "edit", "add"):
        raise HTTPException(400, f"decision: '{decision}' is not one of confirm, reject, edit, add")
    changes = {"actor": new_actor.upper() or None, "action": new_action or None,
               "target_key": new_target_key or None, "date": date or None}
    if decision == "add":
        changes = {"date": date or None, "evidence": evidence or None, "doc_id": doc_id or None}
    if decision in ("confirm", "reject"):
        changes = {}
    try:
        item = Review(decision=decision, actor=actor, action=action, target_key=target_key,
                      who=who.strip() or session.who or "reviewer", why=why, changes=changes)
    except ValidationError as e:
        problem = e.errors()[0]
        raise HTTPException(400, f"{'.'.join(map(str, problem['loc']))}: {problem['msg']}") from e
    record_review(request, item)
    return RedirectResponse(safe_next(next), status_code=303)
