"""Processed documents as flat table rows, and back: the Parquet layout of a batch run.

Every row carries the document's place in the input (`shard`, `position`), so a loader
can store documents in input order, which near-duplicate links depend on, and can merge
the three tables, each sorted by that place, as streams.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from accord.pipeline import Processed
from accord.records import Article, CleanDocument, Event, Extraction, Relevance, Target

Row = dict[str, Any]


def document_row(done: Processed, shard: int, position: int, signature: bytes | None) -> Row:
    """A document's own fields, its countries and entities, and its near-duplicate signature."""
    c, x = done.clean, done.extraction
    return {
        "shard": shard, "position": position, "id": c.id, "doc": c.doc, "source": c.source, "url": c.url,
        "title": c.title, "published": c.published, "date_note": c.date_note, "publisher": c.publisher,
        "author": c.author, "language": c.language, "relevant": c.relevance.relevant,
        "relevance_score": float(c.relevance.score), "relevance_terms": list(c.relevance.terms),
        "removed": list(c.removed), "reference_date": c.reference_date.isoformat() if c.reference_date else None,
        "countries": list(x.countries), "entities": [list(e) for e in x.entities], "signature": signature,
    }


def article_rows(done: Processed, shard: int, position: int) -> list[Row]:
    """One row per article of the document, in page order."""
    return [{"shard": shard, "position": position, "doc_id": done.clean.id, "article": i, "title": a.title,
             "text": a.text, "principal": a.principal} for i, a in enumerate(done.clean.articles)]


def event_rows(done: Processed, shard: int, position: int) -> list[Row]:
    """One row per event of the document, in extraction order, with its target laid flat."""
    return [{"shard": shard, "position": position, "doc_id": done.clean.id, "event": i, "actor": e.actor,
             "action": e.action, "target_name": e.target.name, "target_type": e.target.type,
             "target_aliases": list(e.target.aliases), "target_key": e.target.key, "date": e.date,
             "evidence": e.evidence, "start": e.start, "end": e.end, "confidence": float(e.confidence),
             "rule": e.rule, "actor_text": e.actor_text, "amount": e.amount}
            for i, e in enumerate(done.extraction.events)]


def processed_from_rows(document: Row, articles: list[Row], events: list[Row]) -> Processed:
    """The processed document that `document_row`, `article_rows` and `event_rows` laid flat."""
    d = document
    clean = CleanDocument(
        id=d["id"], doc=d["doc"], source=d["source"],
        articles=tuple(Article(a["title"], a["text"], bool(a["principal"]))
                       for a in sorted(articles, key=lambda a: a["article"])),
        relevance=Relevance(bool(d["relevant"]), d["relevance_score"], tuple(d["relevance_terms"] or ())),
        url=d["url"], title=d["title"], published=d["published"], date_note=d["date_note"],
        publisher=d["publisher"], author=d["author"], language=d["language"], removed=tuple(d["removed"] or ()),
        reference_date=date.fromisoformat(d["reference_date"]) if d["reference_date"] else None)
    extraction = Extraction(
        countries=tuple(d["countries"] or ()),
        events=tuple(Event(e["actor"], e["action"],
                           Target(e["target_name"], e["target_type"], tuple(e["target_aliases"] or ()),
                                  e["target_key"] or ""),
                           e["date"], e["evidence"], e["start"], e["end"], e["confidence"], e["rule"] or "",
                           e["actor_text"] or "", e["amount"])
                     for e in sorted(events, key=lambda e: e["event"])),
        entities=tuple(tuple(x) for x in d["entities"] or ()))
    return Processed(clean, extraction)
