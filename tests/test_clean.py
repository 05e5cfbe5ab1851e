"""The clean stage: boilerplate, stories, titles, dates, relevance, near-duplicates."""

from __future__ import annotations

import json
from datetime import date

import pytest

from accord.clean import clean_document
from accord.clean.dates import published_date
from accord.clean.duplicates import DuplicateIndex, minhash_from_bytes, minhash_of, minhash_to_bytes
from accord.records import RawDocument
from accord.sources import read_inputs
from conftest import SEEDS, SEEDS_GOLD

STORY = [
    "Ministers from the G7 met in Rome on Tuesday and agreed a shared code of conduct for companies "
    "building advanced artificial intelligence systems, officials said.",
    "The code asks developers to test their models for risks before release and to publish reports on "
    "what their systems can and cannot do, according to a statement from the Italian government.",
    "Japan and Canada said they would bring the code to the OECD so that more countries could sign up, "
    "while the European Commission welcomed it as a complement to the AI Act.",
]


def raw(text: str, kind: str = "text", **fields) -> RawDocument:
    return RawDocument(doc="page", source="page.txt", kind=kind, content=text, **fields)


def page(*parts: str) -> str:
    return "\n\n".join(parts)


@pytest.mark.parametrize("gold", [json.loads(x) for x in SEEDS_GOLD.read_text().splitlines()] if SEEDS_GOLD.exists()
                         else [], ids=lambda g: g["doc"])
def test_seed_document_fields_match_the_gold(gold):
    document = next(d for d in read_inputs([str(SEEDS / f"{gold['doc']}.txt")]))
    clean = clean_document(document)
    assert (clean.relevant, clean.published, clean.title) == (gold["relevant"], gold["published"], gold["title"])


def test_boilerplate_lines_are_removed_and_kept_aside():
    text = page("+44 20 7946 0000", "Home | World | Tech | Opinion", "banner_ad_728x90.jpg",
                "G7 agrees code of conduct for AI developers", "Published: 30 October 2023",
                *STORY, "Share with friends", "Related content", "Another story headline here")
    clean = clean_document(raw(text))
    body = clean.principal.text
    assert body.split("\n\n") == STORY
    assert clean.title == "G7 agrees code of conduct for AI developers"
    assert {"+44 20 7946 0000", "banner_ad_728x90.jpg", "Share with friends"} <= set(clean.removed)
    assert clean.published == "2023-10-30" and clean.language == "en"


def test_an_appended_story_becomes_a_second_article_and_the_first_is_principal():
    other = ["Central bankers kept interest rates on hold on Thursday, saying inflation was falling "
             "more slowly than they had hoped and that wages were still rising quickly across the region.",
             "Markets had expected the decision, and bond yields barely moved after the announcement "
             "while analysts pushed back their forecasts for the first cut to the spring of next year."]
    title = "G7 agrees code of conduct for AI developers"
    clean = clean_document(raw(page(title, "2023-10-30", *STORY, title, title, *other,
                                    "Rates stay on hold", "Rates stay on hold")))
    assert [a.principal for a in clean.articles] == [True, False]
    assert clean.articles[1].text.startswith("Central bankers")
    assert "Central bankers" not in clean.principal.text
    assert clean.relevant


def test_a_disclaimer_after_the_story_is_not_an_article():
    disclaimer = ("The market is volatile and this page is not investment advice of any kind. Readers should "
                  "consult an adviser before buying or selling and should never invest money they cannot "
                  "afford to lose, whatever the forecasts say about the coming months.")
    clean = clean_document(raw(page("G7 agrees code of conduct for AI developers", *STORY,
                                    "Risk warning and exemption clause", disclaimer)))
    assert len(clean.articles) == 1 and disclaimer in clean.removed


def test_hard_wrapped_paragraphs_are_joined():
    wrapped = ("Ministers from the G7 met in Rome on Tuesday and agreed a shared code\n"
               "of conduct for companies building advanced artificial intelligence systems,\n"
               "officials said.")
    clean = clean_document(raw(page("G7 agrees code of conduct for AI developers", wrapped, *STORY[1:])))
    assert clean.principal.text.split("\n\n")[0] == STORY[0]


@pytest.mark.parametrize(("line", "reference", "expected", "note"), [
    ("Release Time:2025-02-12", None, "2025-02-12", None),
    ("Photo: Agency 02.07.2024", None, "2024-07-02", "ambiguous"),
    ("Posted 13.07.2024", None, "2024-07-13", None),
    ("Posted 07/13/2024", None, "2024-07-13", None),
    ("March 21, 2024", None, "2024-03-21", None),
    ("Mon, 09 Sep 2024 10:00 GMT", None, "2024-09-09", None),
    ("• 1 day ago", None, None, None),
    ("• 1 day ago", date(2025, 7, 28), "2025-07-27", "relative"),
    ("Updated 3 hours ago", date(2025, 7, 28), "2025-07-28", "relative"),
    ("Updated 14 March 2024 | Published 12 March 2024", None, "2024-03-12", None),
])
def test_published_dates_in_the_forms_pages_print(line, reference, expected, note):
    published, why = published_date([line], [], reference)
    assert published == expected
    assert (note or "") in (why or "")


def test_the_page_convention_decides_an_ambiguous_date():
    assert published_date(["05/04/2024"], ["Updated 04/25/2024"]) == ("2024-05-04", "month-first by the page's other dates")
    assert published_date(["05/04/2024"], ["Updated 25/04/2024"])[0] == "2024-04-05"


def test_a_date_given_with_the_input_wins():
    clean = clean_document(raw(page("G7 agrees code of conduct for AI developers", "2023-10-30", *STORY),
                               published="2023-10-31T08:00:00Z"))
    assert clean.published == "2023-10-31"


def test_html_goes_through_trafilatura_to_the_same_records():
    paragraphs = "".join(f"<p>{p}</p>" for p in STORY)
    html = (f'<html><head><title>G7 agrees AI code | Daily</title>'
            f'<meta property="article:published_time" content="2023-10-30T10:00:00Z"></head><body>'
            f'<nav><a href="/">Home</a><a href="/tech">Tech</a></nav><article>'
            f'<h1>G7 agrees code of conduct for AI developers</h1>{paragraphs}</article>'
            f'<aside><h2>Related</h2><a href="/x">Other headline entirely</a></aside></body></html>')
    clean = clean_document(raw(html, kind="html"))
    text = clean_document(raw(page("G7 agrees code of conduct for AI developers", "2023-10-30", *STORY)))
    assert clean.principal.text == text.principal.text
    assert clean.published == "2023-10-30" and clean.relevant


def test_relevance_needs_ai_and_governance_and_says_why():
    business = page("Chip stocks climb on data-centre orders",
                    "Shares of chipmakers rose on Tuesday after strong forecasts showed that cloud companies "
                    "keep buying AI accelerators, and one supplier said its AI memory was sold out for the year.",
                    "Analysts said the results eased worries about a slowdown in spending on data centres.")
    politics = page("Parliament passes budget after long night",
                    "Lawmakers passed the budget on Friday after the government agreed to raise pensions, "
                    "ending a standoff that had threatened early elections and unsettled the bond market.")
    governance = clean_document(raw(page("G7 agrees code of conduct for AI developers", *STORY)))
    assert governance.relevant and "code of conduct" in governance.relevance.terms
    assert governance.relevance.score > 0.5
    assert not clean_document(raw(business)).relevant
    assert not clean_document(raw(politics)).relevant


def test_near_duplicates_are_found_and_signatures_survive_the_store():
    body = " ".join(STORY * 3)
    index = DuplicateIndex()
    index.add("first", minhash_of(body))
    copy = minhash_from_bytes(minhash_to_bytes(minhash_of("AGENCY - " + body + " Additional reporting by Ann Lee.")))
    assert index.find(copy) == "first"
    assert index.find(minhash_of("A different story about rates, bonds and markets on a quiet Friday.")) is None
    assert index.find(minhash_of("")) is None


@pytest.mark.parametrize("text", ["", "   \n\n", "x" * 10000, "\u202e\u0000\ufeff", "Menu\nHome\nLogin"])
def test_cleaning_never_fails_on_odd_text(text):
    clean = clean_document(raw(text))
    assert clean.principal is None or set(clean.principal.text.split()) <= set(text.split())


TERM_TEXTS = [
    "The UN and the un-named UNESCO panel; the Act, the act, an acting minister, facts and laws.",
    "Lawmakers in the U.S. Senate, G7 and G20 leaders, OECD/UNESCO, co-sponsors, co‑sponsored, ratified.",
    "Artificial-intelligence rules, artificial\nintelligence, ARTIFICIAL INTELLIGENCE, AI, A.I., ai, AIs.",
    "Regulators regulate regulation; frontier models and foundation-model makers; LLMs; chatbots.",
    "Straße, İstanbul, ſtrategy, Kelvin K sign, ﬁnance: nations' governments",
    "",
]


@pytest.mark.parametrize("text", TERM_TEXTS + [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
                         if SEEDS.is_dir() else TERM_TEXTS)
def test_the_fast_term_scan_finds_exactly_what_the_plain_scan_finds(text):
    from accord.clean.relevance import matches, terms

    table = terms()
    for exact, places in ((table.ai, table.ai_places), (table.governance, table.governance_places)):
        assert matches(exact, places, text) == [m.group(0) for m in exact.finditer(text)]


def test_a_trie_of_terms_matches_where_one_of_them_starts():
    import re

    from accord.clean.alternation import term_atoms, trie_pattern

    terms = ["law", "laws", "lawmaker*", "act", "action plan", "a.i."]
    trie = re.compile(trie_pattern(term_atoms(t.rstrip("*"), r"\s+", r"\w", "" if t.endswith("*") else r"(?!\w)")
                                   for t in terms))
    starts = [m.start() for m in trie.finditer("flaw law laws lawmakers act action  plan react a.i. x")]
    assert starts == [5, 9, 14, 24, 28, 47]


def test_a_relative_stamp_in_the_post_meta_of_an_html_page_is_read_against_the_crawl_date():
    body = " ".join(["Ministers from twenty countries met in Paris to discuss rules for artificial intelligence."] * 6)
    html = ("<html><head><title>Leaders meet on AI rules</title></head><body><nav>Home | World</nav><article>"
            "<h1>Leaders meet on AI rules</h1><div class='post-meta'>By Staff Reporter | 2 days ago</div>"
            f"<p>{body}</p><p>{body}</p></article></body></html>")
    crawled = clean_document(raw(html, kind="html", reference_date=date(2025, 2, 9)))
    assert crawled.published == "2025-02-07"
    assert clean_document(raw(html, kind="html")).published is None  # no reference date: left empty


def test_a_page_naming_no_publisher_is_credited_to_its_site():
    from accord.clean import clean_document, site_name
    from accord.records import RawDocument

    assert site_name("https://www.example-news.org/world/ai-pact?id=3") == "example-news.org"
    assert site_name(None) is None
    raw = RawDocument(doc="p", source="p.jsonl", kind="text", url="https://news.example.com/a/1",
                      content="Kenya signs AI pact\n\nKenya signed the Seoul Declaration on Monday, officials said.\n")
    assert clean_document(raw).publisher == "news.example.com"
