"""Properties of cleaning and extraction that hold for any input, checked with Hypothesis.

Inputs are news-like pages built from a small grammar (a country, a verb, an instrument of
the catalog, a date, with menu lines, bylines and random text around them, as a text
capture or as HTML) and arbitrary text. For each:

- cleaning and extraction never raise, and return well-formed records;
- every event's evidence span lies inside the principal article's text, and is its evidence;
- cleaning is idempotent: the principal article's text, cleaned again as a capture with the
  page's title and date, comes out unchanged, and extraction from it finds the same events;
- extraction is a function of its input: the same document gives the same events, whatever
  was extracted before it.

Runs are derandomized (the same examples each time) and bounded (EXAMPLES) so the module
runs in well under a minute; the figures are printed.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.clean import clean_document
from accord.extract import extract
from accord.records import ACTIONS, Article, CleanDocument, Extraction, RawDocument, Relevance, content_id

EXAMPLES = 120
"""Examples per property (a news-like page costs tens of milliseconds of spaCy)."""
TRIED: Counter[str] = Counter()

PROPERTY = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

COUNTRIES = ["France", "Germany", "China", "the United States", "India", "Japan", "Kenya", "Brazil"]
VERBS = ["signed", "endorsed", "ratified", "adopted", "refused to sign", "declined to endorse", "hosted",
         "pledged $10 million to"]
INSTRUMENTS = ["the Paris AI Declaration", "the Bletchley Declaration", "the AI Seoul Summit", "the Seoul Declaration",
               "the Council of Europe Framework Convention on Artificial Intelligence", "the Hiroshima AI Process",
               "the Global Digital Compact"]
WHEN = ["on 11 February 2025", "in November 2023", "last week", "on Tuesday", "in 2024", ""]
NOISE = ["Share on Twitter", "Subscribe to our newsletter", "Home | World | Tech", "© 2025 Example News",
         "Read more", "Advertisement", "By Jane Doe, Reuters", "Published 12 March 2025"]
ODD = ["\u00a0", "\u200b", "\ufeff", "Ã©", "é", "中国", "—", "\t", "<", "&amp;", "\\", "\x00", "\U0001f600"]

sentence = st.builds(lambda c, v, i, w: f"{c} {v} {i} {w}".strip() + ".", st.sampled_from(COUNTRIES),
                     st.sampled_from(VERBS), st.sampled_from(INSTRUMENTS), st.sampled_from(WHEN))
filler = st.one_of(st.text(min_size=1, max_size=60), st.lists(st.sampled_from(ODD), min_size=1, max_size=5).map("".join))
paragraph = st.lists(st.one_of(sentence, sentence, filler), min_size=1, max_size=4).map(" ".join)


@st.composite
def pages(draw: st.DrawFn) -> RawDocument:
    """A news-like page, as a text capture or as HTML, sometimes with its title or date given."""
    head = draw(st.lists(st.sampled_from(NOISE), max_size=3))
    tail = draw(st.lists(st.sampled_from(NOISE), max_size=3))
    title = draw(st.sampled_from(["AI governance: countries split on the declaration", "Summit ends", "", "Tech"]))
    body = draw(st.lists(paragraph, min_size=1, max_size=5))
    if draw(st.booleans()):
        content = "\n".join(head) + "\n\n" + title + "\n\n" + "\n\n".join(body) + "\n\n" + "\n".join(tail)
        kind = "text"
    else:
        content = (f"<html><head><title>{html.escape(title)}</title></head><body><nav>"
                   + "".join(f"<a href='/'>{html.escape(n)}</a>" for n in head) + f"</nav><article><h1>{html.escape(title)}"
                   "</h1>" + "".join(f"<p>{html.escape(p)}</p>" for p in body) + "</article><footer>"
                   + " ".join(html.escape(n) for n in tail) + "</footer></body></html>")
        kind = "html"
    given_title = draw(st.sampled_from([None, None, "Given title on AI governance"]))
    published = draw(st.sampled_from([None, None, "2025-02-11"]))
    return RawDocument("page", f"page.{'html' if kind == 'html' else 'txt'}", kind, content,
                       title=given_title, published=published)


junk_pages = st.builds(lambda text, kind: RawDocument("junk", "junk", kind, text),
                       st.one_of(st.text(max_size=400), st.lists(st.one_of(st.sampled_from(ODD + NOISE), sentence,
                                                                           st.sampled_from(["\n", "\n\n", "<p>", "</p>",
                                                                                            "<script>", "<!--"])),
                                                                 max_size=60).map("".join)),
                       st.sampled_from(["text", "html"]))


@pytest.fixture(scope="module", autouse=True)
def report() -> Iterator[None]:
    yield
    print(f"\nproperties: {sum(TRIED.values()) - TRIED['events']} examples, {TRIED['events']} events checked "
          f"({dict(TRIED)})")


def well_formed(doc: CleanDocument, raw: RawDocument) -> None:
    """What every CleanDocument promises."""
    assert doc.id == raw.id and doc.doc == raw.doc and doc.source == raw.source
    assert sum(a.principal for a in doc.articles) <= 1
    assert all(isinstance(a.text, str) for a in doc.articles)
    assert doc.published is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc.published), doc.published
    assert doc.relevance.score >= 0.0 and isinstance(doc.relevance.relevant, bool)
    assert all(isinstance(line, str) for line in doc.removed)


def spans_inside(doc: CleanDocument, extraction: Extraction) -> None:
    """Every event's span lies inside the principal article's text and is its evidence."""
    text = doc.principal.text if doc.principal else ""
    for e in extraction.events:
        assert 0 <= e.start < e.end <= len(text), (e.start, e.end, len(text))
        assert text[e.start:e.end] == e.evidence, (text[e.start:e.end], e.evidence)
        assert e.action in ACTIONS and e.actor and 0.0 <= e.confidence <= 1.0
        assert e.date is None or re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", e.date), e.date
    assert list(extraction.countries) == sorted(set(extraction.countries))


def event_keys(extraction: Extraction) -> list[tuple]:
    return sorted((e.actor, e.action, e.target.key or e.target.name, e.date, e.evidence, e.start, e.end)
                  for e in extraction.events)


@PROPERTY
@given(raw=pages())
def test_cleaning_and_extraction_of_news_pages_never_crash_and_keep_spans_inside(raw):
    doc = clean_document(raw)
    well_formed(doc, raw)
    extraction = extract(doc)
    spans_inside(doc, extraction)
    TRIED["pages"] += 1
    TRIED["events"] += len(extraction.events)


@settings(PROPERTY, max_examples=4 * EXAMPLES)
@given(raw=junk_pages)
def test_cleaning_and_extraction_of_arbitrary_text_never_crash(raw):
    doc = clean_document(raw)
    well_formed(doc, raw)
    spans_inside(doc, extract(doc))
    TRIED["junk"] += 1


@settings(PROPERTY, max_examples=2 * EXAMPLES)
@given(text=st.one_of(st.text(max_size=300), st.lists(st.one_of(sentence, st.sampled_from(ODD)), max_size=20)
                      .map(" ".join)))
def test_extraction_of_any_relevant_text_keeps_spans_inside(text):
    """The event rules run on whatever text cleaning could hand them, not only on news."""
    doc = CleanDocument(content_id(text), "any", "any.txt", (Article(None, text, True),), Relevance(True, 1.0, ("AI",)),
                        published="2025-03-01")
    spans_inside(doc, extract(doc))
    TRIED["relevant text"] += 1


@PROPERTY
@given(raw=pages())
def test_cleaning_is_idempotent_and_extraction_agrees(raw):
    doc = clean_document(raw)
    principal = doc.principal
    if principal is None or not principal.text:
        return  # nothing kept (an empty principal article is test_no_article_is_empty's concern)
    again = clean_document(RawDocument("again", "again.txt", "text", principal.text, title=doc.title,
                                       published=doc.published))
    assert again.principal is not None and again.principal.text == principal.text
    assert again.relevant == doc.relevant
    assert event_keys(extract(again)) == event_keys(extract(doc))
    TRIED["idempotent"] += 1


@settings(PROPERTY, max_examples=EXAMPLES // 2)
@given(first=pages(), second=pages())
def test_extraction_depends_on_nothing_but_its_document(first, second):
    a, b = clean_document(first), clean_document(second)
    before = event_keys(extract(a))
    extract(b)
    assert event_keys(extract(a)) == before
    assert clean_document(first) == a  # cleaning too: the same page, the same record
    TRIED["deterministic"] += 1


def test_no_article_is_empty():
    doc = clean_document(RawDocument("one", "one.txt", "text", "France ratified the Paris AI Declaration."))
    assert all(a.text.strip() for a in doc.articles), doc.articles
