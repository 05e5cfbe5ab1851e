"""The head of a page read from its raw text gives what parsing the page gives, or stands aside."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import trafilatura

from accord.clean.head import _TITLE_TAIL, markup_title, page_head
from accord.clean.head_scan import UNSURE, scanned_title, url_date
from accord.clean.markup import markup_date
from accord.records import RawDocument
from accord.sources import read_inputs

ROOT = Path(__file__).resolve().parents[1]

TRICKY = [
    "<html><head><title>A | Site</title></head><body><h1>Only heading</h1></body></html>",
    "<html><head><title>A | Site</title></head><body><h1>One</h1><h1>Two</h1></body></html>",
    "<html><head><title>Headline - The Site</title></head><body><p>no heading</p></body></html>",
    "<html><head></head><body><h1> </h1><h1>Second</h1></body></html>",
    "<html><head></head><body><p>nothing at all</p></body></html>",
    "<HTML><HEAD><TITLE>Upper | Site</TITLE></HEAD><BODY><H1 class='x'>Upper  case\n heading</H1></BODY></HTML>",
    '<html><head><meta property="og:title" content="From OG"><title>T</title></head><body><h1>H</h1></body></html>',
    "<html><head><title>T | S</title></head><body><!-- <h1>in a comment</h1> --><h1>Real</h1></body></html>",
    "<html><head><title>T | S</title><script>var s = '<h1>in a script</h1>';</script></head><body></body></html>",
    "<html><head><title>T | S</title></head><body><h1>With <em>markup</em></h1></body></html>",
    "<html><head><title>Fish &amp; chips | S</title></head><body><h1>Fish &amp; chips &#8211; &nbsp;x</h1></body></html>",
    "<html><head><title>Caf&eacute; | S</title></head><body><h1>Caf&eacute;</h1></body></html>",
    "<html><head><title>AT&T deal | S</title></head><body><h1>AT&T deal</h1></body></html>",
    "<html><head><title>C1 &#150; x | S</title></head><body><h1>C1 &#150; x</h1></body></html>",
    "<html><head><title>Open comment</title></head><body><!-- <h1>never closed</h1></body></html>",
    "<html><head><title>One</title><title>Two</title></head><body><p>x</p></body></html>",
    "<html><body><svg><title>Icon</title></svg><h1>Heading</h1></body></html>",
    "<p>no html word in the first fifty characters of this page at all</p><h1>Late html</h1>",
    "<html><head><title>Tail: part | Site</title></head><body><h1>A</h1><h1>B</h1></body></html>",
    "<html><body><noscript><h1>No script</h1></noscript><h1>Yes</h1></body></html>",
    "<html><head><title>Bare & sign | S</title></head><body><h2>x</h2></body></html>",
]


def _pages() -> list[RawDocument]:
    from test_prefilter import _stories

    pages = _stories("html", 30)
    pages += [RawDocument(f"t{i}", f"/t{i}", "html", text) for i, text in enumerate(TRICKY)]
    pages += [r for r in read_inputs([str(ROOT / "corpus")]) if not isinstance(r, str) and getattr(r, "kind", "") == "html"]
    return pages


def test_a_scanned_title_is_the_parsed_title_or_stands_aside():
    answered = 0
    for page in _pages():
        scanned = scanned_title(page.content, _TITLE_TAIL)
        if scanned is UNSURE:
            continue
        answered += 1
        assert scanned == markup_title(trafilatura.load_html(page.content)), page.doc
    assert answered >= 40


@pytest.mark.parametrize("url", ["https://x.example/2024/05/01/story", "https://x.example/2031/01/01/future",
                                 "https://x.example/20240501/story", "https://x.example/news/story",
                                 "https://x.example/2024/13/40/bad", None])
def test_the_url_date_is_the_one_htmldate_gives(url):
    page = "<html><head><title>T</title></head><body><h1>T</h1><p>Nothing dated here.</p></body></html>"
    for reference in (None, date(2025, 1, 1)):
        found = url_date(url, reference)
        if found is not None:
            assert found == markup_date(trafilatura.load_html(page), url, reference)


def test_generated_pages_take_the_scan_and_keep_their_head():
    from test_prefilter import _stories

    for page in _stories("html", 10):
        assert scanned_title(page.content, _TITLE_TAIL) is not UNSURE
        dated = RawDocument(page.doc, page.source, "html", page.content, url="https://x.example/2024/03/05/a")
        assert page_head(dated).published == "2024-03-05"
