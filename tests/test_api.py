"""The web app's JSON API, against a real uvicorn server (`accord serve`) on a free 127.0.0.1 port.

The store is built in tmp_path from hand-made documents (so every figure is known), plus
the shared seed pages ingested through the pipeline when the clean and sources stages
are installed.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from accord.records import Article, CleanDocument, Event, Extraction, Relevance, Target, content_id
from accord.store.database import Store

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
TOKEN = "test-token-5d1f"

PACT = Target("Harbour Accord on Trustworthy AI", "declaration", ("Harbour Accord",), key="harbour-accord")
SUMMIT = Target("Lakeside AI Summit", "summit", (), key="lakeside-summit")

TEXT_A = ("Ministers met at Lakeside on Tuesday.\n\n"
          "France and Germany signed the Harbour Accord on Trustworthy AI on 3 March 2025. "
          "The United States refused to sign the Harbour Accord, officials said. "
          "Brazil hosted the Lakeside AI Summit.\n\n"
          "A protester's sign read <script>alert('x')</script> & more.")
TEXT_B = ("Washington reversed course.\n\n"
          "The United States signed the Harbour Accord on 20 May 2025, a spokesperson confirmed.")


def _event(text: str, sentence: str, actor: str, action: str, target: Target, date: str) -> Event:
    start = text.index(sentence)
    return Event(actor, action, target, date, sentence, start, start + len(sentence), 0.9, "test.v1")


def handmade_documents() -> list[tuple[CleanDocument, Extraction]]:
    """Two small documents with known events (a conflict on USA, a script tag in the text)."""
    s1 = "France and Germany signed the Harbour Accord on Trustworthy AI on 3 March 2025."
    s2 = "The United States refused to sign the Harbour Accord, officials said."
    s3 = "Brazil hosted the Lakeside AI Summit."
    s4 = "The United States signed the Harbour Accord on 20 May 2025, a spokesperson confirmed."
    a = CleanDocument(content_id(TEXT_A), "handmade-a", "handmade-a.txt",
                      (Article("Leaders sign the Harbour Accord", TEXT_A, True),),
                      Relevance(True, 0.9, ("AI",)), title="Leaders sign the Harbour Accord",
                      published="2025-03-04", removed=("Subscribe to our newsletter", "Cookie settings"))
    b = CleanDocument(content_id(TEXT_B), "handmade-b", "handmade-b.txt",
                      (Article("Washington signs", TEXT_B, True),), Relevance(True, 0.8, ("AI",)),
                      title="Washington signs", published="2025-05-21")
    ea = Extraction(("FRA", "DEU", "USA", "BRA"), (
        _event(TEXT_A, s1, "FRA", "sign", PACT, "2025-03-03"),
        _event(TEXT_A, s1, "DEU", "sign", PACT, "2025-03-03"),
        _event(TEXT_A, s2, "USA", "refuse", PACT, "2025-03-04"),
        _event(TEXT_A, s3, "BRA", "host", SUMMIT, "2025-03-04"),
    ))
    eb = Extraction(("USA",), (_event(TEXT_B, s4, "USA", "sign", PACT, "2025-05-20"),))
    return [(a, ea), (b, eb)]


def build_store(path: Path) -> Path:
    """A store with the hand-made documents and, when the pipeline can run, the seed pages."""
    with Store(path) as store:
        for clean, extraction in handmade_documents():
            store.add(clean, extraction)
        if SEEDS.is_dir():
            try:
                from accord.pipeline import ingest
            except ImportError:
                ingest = None
            if ingest is not None:
                ingest([str(SEEDS)], store)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A running `accord serve` subprocess."""

    url: str
    db: Path
    process: subprocess.Popen

    def stop(self) -> None:
        """Stop the server and any worker processes it started (its own process group)."""
        with contextlib.suppress(ProcessLookupError):  # the group is gone already: nothing to stop
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def log(self) -> str:
        """What the server wrote to its standard error."""
        return log_path(self.db, self.url).read_text(errors="replace")


def log_path(db: Path, url: str) -> Path:
    """Where the server on `url` over `db` writes its standard error."""
    return db.with_suffix(f".{url.rsplit(':', 1)[1]}.log")


def launch(db: Path, args: list[str], port: int, env: dict[str, str] | None = None) -> Server:
    """Run the server command `args` (listening on `port`, over `db`) and wait until it answers.

    The environment loses ACCORD_TOKEN and ACCORD_QUERY_BUDGET (a test's server gets only
    what it is given) and gains `env`.
    """
    full_env = {k: v for k, v in os.environ.items() if k not in ("ACCORD_TOKEN", "ACCORD_QUERY_BUDGET")}
    url = f"http://127.0.0.1:{port}"
    log = log_path(db, url)
    process = subprocess.Popen(args, env=full_env | (env or {}), stdout=subprocess.DEVNULL, stderr=log.open("wb"),
                               start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited: {log.read_text(errors='replace')}")
        try:
            if httpx.get(url + "/api/countries/map", timeout=2).status_code == 200:
                return Server(url, db, process)
        except httpx.TransportError:
            time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    raise RuntimeError("the server did not start in 60 s")


def start_server(db: Path, token: str | None = TOKEN, *extra: str, env: dict[str, str] | None = None) -> Server:
    """Start `accord serve` on a free port (with `token`, else --read-only) and wait until it answers."""
    port = free_port()
    args = [sys.executable, "-m", "accord.cli", "serve", "--db", str(db), "--port", str(port)]
    args += ["--token", token] if token else ["--read-only"]
    return launch(db, args + list(extra), port, env)


def serving(db: Path) -> Iterator[Server]:
    """A server over `db` for a module's tests, stopped after them."""
    srv = start_server(db)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    yield from serving(build_store(tmp_path_factory.mktemp("api") / "accord.db"))


pytestmark = pytest.mark.slow


def test_stats_count_the_store(client):
    stats = client.get("/api/stats").json()
    assert stats["documents"] >= 2 and stats["events"] >= 5 and stats["targets"] >= 2


def test_events_filter_and_paginate_with_a_total(client):
    page = client.get("/api/events", params={"target": "harbour-accord", "limit": 2}).json()
    assert page["total"] == 4 and page["limit"] == 2 and len(page["items"]) == 2
    assert page["items"][0]["date"] == "2025-05-20"  # newest first
    rest = client.get("/api/events", params={"target": "harbour-accord", "limit": 2, "offset": 2}).json()
    ids = {e["id"] for e in page["items"]} | {e["id"] for e in rest["items"]}
    assert len(ids) == 4
    usa = client.get("/api/events", params={"actor": "usa", "target": "harbour-accord"}).json()
    assert {e["action"] for e in usa["items"]} == {"sign", "refuse"}


def test_bad_filters_are_400_or_422(client):
    r = client.get("/api/events", params={"action": "dance"})
    assert r.status_code == 422 and "sign" in r.text  # the answer lists the actions there are
    assert client.get("/api/events", params={"limit": 0}).status_code == 422
    assert client.get("/api/events", params={"format": "xml"}).status_code == 422


def test_events_download_as_csv(client):
    r = client.get("/api/events", params={"target": "harbour-accord", "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 4 and {r["actor"] for r in rows} == {"FRA", "DEU", "USA"}
    assert r.headers["x-total-count"] == "4"


def test_documents_and_document_detail(client):
    page = client.get("/api/documents").json()
    names = {d["doc"] for d in page["items"]}
    assert {"handmade-a", "handmade-b"} <= names and page["total"] >= 2
    doc = client.get("/api/documents/handmade-a").json()
    assert doc["removed"] == ["Subscribe to our newsletter", "Cookie settings"]
    text = doc["articles"][0]["text"]
    for ev in doc["events"]:
        assert text[ev["start"]:ev["end"]] == ev["evidence"]
    assert client.get("/api/documents/no-such-doc").status_code == 404


def test_every_event_shows_the_rule_that_read_it(client):
    """Provenance: the API gives each event's pattern or rule id, and the document page and the
    events table print it beside the evidence."""
    doc = client.get("/api/documents/handmade-a").json()
    rules = {ev["rule"] for ev in doc["events"]}
    assert doc["events"] and all(rules)
    page = client.get("/documents/handmade-a").text
    events = client.get("/events").text
    for rule in rules:
        assert f'class="rule" title="the pattern or rule that read this event">{rule}<' in page
        assert f">{rule}</span>" in events


def test_articles_list(client):
    page = client.get("/api/articles", params={"limit": 1}).json()
    assert page["total"] >= 2 and len(page["items"]) == 1 and "text" in page["items"][0]


def test_full_text_search_over_evidence_and_articles(client):
    hits = client.get("/api/search", params={"q": "refused"}).json()
    assert hits["total"] >= 1
    assert any(h["actor"] == "USA" and h["action"] == "refuse" for h in hits["items"])
    assert all("refused" in " ".join(h["matches"]).lower() for h in hits["items"])
    arts = client.get("/api/search", params={"q": "protester", "kind": "articles"}).json()
    assert any(h["doc"] == "handmade-a" for h in arts["items"])
    # FTS syntax in user input is taken literally, never a server error
    for q in ['"unbalanced', "AND OR NOT", "col:val", "*", "NEAR(a b)"]:
        assert client.get("/api/search", params={"q": q}).status_code == 200


def test_targets_actors_stances_facts_timeline(client):
    targets = client.get("/api/targets").json()
    harbour = next(t for t in targets["items"] if t["key"] == "harbour-accord")
    assert harbour["events"] == 4 and harbour["actors"] == 3
    actors = {a["actor"]: a for a in client.get("/api/actors").json()["items"]}
    usa_events = client.get("/api/events", params={"actor": "USA", "limit": 500}).json()
    usa_total = usa_events.get("total", len(usa_events["items"]))
    # two handmade events on the Harbour Accord, plus whatever the seed pages give the US
    assert actors["FRA"]["name"] == "France" and actors["USA"]["events"] == usa_total >= 2
    stances = {s["actor"]: s for s in client.get("/api/stances", params={"target": "harbour-accord"}).json()["items"]}
    assert stances["FRA"]["stance"] == "positive" and set(stances["USA"]["actions"]) == {"sign", "refuse"}
    assert client.get("/api/stances", params={"target": "nothing"}).status_code == 404
    facts = client.get("/api/facts", params={"target": "harbour-accord"}).json()["items"]
    assert {(f["actor"], f["action"]) for f in facts} >= {("FRA", "sign"), ("DEU", "sign"), ("USA", "refuse")}
    pages = [client.get("/api/facts", params={"target": "harbour-accord", "limit": 1, "offset": i}).json()
             for i in range(len(facts))]  # paged one by one: the same facts, the same evidence, the same total
    assert [p["items"][0] for p in pages] == facts and {p["total"] for p in pages} == {len(facts)}
    assert all(f["evidence"] for f in facts)
    timeline = client.get("/api/timeline", params={"actor": "USA"}).json()
    assert len(timeline["items"]) >= 2 and timeline["total"] == len(timeline["items"])
    second = client.get("/api/timeline", params={"actor": "USA", "limit": 1, "offset": 1}).json()
    assert second["items"] == timeline["items"][1:2] and second["total"] == timeline["total"]
    profile = client.get("/api/actors/BRA").json()
    assert any(s.get("target_key") == "lakeside-summit" for s in profile["stances"])
    assert client.get("/api/targets/harbour-accord").json()["name"] == PACT.name


def test_alignment_answers(client):
    r = client.get("/api/alignment")
    assert r.status_code == 200 and "pairs" in r.json()


def test_country_map_ids_are_alpha3(client):
    ids = client.get("/api/countries/map").json()
    assert ids["840"] == "USA" and ids["250"] == "FRA" and ids["076"] == "BRA"


def test_openapi_and_docs_are_local(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/events" in schema["paths"] and "/api/search" in schema["paths"]
    docs = client.get("/api/docs").text
    assert "/static/vendor/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
    assert client.get("/static/vendor/swagger-ui-bundle.js").status_code == 200


def test_every_response_has_a_csp(client):
    for path in ("/", "/api/stats", "/targets/harbour-accord"):
        csp = client.get(path).headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_pages_escape_source_text(client):
    html = client.get("/documents/handmade-a").text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(" in html
    assert '<mark class="ev"' in html


def test_writes_need_the_token(client):
    body = {"decision": "confirm", "actor": "FRA", "action": "sign", "target_key": "harbour-accord",
            "who": "tester", "why": "checked the source"}
    assert client.post("/api/facts/review", json=body).status_code == 401
    assert client.post("/api/facts/review", json=body,
                       headers={"authorization": "Bearer wrong"}).status_code == 401
    cross = client.post("/api/facts/review", json=body, headers={
        "authorization": f"Bearer {TOKEN}", "origin": "https://evil.example"})
    assert cross.status_code == 403


def test_form_posts_need_same_origin_and_csrf(client, server):
    fields = {"decision": "confirm", "actor": "FRA", "action": "sign", "target_key": "harbour-accord"}
    assert client.post("/review", data=fields, headers={"origin": "https://evil.example"}).status_code == 403
    assert client.post("/review", data=fields).status_code == 401  # no session
    # a signed-in session without the form's CSRF token is refused
    login_page = client.get("/login")
    csrf = login_page.text.split('name="csrf" value="')[1].split('"')[0]
    assert client.post("/login", data={"token": "wrong", "csrf": csrf}).status_code == 401
    assert client.post("/login", data={"token": TOKEN, "csrf": "forged"}).status_code == 403
    assert client.post("/login", data={"token": TOKEN, "csrf": csrf}).status_code == 400  # reviews are signed
    r = client.post("/login", data={"token": TOKEN, "csrf": csrf, "next": "/", "who": "Ana"}, follow_redirects=False)
    assert r.status_code == 303
    assert client.post("/review", data=fields | {"csrf": "forged"}).status_code == 403


def test_read_only_server_says_writes_are_disabled(tmp_path):
    db = build_store(tmp_path / "ro.db")
    srv = start_server(db, token=None)
    try:
        r = httpx.post(srv.url + "/api/facts/review", json={
            "decision": "confirm", "actor": "FRA", "action": "sign", "target_key": "harbour-accord", "who": "x"},
            headers={"authorization": "Bearer anything"})
        assert r.status_code == 403 and "disabled" in r.json()["detail"]
        assert "read-only" in httpx.get(srv.url + "/").text
    finally:
        srv.stop()


def test_a_signed_in_session_holds_across_worker_processes(tmp_path):
    db = build_store(tmp_path / "workers.db")
    srv = start_server(db, TOKEN, "--workers", "2")
    try:
        with httpx.Client(base_url=srv.url, timeout=30) as c:
            csrf = c.get("/login").text.split('name="csrf" value="')[1].split('"')[0]
            # the login form may reach the other worker: its CSRF token must still be valid there
            r = c.post("/login", data={"token": TOKEN, "csrf": csrf, "next": "/", "who": "Ana"},
                       follow_redirects=False)
            assert r.status_code == 303
            assert all("Sign out" in c.get("/").text for _ in range(8))
    finally:
        srv.stop()


def test_new_events_show_once_the_short_cache_expires(tmp_path):
    db = build_store(tmp_path / "fresh.db")
    srv = start_server(db, None, "--cache", "1")
    try:
        before = httpx.get(srv.url + "/api/events", params={"actor": "ITA"}).json()["total"]
        text = "Italy signed the Harbour Accord on Trustworthy AI in June."
        doc = CleanDocument(content_id(text), "handmade-it", "it.txt", (Article(None, text, True),),
                            Relevance(True, 0.7, ("AI",)), published="2025-06-03")
        with Store(db) as store:
            store.add(doc, Extraction(("ITA",), (_event(text, text, "ITA", "sign", PACT, "2025-06-03"),)))
        time.sleep(1.5)
        after = httpx.get(srv.url + "/api/events", params={"actor": "ITA"}).json()["total"]
        assert (before, after) == (0, 1)
        hits = httpx.get(srv.url + "/api/search", params={"q": "Italy"}).json()
        assert hits["total"] == 1  # the FTS triggers index new events as they are stored
    finally:
        srv.stop()


def test_api_review_with_the_token_is_recorded_and_logged(tmp_path):
    from accord.web.facts import analyze_module

    if analyze_module() is None or not hasattr(analyze_module(), "audit_log"):
        pytest.skip("the analyze stage's reviews are not installed")
    srv = start_server(build_store(tmp_path / "review.db"))
    try:
        auth = {"authorization": f"Bearer {TOKEN}"}
        body = {"decision": "confirm", "actor": "FRA", "action": "sign", "target_key": "harbour-accord",
                "who": "Ana", "why": "read the source"}
        assert httpx.post(srv.url + "/api/facts/review", json=body, headers=auth).status_code == 201
        missing = body | {"actor": "ZZZ"}
        assert httpx.post(srv.url + "/api/facts/review", json=missing, headers=auth).status_code == 404
        facts = httpx.get(srv.url + "/api/facts", params={"actor": "FRA"}).json()["items"]
        assert next(f for f in facts if f["target_key"] == "harbour-accord")["status"] == "confirmed"
        log = httpx.get(srv.url + "/api/reviews").json()["items"]
        assert any(e.get("who") == "Ana" and e.get("why") == "read the source" for e in log)
    finally:
        srv.stop()


def test_the_response_cache_revalidates_past_its_seconds_against_the_store(tmp_path, monkeypatch):
    """An answer older than the cache's seconds is served again while the store is unchanged,
    and computed anew once an ingest changed it."""
    import asyncio

    from accord.web import queries
    from accord.web.app import create_app

    db = build_store(tmp_path / "cache.db")
    app = create_app(db, cache_seconds=0.2)
    computed = []
    page = queries.event_page
    def counted(conn, where, *args, **kwargs):
        computed.extend([where.actor] if where.actor else [])  # not the store-wide total warmed up at the start
        return page(conn, where, *args, **kwargs)

    monkeypatch.setattr(queries, "event_page", counted)

    async def total() -> int:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
            return (await c.get("/api/events", params={"actor": "ITA"})).json()["total"]

    first = asyncio.run(total())
    time.sleep(1.2)  # past the cache's seconds, and past the once-a-second look at the store's version
    assert asyncio.run(total()) == first
    assert len(computed) == 1
    text = "Italy signed the Harbour Accord on Trustworthy AI in June."
    doc = CleanDocument(content_id(text), "handmade-it", "it.txt", (Article(None, text, True),),
                        Relevance(True, 0.7, ("AI",)), published="2025-06-03")
    with Store(db) as store:
        store.add(doc, Extraction(("ITA",), (_event(text, text, "ITA", "sign", PACT, "2025-06-03"),)))
    time.sleep(1.2)
    assert (first, asyncio.run(total())) == (0, 1)
    assert len(computed) == 2


def test_a_document_without_a_title_is_named_by_its_first_line():
    from accord.web.pages import display_title

    assert display_title("Kenya signs", None) == "Kenya signs"
    assert display_title(None, {"title": "Headline", "text": "Body."}) == "Headline"
    assert display_title(None, {"title": None, "text": "Kenya signed the pact.\nMore."}) == "Kenya signed the pact."
    long = "word " * 40
    shown = display_title(None, {"title": None, "text": long})
    assert len(shown) <= 102 and shown.endswith("…")
    assert display_title(None, None) == "(no title)"
