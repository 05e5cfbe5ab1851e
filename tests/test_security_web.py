"""The web app against attackers: stored XSS, SQL injection, cross-site writes, path traversal.

A real `accord serve` (uvicorn on a free loopback port) over a real SQLite store that
holds, besides the hand-made documents of test_api, documents whose every field carries
a script payload, and pages carrying payloads (a text capture, an HTML page, a JSONL
record) that the real pipeline ingested. Each test asserts what an attacker would need to change, so each
could fail: a payload that runs, a filter that widens, a write without the token, a
file from outside the static folder.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import pytest
from jinja2 import Environment
from markupsafe import escape

from accord.pipeline import ingest
from accord.records import Article, CleanDocument, Event, Extraction, Relevance, Target, content_id
from accord.store.database import Store
from test_api import TOKEN, Server, build_store, free_port, launch, serving

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")

# --- the hostile store --------------------------------------------------------------------------
SVG = '<svg onload="window.__pwned=1;alert(1)">'
IMG = "<img src=x onerror=\"window.__pwned=2;alert(2)\">"
END_SCRIPT = "</script><script>window.__pwned=3;alert(3)</script>"
JS_URL = "javascript:window.__pwned=4;alert(4)"
ATTR = "\" autofocus onfocus=\"window.__pwned=5\" x=\""
TEMPLATE = "{{ 7*7 }}{% raw %}"
PAYLOADS = (SVG, IMG, END_SCRIPT, JS_URL, ATTR)
LINKED_URL = f"https://example.org/news?id=1&q={ATTR}{SVG}"

HOSTILE_ACTOR = "<svg onload=window.__pwned=6>"
HOSTILE_KEY = "k\"><img src=x onerror=window.__pwned=7>"
HOSTILE_DOC = "doc<svg onload=window.__pwned=8>"
HOSTILE_TARGET = Target(f"Pact {IMG} {END_SCRIPT}", "declaration", (ATTR, SVG), key=HOSTILE_KEY)
HOSTILE_TITLE = f"{SVG} Hostile title {TEMPLATE}"
EVIDENCE = f"France signed the {SVG} Pact {END_SCRIPT} on 3 March 2025."
EVIDENCE_2 = f"The {HOSTILE_ACTOR} delegation also signed the Pact {IMG} that day."
HOSTILE_TEXT = (f"{IMG} opening paragraph with {JS_URL}.\n\n{EVIDENCE} {EVIDENCE_2}\n\n"
                f"{ATTR} closing {TEMPLATE}.")


def hostile_documents() -> list[tuple[CleanDocument, Extraction]]:
    """Documents whose title, text, evidence, target, actor, address, publisher and boilerplate carry payloads."""
    doc = CleanDocument(
        content_id(HOSTILE_TEXT), HOSTILE_DOC, f"{IMG}.html", (Article(IMG, HOSTILE_TEXT, True),),
        Relevance(True, 0.9, (SVG,)), url=JS_URL, title=HOSTILE_TITLE, published="2025-03-04",
        date_note=IMG, publisher=IMG, author=ATTR, language="en", removed=(END_SCRIPT, SVG))
    start, start2 = HOSTILE_TEXT.index(EVIDENCE), HOSTILE_TEXT.index(EVIDENCE_2)
    events = (
        Event("FRA", "sign", HOSTILE_TARGET, "2025-03-03", EVIDENCE, start, start + len(EVIDENCE), 0.9, IMG),
        Event(HOSTILE_ACTOR, "sign", HOSTILE_TARGET, "2025-03-03", EVIDENCE_2, start2, start2 + len(EVIDENCE_2),
              0.8, "x", amount=SVG),
        Event("DEU", "support", HOSTILE_TARGET, IMG, EVIDENCE_2, start2, start2 + len(EVIDENCE_2), 0.7, "x"),
    )
    text2 = f"Second page {SVG}: Germany supported the Pact {IMG}."
    doc2 = CleanDocument(content_id(text2), "hostile-2", "hostile-2.txt", (Article(None, text2, True),),
                         Relevance(True, 0.5, ()), url="data:text/html,<script>alert(9)</script>",
                         title=END_SCRIPT, published="2025-03-05")
    ev2 = Event("DEU", "support", HOSTILE_TARGET, "2025-03-05", text2, 0, len(text2), 0.6, "x")
    text3 = "A third page, at an ordinary web address whose query string carries a payload."
    doc3 = CleanDocument(content_id(text3), "linked", "linked.html", (Article(None, text3, True),),
                         Relevance(False, 0.1, ()), url=LINKED_URL, title="Linked", published="2025-03-06")
    return [(doc, Extraction(("FRA", "DEU"), events)), (doc2, Extraction(("DEU",), (ev2,))),
            (doc3, Extraction((), ()))]


PAGE_SVG = '<svg onload="window.__pwned=11">'
PAGE_END = "</script><script>window.__pwned=12</script>"
PAGE_IMG = "<img src=x onerror=window.__pwned=13>"
CAPTURE_EVIDENCE = f"France signed the Paris AI Declaration {PAGE_SVG} on 11 February 2025, officials said {PAGE_END}."
HOSTILE_PAGES = {
    "capture.txt": f"Home | World\n\nAI governance: {PAGE_SVG} the declaration\n\n{CAPTURE_EVIDENCE} Germany ratified "
                   f"the Bletchley Declaration {PAGE_IMG} in November 2023, a statement on artificial intelligence "
                   "governance said.\n\nShare on Twitter\n",
    "page.html": f"<html><head><title>{escape(PAGE_SVG)} AI governance</title><script>window.__pwned=14</script>"
                 f"</head><body><article><h1>{escape(PAGE_IMG)} Summit</h1><p>Japan signed the Paris AI Declaration "
                 f"{escape(PAGE_END)} on 11 February 2025, officials said, in a move on artificial intelligence "
                 f"governance.</p><p><a href=\"javascript:window.__pwned=15\">read more</a> {escape(PAGE_SVG)}</p>"
                 f"<p>India endorsed the Seoul Declaration {escape(PAGE_IMG)} in May 2024, said a statement on AI "
                 "governance.</p></article></body></html>",
    "feed.jsonl": json.dumps({"id": "hostile-jsonl", "url": "javascript:window.__pwned=16", "published": "2025-02-12",
                              "title": f"{PAGE_IMG} AI governance", "text": f"China signed the Paris AI Declaration "
                              f"{PAGE_END} on 11 February 2025, officials said, in a step for AI governance {PAGE_SVG}."})
                  + "\n",
}
"""Pages carrying script payloads as their text (a capture), as escaped text and as markup (HTML) and in
their fields (JSONL), which the real pipeline reads, cleans, extracts and stores."""


def build_hostile_store(path: Path) -> Path:
    """The hand-made store of test_api, the hostile documents, and the HOSTILE_PAGES ingested by the pipeline."""
    build_store(path)
    pages = path.parent / "hostile-pages"
    pages.mkdir()
    for name, content in HOSTILE_PAGES.items():
        (pages / name).write_text(content, encoding="utf-8")
    with Store(path) as store:
        for clean, extraction in hostile_documents():
            store.add(clean, extraction)
        summary = ingest([str(pages)], store)
    assert summary.new == len(HOSTILE_PAGES) and summary.events >= 4 and not summary.failures, summary
    return path


def store_digest(db: Path) -> str:
    """A hash of every table's rows and of the schema, read through a read-only connection."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        digest.update(repr(conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()).encode())
        for table in tables:
            rows = sorted(repr(r) for r in conn.execute(f'SELECT * FROM "{table}"'))
            digest.update(f"{table}:{len(rows)}".encode())
            for row in rows:
                digest.update(row.encode())
        return digest.hexdigest()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    yield from serving(build_hostile_store(tmp_path_factory.mktemp("security") / "accord.db"))


pytestmark = pytest.mark.slow

# --- every dashboard page ---------------------------------------------------------------------------
HOSTILE_DOC_ID = content_id(HOSTILE_TEXT)
PAGES = [
    "/", "/targets", "/targets?type=declaration", f"/targets/{quote(HOSTILE_KEY, safe='')}",
    "/targets/harbour-accord", "/countries", "/countries/FRA", f"/countries/{quote(HOSTILE_ACTOR, safe='')}",
    "/alignment", "/events", f"/events?actor={quote(HOSTILE_ACTOR)}&target={quote(HOSTILE_KEY)}",
    "/documents", f"/documents/{HOSTILE_DOC_ID}", f"/documents/{HOSTILE_DOC_ID}?removed=1",
    f"/documents/{quote(HOSTILE_DOC, safe='')}", f"/documents/{quote(SVG, safe='')}", "/documents/linked",
    "/search?q=Pact", "/search?q=Pact&kind=articles", f"/search?q={quote(END_SCRIPT)}",
    f"/login?next={quote('/' + ATTR)}", "/api/docs",
    "/documents/capture", "/documents/page", "/documents/hostile-jsonl", "/targets/paris-ai-declaration",
    "/targets/seoul-declaration", "/countries/JPN", "/search?q=declaration", "/search?q=governance&kind=articles",
]
"""Every page of the dashboard, the detail pages of the hostile document, target and actor, and
pages that echo hostile input (a filter, a search, a missing document, the login's next)."""


class Tags(HTMLParser):
    """The start tags of a page with their attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


CSP_NEEDS = ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'",
             "base-uri 'none'")


def test_every_html_page_has_the_security_headers_and_no_inline_script(client):
    for path in PAGES:
        r = client.get(path)
        assert r.status_code in (200, 404), (path, r.status_code)
        assert r.headers["content-type"].startswith("text/html"), path
        csp = r.headers["content-security-policy"]
        assert all(d in csp for d in CSP_NEEDS), (path, csp)
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "http" not in csp, csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] in ("same-origin", "no-referrer", "strict-origin-when-cross-origin")
        assert r.headers["x-frame-options"] == "DENY"
        for tag, attrs in tags_of(r.text):
            assert not [a for a in attrs if a.startswith("on")], (path, tag, attrs)  # no inline handlers
            if tag == "script":
                assert attrs.get("src", "").startswith("/static/") or attrs.get("type") == "application/json", \
                    (path, attrs)
            if tag in ("script", "img", "iframe", "embed", "object", "link") and (attrs.get("src") or attrs.get("href")):
                assert (attrs.get("src") or attrs.get("href") or "").startswith("/static/"), (path, attrs)
            if tag == "a" and attrs.get("href"):
                scheme = urlsplit(attrs["href"] or "").scheme
                assert scheme in ("", "http", "https"), (path, attrs)  # relative, or http(s) only
        # the payloads are there, as text: escaped, never as markup
        assert "<svg onload" not in r.text and "<img src=x" not in r.text, path
        assert "<script>window" not in r.text and 'autofocus onfocus="window' not in r.text, path


def test_json_and_static_answers_have_the_headers_too(client):
    for path in ("/api/stats", "/api/events?limit=1", "/static/own/common.js", "/api/nothing-here"):
        r = client.get(path)
        assert r.headers["x-content-type-options"] == "nosniff", path
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"], path


def test_document_addresses_become_links_only_when_http(client):
    html = client.get(f"/documents/{HOSTILE_DOC_ID}").text
    assert 'id="original"' not in html and str(escape(JS_URL)) in html  # shown as text, not linked
    second = client.get("/documents/hostile-2").text
    assert 'id="original"' not in second and 'href="data:' not in second
    ingested = client.get("/documents/hostile-jsonl").text  # a javascript: address given in a JSONL record
    assert 'id="original"' not in ingested and 'href="javascript:' not in ingested
    third = client.get("/documents/linked").text
    links = [attrs for tag, attrs in tags_of(third) if tag == "a" and attrs.get("id") == "original"]
    assert [a["href"] for a in links] == [LINKED_URL]  # an https address is a link, its payload inert in the attribute
    assert "nofollow" in (links[0].get("rel") or "") and "noopener" in (links[0].get("rel") or "")


def test_json_blocks_cannot_be_closed_by_source_text(client):
    for path in (f"/targets/{quote(HOSTILE_KEY, safe='')}", "/alignment", "/"):
        html = client.get(path).text
        for block in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S):
            json.loads(block)  # the whole block is JSON: nothing in it ended the script element early
            assert "<" not in block, path


# --- the browser: no payload runs, every payload reads as text ---------------------------------
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""
INJECTED = ("svg[onload], img[onerror], [onfocus], iframe, object, embed, "
            "script:not([src]):not([type='application/json'])")
SHOWN_AS_TEXT = {
    "/": [EVIDENCE_2[:40]], "/targets": [HOSTILE_TARGET.name], "/countries": [HOSTILE_ACTOR],
    "/documents": [HOSTILE_TITLE, END_SCRIPT], f"/documents/{HOSTILE_DOC_ID}": [HOSTILE_TITLE, EVIDENCE, JS_URL, IMG],
    f"/documents/{HOSTILE_DOC_ID}?removed=1": [END_SCRIPT, SVG], f"/targets/{quote(HOSTILE_KEY, safe='')}":
    [HOSTILE_TARGET.name, HOSTILE_KEY, ATTR], "/search?q=Pact": ["Pact"], f"/documents/{quote(SVG, safe='')}": [SVG],
    "/documents/capture": [CAPTURE_EVIDENCE, PAGE_SVG], "/documents/page": [PAGE_IMG, PAGE_END],
    "/documents/hostile-jsonl": [PAGE_IMG, PAGE_END, "javascript:window.__pwned=16"],
    "/targets/paris-ai-declaration": [CAPTURE_EVIDENCE],
}


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM),
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


def _visit_all(page, paths: list[str], dialogs: list[str]) -> int:
    checked = 0
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status in (200, 404), path
        page.wait_for_load_state("networkidle")
        if "/api/docs" in path:
            page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)
        state = page.evaluate(f"""() => ({{
            pwned: window.__pwned === undefined ? null : window.__pwned,
            csp: window.__csp || [],
            injected: document.querySelectorAll({json.dumps(INJECTED)}).length,
            badLinks: [...document.querySelectorAll("a[href]")].map((a) => a.protocol)
                .filter((p) => p !== "http:" && p !== "https:"),
            text: document.body.innerText,
        }})""")
        assert state["pwned"] is None, (path, state["pwned"])
        assert state["csp"] == [], (path, state["csp"])  # nothing even tried to run inline
        assert state["injected"] == 0 and state["badLinks"] == [], (path, state)
        for expected in SHOWN_AS_TEXT.get(path, []):
            assert expected in state["text"], (path, expected)
        checked += 1
    assert dialogs == []
    return checked


def test_no_payload_runs_in_the_browser_on_any_page(browser, server):
    context = browser.new_context(base_url=server.url)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        checked = _visit_all(page, PAGES, dialogs)
        # follow every link the hostile target page offers to a page of this site, once
        page.goto(f"/targets/{quote(HOSTILE_KEY, safe='')}")
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        links = sorted({h.split("#")[0] for h in hrefs  # a fragment only scrolls: one visit per page
                        if h.startswith("/") and not h.startswith(("/api/", "/static/"))} - set(PAGES))
        checked += _visit_all(page, links, dialogs)
        # and as a signed-in reviewer, whose pages carry the payloads in form fields too
        page.goto(f"/login?next={quote('/targets/' + quote(HOSTILE_KEY, safe=''))}")
        page.fill("input[name=who]", f"Reviewer {SVG}")
        page.fill("input[name=token]", TOKEN)
        page.click("#login button[type=submit]")
        page.wait_for_load_state()
        assert page.locator("form[action='/logout']").count() == 1
        checked += _visit_all(page, [f"/targets/{quote(HOSTILE_KEY, safe='')}", f"/documents/{HOSTILE_DOC_ID}", "/"],
                              dialogs)
        print(f"\nXSS: {checked} page visits checked, no payload ran ({len(PAYLOADS)} payload kinds)")
    finally:
        context.close()


# --- SQL injection ---------------------------------------------------------------------------------------
INJECTIONS = [
    "' OR '1'='1", "' OR 1=1 --", "\" OR \"\"=\"", "1; DROP TABLE events; --", "x'); DELETE FROM documents; --",
    "' UNION SELECT name, sql, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 FROM sqlite_master --",
    "%", "%%%%", "____", "*", "NEAR(a b)", "1 OR 1=1", "-1", "0x7fffffffffffffff", "\x00' OR 1=1", "..",
]
NOTHING = "zzqnothingzzq"
API_FILTERS = {
    "/api/events": ["actor", "action", "target", "doc_id", "since", "until", "min_confidence", "order", "limit",
                    "offset", "format"],
    "/api/documents": ["relevant", "limit", "offset", "format"],
    "/api/articles": ["doc_id", "limit", "offset"],
    "/api/facts": ["target", "actor", "action", "limit", "offset"],
    "/api/stances": ["target"],
    "/api/targets": ["type", "limit", "offset"],
    "/api/actors": ["limit", "offset"],
    "/api/timeline": ["target", "actor"],
    "/api/alignment": ["min_shared"],
    "/api/search": ["q", "kind", "limit", "offset"],
}
PAGE_FILTERS = {"/events": ["actor", "action", "target", "offset"], "/search": ["q", "kind", "offset"],
                "/documents": ["offset"], "/targets": ["type"], "/alignment": ["min_shared"]}
PATHS = ["/api/documents/{}", "/api/events/{}", "/api/actors/{}", "/api/targets/{}", "/documents/{}",
         "/targets/{}", "/countries/{}"]
_env = Environment(autoescape=True)


def _forms(value: str) -> list[str]:
    """How a value can appear in an answer: as is, upper-cased, JSON-, HTML- and URL-encoded."""
    forms = set()
    for v in (value, value.upper()):
        forms |= {v, json.dumps(v)[1:-1], json.dumps(v, ensure_ascii=False)[1:-1], str(escape(v)), quote(v, safe=""),
                  _env.from_string("{{ v | urlencode }}").render(v=v),
                  _env.from_string("{{ {'k': v} | urlencode }}").render(v=v)[2:]}
    return sorted((f for f in forms if f), key=len, reverse=True)


def _normal(body: str, payload: str) -> str:
    """`body` with every echo of the filter value (NOTHING or the payload) replaced by one marker."""
    for form in [*_forms(NOTHING), *_forms(payload)]:
        body = body.replace(form, "\u2039value\u203a")
    return body


def _same_as_nothing(client, path: str, params_for) -> tuple[int, int]:
    """Compare each injection with the filter NOTHING; return (requests, 4xx refusals)."""
    sent = refused = 0
    baseline = client.get(path, params=params_for(NOTHING))
    for payload in INJECTIONS:
        r = client.get(path, params=params_for(payload))
        sent += 1
        assert r.status_code < 500, (path, payload, r.status_code, r.text[:300])
        if 400 <= r.status_code < 500 and r.status_code != 404:
            refused += 1  # a validation error: the value never reached a query
            continue
        assert r.status_code == baseline.status_code, (path, payload, r.status_code, baseline.status_code)
        if r.status_code == 404:
            continue  # "no such thing" (its message may suggest the closest names)
        assert _normal(r.text, payload) == _normal(baseline.text, payload), (path, payload)
    return sent, refused


def _words(text: str) -> set[str]:
    """The words FTS5's unicode61 tokenizer sees in `text`: runs of letters and digits, lower-cased."""
    return {w.lower() for w in re.findall(r"[^\W_]+", text)}


def _searched_as_words(client, payload: str) -> int:
    """A full-text query is not a filter that matches nothing: the payload must be searched as plain words.

    Every evidence hit holds all of the payload's words, every article hit highlights only those
    words, a payload without words finds nothing, and the search page counts what the API counts.
    Returns the number of requests made.
    """
    words = _words(payload)
    totals = {}
    for kind in ("evidence", "articles"):
        r = client.get("/api/search", params={"q": payload, "kind": kind, "limit": 500})
        assert r.status_code == 200, (payload, kind, r.status_code, r.text[:300])
        found = totals[kind] = r.json()
        assert words or found["total"] == 0, (payload, kind, found["total"])
        for item in found["items"]:
            if kind == "evidence":
                assert words <= _words(item["evidence"]), (payload, item["evidence"])
            else:
                assert item["matches"] and _words(" ".join(item["matches"])) <= words, (payload, item["matches"])
        page = client.get("/search", params={"q": payload, "kind": kind})
        assert page.status_code == 200, (payload, kind, page.status_code)
        shown = re.search(r'id="hits">(\d+) match', page.text)
        assert shown and int(shown.group(1)) == found["total"], (payload, kind)
    return 4


def test_sql_injection_in_any_filter_is_a_filter_that_matches_nothing(client, server):
    before = store_digest(server.db)
    sent = refused = 0
    for path, names in {**API_FILTERS, **PAGE_FILTERS}.items():
        for name in names:
            if name == "q":
                continue  # full-text queries are searched as words, below
            s, f = _same_as_nothing(client, path, lambda v, n=name, p=path: {n: v} | (
                {"target": "harbour-accord"} if p == "/api/stances" and n != "target" else {}))
            sent, refused = sent + s, refused + f
    for payload in INJECTIONS:
        sent += _searched_as_words(client, payload)
    for template in PATHS:
        for payload in [NOTHING, *INJECTIONS]:
            if "/" in payload or payload in ("..", "%"):
                continue
            r = client.get(template.format(quote(payload, safe="")))
            sent += 1
            assert r.status_code in (404, 422), (template, payload, r.status_code)
    assert store_digest(server.db) == before, "an injection changed the store"
    assert client.get("/api/stats").json()["events"] >= 8  # the tables are all still there
    print(f"\nSQL injection: {sent} requests, {refused} refused by validation, the rest equal to a filter "
          f"matching nothing (full-text: searched as plain words); store unchanged")


# --- writes: token and origin -----------------------------------------------------------------------
REVIEWS = [
    {"decision": "confirm", "actor": "FRA", "action": "sign", "target_key": "harbour-accord"},
    {"decision": "reject", "actor": "USA", "action": "refuse", "target_key": "harbour-accord"},
    {"decision": "edit", "actor": "DEU", "action": "sign", "target_key": "harbour-accord",
     "changes": {"date": "2025-03-02"}},
    {"decision": "add", "actor": "JPN", "action": "sign", "target_key": "harbour-accord",
     "changes": {"date": "2025-06-01", "evidence": "Japan signed."}},
]
CROSS_SITE = [{"origin": "https://evil.example"}, {"origin": "null"}, {"sec-fetch-site": "cross-site"},
              {"sec-fetch-site": "same-site"}, {"referer": "https://evil.example/page"}]


def test_writes_need_the_token_and_refuse_other_sites_even_with_it(client, server):
    before = store_digest(server.db)
    for review in REVIEWS:
        body = review | {"who": "Mallory", "why": "testing"}
        assert client.post("/api/facts/review", json=body).status_code == 401
        assert client.post("/api/facts/review", json=body, headers={"authorization": "Bearer nope"}).status_code == 401
        assert client.post("/api/facts/review", json=body, headers={"authorization": TOKEN}).status_code == 401
        for headers in CROSS_SITE:
            r = client.post("/api/facts/review", json=body, headers=headers | {"authorization": f"Bearer {TOKEN}"})
            assert r.status_code == 403, (review["decision"], headers, r.status_code)
        form = {k: v for k, v in review.items() if k != "changes"} | {"who": "Mallory"}
        assert client.post("/review", data=form).status_code == 401  # no signed-in session
        for headers in CROSS_SITE:
            assert client.post("/review", data=form, headers=headers).status_code == 403, headers
    # a JSON body sent as a "simple" cross-site form (text/plain) is not even parsed as a review
    r = client.post("/api/facts/review", content=json.dumps(REVIEWS[0] | {"who": "M"}),
                    headers={"content-type": "text/plain", "authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 422
    # the login form itself refuses other sites, so a cross-site page cannot sign a browser in
    for headers in CROSS_SITE:
        assert client.post("/login", data={"token": TOKEN, "who": "x"}, headers=headers).status_code == 403
    assert store_digest(server.db) == before


def test_a_same_origin_request_with_the_token_is_let_through(client, server):
    """The refusals above are not a server that refuses everything: the right request passes the guard."""
    body = REVIEWS[0] | {"who": "Ana", "why": "checked"}
    r = client.post("/api/facts/review", json=body, headers={
        "authorization": f"Bearer {TOKEN}", "origin": server.url, "sec-fetch-site": "same-origin"})
    assert r.status_code not in (401, 403), r.text


def test_oversized_bodies_are_refused(client):
    body = {"decision": "confirm", "actor": "FRA", "action": "sign", "target_key": "harbour-accord",
            "who": "x", "why": "y" * 200_000}
    r = client.post("/api/facts/review", json=body, headers={"authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 413


# --- the operator's token --------------------------------------------------------------------------
def _serve(db: Path, *args: str, env: dict[str, str] | None = None) -> Server:
    """`accord serve` over `db` on a free port with exactly `args` (no token unless they or `env` give one)."""
    port = free_port()
    return launch(db, [sys.executable, "-m", "accord.cli", "serve", "--db", str(db), "--port", str(port), *args],
                  port, env)


REVIEW = {"decision": "confirm", "actor": "FRA", "action": "sign", "target_key": "harbour-accord", "who": "Ana"}


def _review_status(url: str, token: str) -> int:
    return httpx.post(url + "/api/facts/review", json=REVIEW, headers={"authorization": f"Bearer {token}"}).status_code


def test_without_a_configured_token_nothing_can_be_written(tmp_path):
    db = build_store(tmp_path / "plain.db")
    before = sorted(p.name for p in tmp_path.iterdir())
    server = _serve(db)
    try:
        for guess in ("token", "admin", "accord", "changeme", TOKEN):
            r = httpx.post(server.url + "/api/facts/review", json=REVIEW, headers={"authorization": f"Bearer {guess}"})
            assert r.status_code == 403 and "disabled" in r.json()["detail"], guess
        assert "read-only" in httpx.get(server.url + "/").text
    finally:
        server.stop()
    assert "read-only: no write token" in server.log()
    made = {p.name for p in tmp_path.iterdir()} - set(before)
    assert not [n for n in made if "token" in n]  # no token was made up and saved for the operator


def test_the_token_file_must_be_private_and_stays_out_of_the_process_list(tmp_path):
    db = build_store(tmp_path / "tok.db")
    secret = "s3cret-" + os.urandom(12).hex()
    token_path = tmp_path / "write-token"
    token_path.write_text(secret + "\n")
    token_path.chmod(0o644)
    refused = subprocess.run([sys.executable, "-m", "accord.cli", "serve", "--db", str(db), "--token-file",
                              str(token_path), "--port", str(free_port())], capture_output=True, text=True, timeout=60)
    lines = refused.stderr.strip().splitlines()
    assert refused.returncode == 2 and len(lines) == 1 and str(token_path) in lines[0] and "chmod 600" in lines[0]
    assert "Traceback" not in refused.stderr and secret not in refused.stderr
    token_path.chmod(0o600)
    server = _serve(db, "--token-file", str(token_path))
    try:
        assert secret not in Path(f"/proc/{server.process.pid}/cmdline").read_bytes().decode(errors="replace")
        assert _review_status(server.url, "wrong-token-of-some-length") == 401
        assert _review_status(server.url, secret) == 201
    finally:
        server.stop()
    assert secret not in server.log()
    short = subprocess.run([sys.executable, "-m", "accord.cli", "serve", "--db", str(db), "--port", str(free_port())],
                           capture_output=True, text=True, timeout=60, env=os.environ | {"ACCORD_TOKEN": "short"})
    assert short.returncode == 2 and "at least 12 characters" in short.stderr and "Traceback" not in short.stderr


def test_read_only_wins_over_a_token_in_the_environment(tmp_path):
    db = build_store(tmp_path / "ro.db")
    server = _serve(db, "--read-only", env={"ACCORD_TOKEN": TOKEN})
    try:
        assert _review_status(server.url, TOKEN) == 403
        assert "disabled" in httpx.post(server.url + "/api/facts/review", json=REVIEW).json()["detail"]
    finally:
        server.stop()


# --- files: no path traversal ---------------------------------------------------------------------------
TRAVERSALS = [
    "/static/own/../../../../../../etc/passwd", "/static/own/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/static/own/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/static/own/%252e%252e/%252e%252e/etc/passwd",
    "/static/own//etc/passwd", "/static/own/%2fetc%2fpasswd", "/static/own/..\\..\\..\\..\\etc\\passwd",
    "/static/own/....//....//....//etc/passwd", "/static/own/../../web/security.py", "/static/own/../app.py",
    "/static/own/%2e%2e/app.py", "/static/vendor/../../../../etc/passwd", "/static/vendor/..%2f..%2fapp.py",
    "/static/vendor/%2e%2e%2fapp.py", "/static/vendor//etc/passwd", "/static/../web/app.py",
    "/static/own/common.js%00.png", "/api/../../etc/passwd",
]


def _raw_get(url: str, path: str) -> tuple[int, bytes]:
    """GET `path` exactly as written (no client-side normalization of '..')."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_file_routes_refuse_path_traversal(server):
    own = (ROOT / "src" / "accord" / "web" / "app.py").read_bytes()
    for path in TRAVERSALS:
        status, body = _raw_get(server.url, path)
        assert status in (400, 404, 405, 422), (path, status)
        assert b"root:" not in body and own[:200] not in body, path
    assert _raw_get(server.url, "/static/own/common.js")[0] == 200  # the folder itself is served


def test_a_symlink_out_of_the_static_folder_is_not_followed(server, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the web")
    link = ROOT / "src" / "accord" / "web" / "static" / f"link-{os.getpid()}.txt"
    link.symlink_to(secret)
    try:
        status, body = _raw_get(server.url, f"/static/own/{link.name}")
        assert status == 404 and b"not for the web" not in body
    finally:
        link.unlink()
