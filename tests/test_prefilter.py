"""The prefilter: AI terms found cheaply in raw content; everything else passes over."""

from __future__ import annotations

import json

import pytest

from accord.prefilter import might_be_relevant, names_ai, prefilter_terms, prefiltered_document
from accord.records import RawDocument


def raw(content: str, kind: str = "text", **kw) -> RawDocument:
    return RawDocument("d", "/tmp/d.txt", kind, content, **kw)


@pytest.mark.parametrize("content", [
    "Ministers met to discuss the AI Act on Tuesday.",
    "A summit on artificial   intelligence opened in the capital.",
    "<p>Rules for artificial&nbsp;intelligence</p>",
    "Rules on Artificial-Intelligence systems",
    "Le gouvernement a présenté sa stratégie sur l'IA.",
    "Die Regierung legte eine KI-Strategie vor.",
    "国务院发布人工智能治理框架",
    "Regulators looked at large language models and chatbots.",
])
def test_ai_terms_are_found(content):
    assert names_ai(raw(content))


@pytest.mark.parametrize("content", [
    "Rovers beat United 2-1 in front of a crowd of 30,000.",
    "The Kaiser Chiefs played at the fair; the chair said prices rose.",
    "Heavy rain is expected across the region from Friday.",
    "<div class='main'><p>Wheat prices slipped on supply worries.</p></div>",
])
def test_news_without_ai_terms_fails(content):
    assert not names_ai(raw(content)) and not might_be_relevant(raw(content))


def test_title_or_url_alone_is_enough():
    assert names_ai(raw("Markets closed higher.", title="Chatbot rules agreed"))
    assert names_ai(raw("Markets closed higher.", url="https://news.example/ai/rules"))


def test_every_relevant_seed_passes(seeds):
    gold = {}
    for line in (seeds.parent / "eval" / "seeds.gold.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            gold[record["doc"]] = record["relevant"]
    for path in sorted(seeds.glob("*.txt")):
        if gold.get(path.stem):
            assert might_be_relevant(raw(path.read_text(encoding="utf-8"))), path.stem


GOVERNED = ("Ministers adopted the treaty on artificial intelligence at the United Nations; "
            "the convention sets rules for AI and its governance.")


@pytest.mark.parametrize("content, expected", [
    ("The chipmaker said AI demand lifted its shares; its chatbot gained users.", False),
    ("A new AI model writes code; the law firm said it would try it.", False),
    (GOVERNED, True),
    # a phrase split by markup, and terms in an attribute only, still count
    ("<p>The AI <em>regulation</em>: <b>General</b> <i>Assembly</i> vote on the treaty.</p>", True),
    ('<meta property="og:title" content="AI treaty signed"><p>Governance of AI by the United Nations.</p>', True),
])
def test_a_page_naming_ai_must_also_name_enough_governance(content, expected):
    assert names_ai(raw(content)) and might_be_relevant(raw(content, kind="html")) is expected


def test_a_title_given_with_the_input_counts():
    body = "The AI rules were agreed after a long debate."
    assert not might_be_relevant(raw(body))
    assert might_be_relevant(raw(body, title="Treaty on AI governance becomes law"))


def test_every_page_cleaning_finds_relevant_passes(seeds):
    """The prefilter drops only pages the clean stage would judge not relevant: over the
    development sets and the seeds, it keeps every relevant page and drops some others."""
    from accord.clean import clean_document
    from accord.sources import read_inputs
    from conftest import ROOT

    pages = [r for r in read_inputs([str(ROOT / "corpus"), str(seeds)]) if isinstance(r, RawDocument)]
    relevant = [p for p in pages if clean_document(p).relevant]
    dropped = [p for p in pages if not might_be_relevant(p)]
    assert len(relevant) > 50 and not [p.source for p in relevant if not might_be_relevant(p)]
    assert [p for p in dropped if names_ai(p)]  # pages naming AI in passing are dropped too


def test_terms_are_lowercase_and_the_stored_document_is_not_relevant():
    assert all(t == t.lower() for t in prefilter_terms())
    doc = prefiltered_document(raw("Rain today.", url="https://x.example/a", title="Rain", published="2024-05-01"))
    assert (doc.relevant, doc.articles, doc.title, doc.published) == (False, (), "Rain", "2024-05-01")
    assert doc.id == raw("Rain today.").id


@pytest.mark.parametrize("content, expected", [
    ("He said the rain would stay.", False),   # "ai" inside words
    ("Thai email campaign", False),
    ("The (AI) rules", True),
    ("ai.", True),
    ("Use of A.I. grows", True),
    ("GenAI tools", True),
    ("Algorithms decide", True),              # a term ending in * matches word starts
    ("kiwi fruit", False),
    ("Die KI-Strategie", True),
    ("AGI timelines", True),
    ("agile teams", False),
    ("neural networks", True),
    ("neural nets", False),
])
def test_terms_match_as_whole_words_or_word_starts(content, expected):
    assert names_ai(raw(content)) is expected


def _stories(kind: str, count: int) -> list[RawDocument]:
    from random import Random

    from test_parallel import generator

    gen = generator()
    made = gen.stories(count, seed=9, ai_share=0.0)
    rng = Random(4)
    page = gen.page_html if kind == "html" else gen.page_text
    return [RawDocument(f"{kind}{i}", f"/in/{kind}{i}", kind, page(rng, s, made)) for i, s in enumerate(made)]


@pytest.mark.parametrize("kind", ["text", "html"])
def test_a_prefiltered_page_keeps_the_title_and_date_that_cleaning_gives(kind):
    from accord.clean import clean_document

    pages = _stories(kind, 30)
    assert not any(might_be_relevant(p) for p in pages)
    for page in pages:
        skipped, cleaned = prefiltered_document(page), clean_document(page)
        assert (skipped.title, skipped.published, skipped.date_note) == \
            (cleaned.title, cleaned.published, cleaned.date_note), page.doc
        assert skipped.title and skipped.published


def test_a_date_given_with_the_input_wins_over_the_page():
    page = _stories("text", 1)[0]
    given = RawDocument(page.doc, page.source, "text", page.content, published="2019-04-02T08:00:00Z")
    doc = prefiltered_document(given)
    assert (doc.published, doc.date_note) == ("2019-04-02", "given with the input")


def test_ingest_with_the_prefilter_lists_skipped_pages_and_finds_the_same_events(tmp_path, runner):
    from accord.cli import app
    from test_parallel import generator

    shards = tmp_path / "shards"
    generator().generate(shards, docs=40, shard_size=20, seed=5, ai_share=0.2, formats=("warc.gz", "jsonl"))
    runs = {}
    for prefilter in ("--prefilter", "--no-prefilter"):
        db = tmp_path / f"{prefilter}.db"
        result = runner.invoke(app, ["ingest", str(shards), "--db", str(db), prefilter])
        assert result.exit_code == 0 and "read 40, new 40" in result.output, result.output
        docs = runner.invoke(app, ["docs", "--db", str(db), "--json"])
        events = runner.invoke(app, ["events", "--db", str(db), "--json"])
        runs[prefilter] = ([json.loads(line) for line in docs.output.splitlines()],
                           sorted(events.output.splitlines()))
    (skipping, events_skipping), (cleaning, events_cleaning) = runs["--prefilter"], runs["--no-prefilter"]
    assert events_skipping == events_cleaning and events_skipping
    fields = ("doc", "title", "published", "relevant")
    assert [[d[f] for f in fields] for d in skipping] == [[d[f] for f in fields] for d in cleaning]
    assert all(d["title"] and d["published"] for d in skipping)
