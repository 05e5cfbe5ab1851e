"""The prefilter: AI terms found cheaply in raw content; everything else passes over."""

from __future__ import annotations

import json

import pytest

from accord.prefilter import might_be_relevant, prefilter_terms, prefiltered_document
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
def test_ai_terms_pass(content):
    assert might_be_relevant(raw(content))


@pytest.mark.parametrize("content", [
    "Rovers beat United 2-1 in front of a crowd of 30,000.",
    "The Kaiser Chiefs played at the fair; the chair said prices rose.",
    "Heavy rain is expected across the region from Friday.",
    "<div class='main'><p>Wheat prices slipped on supply worries.</p></div>",
])
def test_news_without_ai_terms_fails(content):
    assert not might_be_relevant(raw(content))


def test_title_or_url_alone_is_enough():
    assert might_be_relevant(raw("Markets closed higher.", title="Chatbot rules agreed"))
    assert might_be_relevant(raw("Markets closed higher.", url="https://news.example/ai/rules"))


def test_every_relevant_seed_passes(seeds):
    gold = {}
    for line in (seeds.parent / "eval" / "seeds.gold.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            gold[record["doc"]] = record["relevant"]
    for path in sorted(seeds.glob("*.txt")):
        if gold.get(path.stem):
            assert might_be_relevant(raw(path.read_text(encoding="utf-8"))), path.stem


def test_terms_are_lowercase_and_the_stored_document_is_not_relevant():
    assert all(t == t.lower() for t in prefilter_terms())
    doc = prefiltered_document(raw("Rain today.", url="https://x.example/a", title="Rain", published="2024-05-01"))
    assert (doc.relevant, doc.articles, doc.title, doc.published) == (False, (), "Rain", "2024-05-01")
    assert doc.id == raw("Rain today.").id
