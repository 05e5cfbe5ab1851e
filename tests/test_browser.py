"""The web pages in a real browser (Debian's chromium driven by Playwright) against `accord serve`.

Every page is opened and screenshotted (into ./screenshots/, printed at the end); the map,
table rows and review forms are clicked; a correction must show and survive a re-ingest.
Requests to anything but the local server are blocked and fail the test: the pages must
work offline, with no CDN.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.records import Article, CleanDocument, Extraction, Relevance, content_id
from accord.store.database import Store
from test_api import PACT, TOKEN, Server, _event, build_store, start_server

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[1] / "screenshots"

playwright_sync = pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (scripts/setup-web)")]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    db = build_store(tmp_path_factory.mktemp("browser") / "accord.db")
    srv = start_server(db)
    yield srv
    srv.stop()
    print(f"\nscreenshots: {SHOTS}")


@pytest.fixture(scope="module")
def browser():
    with playwright_sync.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM),
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


class Watched:
    """A page whose console errors, script errors and non-local requests are recorded."""

    def __init__(self, browser, base: str):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"script: {e}"))

        def only_local(route):
            if route.request.url.startswith(base):
                route.continue_()
            else:
                self.problems.append(f"external request: {route.request.url}")
                route.abort()

        self.page.route("**/*", only_local)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser, server) -> Iterator[Watched]:
    w = Watched(browser, server.url)
    yield w
    w.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


PAGES = [
    ("overview", "/", "#activity-chart svg rect.bar"),
    ("targets", "/targets", "#targets"),
    ("target", "/targets/harbour-accord", "#map svg path.country.positive"),
    ("countries", "/countries", "#actors"),
    ("country", "/countries/USA", "#stances"),
    ("alignment", "/alignment", "#heatmap"),
    ("events", "/events", "table.events"),
    ("documents", "/documents", "#documents"),
    ("document", "/documents/handmade-a", "mark.ev"),
    ("document-removed", "/documents/handmade-a?removed=1", "#removed"),
    ("search", "/search?q=signed", "ol.hits mark"),
    ("api-docs", "/api/docs", ".swagger-ui .opblock"),
]


@pytest.mark.parametrize(("name", "path", "selector"), PAGES, ids=[p[0] for p in PAGES])
def test_every_page_opens_without_errors(watched, name, path, selector):
    response = watched.page.goto(path)
    assert response.status == 200
    watched.page.wait_for_selector(selector, timeout=15_000)
    watched.page.wait_for_load_state("networkidle")
    shot(watched.page, name)
    assert watched.problems == []


FIND_POINT = """(el) => {
  const box = el.getBoundingClientRect();
  for (let fy = 0.5; fy < 1; fy += 0.05) for (const sy of [1, -1]) for (let fx = 0.5; fx < 1; fx += 0.05) for (const sx of [1, -1]) {
    const x = box.left + box.width * (0.5 + sx * (fx - 0.5)), y = box.top + box.height * (0.5 + sy * (fy - 0.5));
    if (document.elementFromPoint(x, y) === el) return [x, y];
  }
  return null;
}"""


def click_country(page, code: str) -> None:
    """Click with the mouse on a point that is really inside the country's shape."""
    shape = page.locator(f"#map path[data-code='{code}']")
    shape.scroll_into_view_if_needed()
    point = shape.evaluate(FIND_POINT)
    assert point, f"no visible point of {code} on the map"
    page.mouse.click(*point)


def test_clicking_a_country_on_the_map_shows_its_stance(watched):
    page = watched.page
    page.goto("/targets/harbour-accord")
    click_country(page, "FRA")
    detail = page.locator("#map-detail")
    assert "France" in detail.inner_text()
    assert "positive" in detail.locator(".stance-line").inner_text()
    assert detail.locator("a").get_attribute("href") == "/countries/FRA"
    click_country(page, "USA")
    assert "United States" in detail.inner_text()
    assert re.search(r"refuse", detail.inner_text())
    click_country(page, "AUS")
    assert "No record" in detail.inner_text()
    shot(page, "target-map-click")
    assert watched.problems == []


def test_clicking_an_event_row_opens_the_sentence_in_its_document(watched):
    page = watched.page
    page.goto("/events?actor=USA&action=refuse")
    page.locator("table.events tbody tr.rowlink").first.locator("td.evidence").click()
    page.wait_for_url(re.compile(r"/documents/[0-9a-f]+#ev-\d+$"))
    focused = page.locator("mark.ev.focus")
    focused.first.wait_for()
    assert "refused to sign" in " ".join(focused.all_inner_texts())
    shot(page, "document-focused-event")
    assert watched.problems == []


def test_clicking_an_actor_row_opens_the_country_page(watched):
    page = watched.page
    page.goto("/countries")
    page.locator("#actors tr.rowlink", has_text="Brazil").locator("td").nth(2).click()
    page.wait_for_url(re.compile(r"/countries/BRA$"))
    assert "Lakeside AI Summit" in page.locator("#stances").inner_text()


def _sign_in(page) -> None:
    page.goto("/login?next=/targets/harbour-accord")
    page.fill("input[name=who]", "Ana Reviewer")
    page.fill("input[name=token]", TOKEN)
    page.click("#login button[type=submit]")
    page.wait_for_url(re.compile(r"/targets/harbour-accord$"))


def test_wrong_token_is_refused_in_the_browser(watched):
    page = watched.page
    page.goto("/login")
    page.fill("input[name=who]", "Mallory")
    page.fill("input[name=token]", "not-the-token")
    page.click("#login button[type=submit]")
    assert "not the write token" in page.locator("#login-error").inner_text()


def _analyze_reviews() -> bool:
    from accord.web.facts import analyze_module

    module = analyze_module()
    return module is not None and all(hasattr(module, n) for n in ("confirm", "reject", "edit", "add"))


@pytest.mark.skipif(not _analyze_reviews(), reason="the analyze stage's reviews are not installed yet")
def test_a_correction_shows_and_survives_a_reingest(watched, server):
    page = watched.page
    _sign_in(page)
    row = page.locator("#facts tr.fact[data-actor='USA'][data-action='refuse']")
    row.locator("button.reject").click()
    page.wait_for_load_state()
    status = page.locator("#facts tr.fact[data-actor='USA'][data-action='refuse'] td.status").inner_text()
    assert "rejected" in status and "Ana Reviewer" in status
    # add a fact the extractor missed
    form = page.locator("#add-fact")
    form.locator("input[name=actor]").fill("JPN")
    form.locator("select[name=action]").select_option("sign")
    form.locator("input[name=date]").fill("2025-06-01")
    form.locator("input[name=who]").fill("tester")
    form.locator("input[name=why]").fill("reported by the ministry")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#facts tr.fact[data-actor='JPN'][data-action='sign']").count() == 1
    shot(page, "target-after-review")
    # re-ingest: the same documents again, and a new one reporting the rejected fact once more
    build_store(server.db)
    text = "Officials in Washington said the United States refused to sign the Harbour Accord."
    sentence = "Officials in Washington said the United States refused to sign the Harbour Accord."
    again = CleanDocument(content_id(text), "handmade-c", "handmade-c.txt", (Article(None, text, True),),
                          Relevance(True, 0.7, ("AI",)), published="2025-06-02")
    with Store(server.db) as store:
        store.add(again, Extraction(("USA",), (_event(text, sentence, "USA", "refuse", PACT, "2025-06-02"),)))
    page.wait_for_timeout(5_500)  # the app caches aggregates for 5 s
    page.reload()
    assert "rejected" in page.locator("#facts tr.fact[data-actor='USA'][data-action='refuse'] td.status").inner_text()
    assert page.locator("#facts tr.fact[data-actor='JPN'][data-action='sign']").count() == 1
    assert watched.problems == []
